"""Simulated staff for the load test (test_load.py runs it headless:
`python -m locust -f tests/perf/locustfile.py --headless ...`).

Each simulated user takes its own account (counselor, supervisor,
administrator or intake worker, from the plan that test_load.py writes:
OPENIOP_LOCUST_PLAN) with the session test_load.py opened for it through the
login form before the timed window (an account without one signs in through
the form here), and then browses the pages its role uses, with a think time
between pages. Every request is also written to
OPENIOP_LOCUST_SAMPLES (one JSON line each) so that the test can compute
exact percentiles over the pages without the logins.

Not a pytest module: locust patches the standard library with gevent, so it
only ever runs in its own process.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import FastHttpUser, between, events, task
from requests.cookies import create_cookie

PLAN = json.loads(Path(os.environ["OPENIOP_LOCUST_PLAN"]).read_text(encoding="utf-8"))
SAMPLES = Path(os.environ["OPENIOP_LOCUST_SAMPLES"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WAIT = PLAN["wait_s"]
LOGIN_FORM, LOGIN = "login_form", "login"

_samples: list[str] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=None, **kwargs):
    _samples.append(
        json.dumps(
            {
                "t": round(start_time or 0, 3),
                "name": name,
                "ms": round(response_time, 2),
                "ok": exception is None,
                "error": None if exception is None else str(exception)[:200],
            }
        )
    )


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    SAMPLES.write_text("\n".join(_samples) + "\n", encoding="utf-8")


class Staff(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)
    role = ""
    # Each simulated user takes the next account of its role: distinct people
    # as long as the role has enough accounts (the plan says if any repeat).
    _accounts: dict[str, itertools.cycle] = {}

    def on_start(self):
        cycle = Staff._accounts.setdefault(self.role, itertools.cycle(PLAN["accounts"][self.role]))
        self.account = next(cycle)
        self.rng = random.Random(self.account["username"])
        if self.account.get("cookies"):
            for cookie in self.account["cookies"]:
                self.client.cookiejar.set_cookie(create_cookie(**cookie))
        else:
            self._sign_in()

    def _sign_in(self):
        with self.client.get(
            "/accounts/login/",
            name=LOGIN_FORM,
            headers={"X-Bench-Page": LOGIN_FORM},
            catch_response=True,
        ) as page:
            token = CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or not token:
                page.failure(f"no login form ({page.status_code})")
                return
        with self.client.post(
            "/accounts/login/",
            name=LOGIN,
            data={
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token[1],
            },
            headers={"X-Bench-Page": LOGIN},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login as {self.account['username']}: {answer.status_code}")

    def page(self, name: str, path: str) -> None:
        """One page view; anything but 200 (a redirect to the login page
        included) is a failure."""
        with self.client.get(
            path,
            name=name,
            headers={"X-Bench-Page": name},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path}: {response.status_code}")

    def pick(self, field: str) -> str:
        return self.rng.choice(self.account[field])


class Counselor(Staff):
    role = "Counselor"
    fixed_count = PLAN["users"]["Counselor"]

    @task(3)
    def dashboard(self):
        self.page("counselor_dashboard", "/")

    @task(2)
    def my_day(self):
        self.page("my_day", "/my-day/")

    @task(4)
    def chart(self):
        if self.account["clients"]:
            client = self.pick("clients")
            self.page("client_chart", f"/clients/{client}/")
            # What the browser's htmx asks for when the Timeline section is opened.
            self.page("client_chart_timeline", f"/clients/{client}/sections/timeline/")

    @task(2)
    def session(self):
        if self.account["sessions"]:
            self.page("group_session", f"/groups/sessions/{self.pick('sessions')}/")

    @task(1)
    def worklists(self):
        self.page("worklists", "/worklists/")

    @task(1)
    def caseload_list(self):
        self.page("caseload_list", "/clients/?mine=1")


class Supervisor(Staff):
    role = "Supervisor"
    fixed_count = PLAN["users"]["Supervisor"]

    @task(3)
    def program(self):
        self.page("admin_dashboard", "/program/")

    @task(2)
    def home(self):
        self.page("home_supervisor", "/")

    @task(1)
    def worklists(self):
        self.page("worklists", "/worklists/")

    @task(1)
    def chart(self):
        client = self.pick("clients")
        self.page("client_chart", f"/clients/{client}/")
        self.page("client_chart_timeline", f"/clients/{client}/sections/timeline/")

    @task(1)
    def session(self):
        self.page("group_session", f"/groups/sessions/{self.pick('sessions')}/")


class Administrator(Staff):
    role = "Administrator"
    fixed_count = PLAN["users"]["Administrator"]

    @task(4)
    def program(self):
        self.page("admin_dashboard", "/program/")

    @task(1)
    def home(self):
        self.page("home_admin", "/")

    @task(1)
    def system_status(self):
        self.page("system_status", "/system/")


class Intake(Staff):
    role = "Intake"
    fixed_count = PLAN["users"]["Intake"]

    @task(2)
    def home(self):
        self.page("home_intake", "/")

    @task(2)
    def screening(self):
        self.page("screening_worklist", "/screening/")

    @task(1)
    def clients(self):
        self.page("client_list", "/clients/")
