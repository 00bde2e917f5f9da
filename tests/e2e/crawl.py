"""Which pages a signed-in person can reach, and the states of each page to
check.

Pages are found by following same-site links (GET only: a link changes
nothing here) from the landing page, breadth first, to a bounded depth, and
told apart by URL pattern: the view a path resolves to, the named choices in
it (an instrument's code, a section's name; not an id) and the names of its
query parameters (a list filtered by phase is one page whatever the phase).
So one client's chart stands for all forty, one group session for every
session, and one form for each kind of form."""

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

# Not the app's pages, or not pages at all: the Django admin is Django's own
# (only its entry page, in the administrator's navigation, is checked), and
# the session probes and the health check answer JSON.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/health", "/accounts/session/", "/accounts/logout/")
ADMIN_ENTRY = "/admin/"
# Query parameters that page through a list rather than make another page.
PAGING = {"page"}
# A view (or one part of it, CHOICES) is checked with at most this many sets
# of query parameters: the program dashboard's links combine figure, month
# and period filters into dozens of sets that all show the same page with
# another list below it.
VARIANTS_PER_VIEW = 3
# Query parameters whose value shows another part of a page (a chart
# section's deep link); the others filter or sort the same page.
CHOICES = {"section"}
IDENTIFIER = re.compile(r"^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")

# Every link on the page, as absolute URLs, without downloads.
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter((a) => !a.hasAttribute('download'))
  .map((a) => a.href)"""

# htmx is at rest: nothing in flight, nothing being swapped or settled.
HTMX_IDLE_JS = """() => !window.htmx || document.querySelectorAll(
  '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added').length === 0"""

# Open what a person opens in place, so that it is checked as they see it:
# every <details> (sections, tables behind "Table") and every collapsed
# panel. htmx content that loads when opened loads now.
EXPAND_JS = """() => {
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  document.querySelectorAll('main .collapse:not(.show)').forEach((panel) => {
    window.bootstrap.Collapse.getOrCreateInstance(panel, {toggle: false}).show();
  });
}"""

# Bootstrap's modal dialogs (the idle-logoff warning, confirmations): shown
# and hidden through Bootstrap, waiting for its transition to end.
MODAL_JS = """([element, show]) => new Promise((resolve) => {
  const shown = element.classList.contains('show');
  if (shown === show) { resolve(); return; }
  const event = show ? 'shown.bs.modal' : 'hidden.bs.modal';
  element.addEventListener(event, () => resolve(), {once: true});
  const modal = window.bootstrap.Modal.getOrCreateInstance(element);
  if (show) { modal.show(); } else { modal.hide(); }
})"""
DIALOG_JS = """([element, show]) => {
  if (show && !element.open) { element.showModal(); }
  if (!show && element.open) { element.close(); }
}"""
DROPDOWN_JS = """([toggle, show]) => {
  const dropdown = window.bootstrap.Dropdown.getOrCreateInstance(toggle);
  if (show) { dropdown.show(); } else { dropdown.hide(); }
  return toggle.parentElement;
}"""
TAB_JS = """(tab) => new Promise((resolve) => {
  const pane = document.querySelector(tab.dataset.bsTarget || tab.getAttribute('href'));
  if (tab.classList.contains('active')) { resolve(pane); return; }
  tab.addEventListener('shown.bs.tab', () => resolve(pane), {once: true});
  window.bootstrap.Tab.getOrCreateInstance(tab).show();
})"""


def pattern_of(url: str) -> tuple | None:
    """The page's pattern as (view and choices, query parameters), or None
    for a URL that is not one of the app's."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    choices = sorted(
        f"{name}={value}"
        for name, value in match.kwargs.items()
        if not IDENTIFIER.match(str(value))
    )
    query = sorted(
        {
            f"?{name}={value}" if name in CHOICES else f"?{name}"
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if name not in PAGING
        }
    )
    return (match._func_path, *choices), tuple(query)


def page_label(url: str, view_name: str) -> str:
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{view_name} {parts.path}{query}"


@dataclass
class Crawl:
    origin: str
    max_depth: int
    seen: set = field(default_factory=set)
    broken: list = field(default_factory=list)
    variants: Counter = field(default_factory=Counter)

    def wanted(self, url: str) -> str | None:
        url, _fragment = urldefrag(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        if parts.path != ADMIN_ENTRY and parts.path.startswith(SKIPPED_PREFIXES):
            return None
        return url

    def pages(self, page, start: list[str]):
        """Visit pages breadth first from `start`, each pattern once; yield
        a label for each, with the page loaded and htmx at rest."""
        queue = deque((url, 0) for url in start)
        while queue:
            url, depth = queue.popleft()
            url = self.wanted(url)
            pattern = pattern_of(url) if url else None
            if pattern is None or pattern in self.seen:
                continue
            self.seen.add(pattern)
            view, query = pattern
            # Each part of a page (a chart section) is a page of its own.
            variant = (view, *(name for name in query if "=" in name))
            self.variants[variant] += 1
            if self.variants[variant] > VARIANTS_PER_VIEW:
                continue
            try:
                response = page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in error.message:
                    continue  # an export, not a page
                raise
            if not response.ok:
                self.broken.append(f"{url} answered {response.status}")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            page.wait_for_function(HTMX_IDLE_JS)
            yield page_label(url, resolve(urlsplit(url).path).view_name)
            if depth < self.max_depth and urlsplit(page.url).path != ADMIN_ENTRY:
                queue.extend((link, depth + 1) for link in page.evaluate(LINKS_JS))


def page_states(page, *, seen_dialogs: set):
    """Open, one at a time, what the page shows only when asked, and yield
    (what is open, the element to check, or None for the whole page).
    A dialog with an id is checked once per crawl (the idle-logoff warning
    is on every page)."""
    page.evaluate(EXPAND_JS)
    page.wait_for_function(HTMX_IDLE_JS)
    yield "", None
    for selector, script in (("div.modal", MODAL_JS), ("dialog", DIALOG_JS)):
        for dialog in page.query_selector_all(selector):
            name = dialog.get_attribute("id") or ""
            if name and name in seen_dialogs:
                continue
            seen_dialogs.add(name)
            page.evaluate(script, [dialog, True])
            yield f"with dialog #{name} open", dialog
            page.evaluate(script, [dialog, False])
    for toggle in page.query_selector_all("main [data-bs-toggle='dropdown']"):
        menu = page.evaluate_handle(DROPDOWN_JS, [toggle, True])
        yield f"with menu '{toggle.inner_text().strip()}' open", menu
        page.evaluate(DROPDOWN_JS, [toggle, False])
    for tab in page.query_selector_all("main [data-bs-toggle='tab'], main [data-bs-toggle='pill']"):
        pane = page.evaluate_handle(TAB_JS, tab)
        page.wait_for_function(HTMX_IDLE_JS)
        yield f"with tab '{tab.inner_text().strip()}' shown", pane


def navigation_states(page):
    """Each menu of the navigation bar open in turn, then the bar collapsed
    behind its toggler on a narrow screen and opened."""
    for toggle in page.query_selector_all("header [data-bs-toggle='dropdown']"):
        menu = page.evaluate_handle(DROPDOWN_JS, [toggle, True])
        yield f"with navigation menu '{toggle.inner_text().strip()}' open", menu
        page.evaluate(DROPDOWN_JS, [toggle, False])
    size = page.viewport_size
    page.set_viewport_size({"width": 800, "height": size["height"]})
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("#main-nav.show").wait_for()
    yield "at 800 px with the navigation opened", page.query_selector("header")
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("#main-nav.collapsing").wait_for(state="detached")
    page.set_viewport_size(size)
