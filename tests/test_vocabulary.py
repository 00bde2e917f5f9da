"""The program's shared vocabulary is defined once and used everywhere: the
clinician roles (roles.CLINICIANS), the episode phases that count as active
or open (Episode.ACTIVE_PHASES, Episode.OPEN_PHASES), the attendance that
counts as attended (Attendance.ATTENDED). A copy spelled out anywhere else in
the product is found here, by reading the source."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("iop", "screening", "groups", "family", "aftercare", "devdata")


def _modules(root: Path = ROOT):
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _word(node) -> str | None:
    """What an element names: `roles.COUNSELOR`, `Phase.INTENSIVE` and
    "intensive" all read as their lower-case last word."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lower()
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    if isinstance(node, ast.Name):
        return node.id.lower()
    return None


def spelled_out(words: set[str], root: Path = ROOT) -> list[str]:
    """Places where a tuple, list or set, or a call's positional arguments,
    name exactly `words` (in any order)."""
    found = []
    for relative, tree in _modules(root):
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = node.elts
            elif isinstance(node, ast.Call):
                items = node.args
            else:
                continue
            names = [_word(item) for item in items]
            if len(names) == len(words) and set(names) == words:
                found.append(f"{relative}:{node.lineno}")
    return found


def _files(places: list[str]) -> list[str]:
    return [place.split(":")[0] for place in places]


def test_the_scan_finds_a_spelled_out_copy(tmp_path):
    (tmp_path / "groups").mkdir()
    (tmp_path / "groups" / "views.py").write_text(
        "STAFF = (roles.COUNSELOR, roles.SUPERVISOR)\n"
        "@role_required(roles.SUPERVISOR, roles.COUNSELOR)\n"
        "def view(request):\n"
        "    return Episode.objects.filter(phase__in=['aftercare', Phase.INTENSIVE])\n",
        encoding="utf-8",
    )

    assert spelled_out({"counselor", "supervisor"}, tmp_path) == [
        "groups/views.py:1",
        "groups/views.py:2",
    ]
    assert spelled_out({"intensive", "aftercare"}, tmp_path) == ["groups/views.py:4"]


def test_the_clinician_roles_are_spelled_out_only_in_roles():
    assert _files(spelled_out({"counselor", "supervisor"})) == ["iop/accounts/roles.py"]


def test_screenings_roles_are_spelled_out_only_in_its_policy():
    assert _files(spelled_out({"intake", "counselor", "supervisor"})) == ["screening/policy.py"]


def test_the_active_and_open_phases_are_spelled_out_only_on_the_episode():
    assert _files(spelled_out({"intensive", "aftercare"})) == ["iop/clients/models/records.py"]
    assert _files(spelled_out({"screening", "intensive", "aftercare"})) == [
        "iop/clients/models/records.py"
    ]


def test_an_open_episode_is_in_any_phase_but_discharged_and_an_active_one_was_admitted():
    from iop.clients.models import Episode

    assert set(Episode.OPEN_PHASES) == set(Episode.Phase) - {Episode.Phase.DISCHARGED}
    assert set(Episode.ACTIVE_PHASES) == set(Episode.OPEN_PHASES) - {Episode.Phase.SCREENING}


def _strings_naming(words: set[str], root: Path = ROOT) -> list[str]:
    """String literals (SQL) that quote every one of `words`."""
    return [
        f"{relative}:{node.lineno}"
        for relative, tree in _modules(root)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and all(f"'{word}'" in node.value for word in words)
    ]


def test_the_attended_statuses_are_spelled_out_only_on_attendance():
    assert _files(spelled_out({"present", "late"})) == ["groups/models.py"]
    assert _strings_naming({"present", "late"}) == []


def _choice_lists(root: Path = ROOT) -> dict[tuple, list[str]]:
    """Every TextChoices/IntegerChoices class, by its members (name, value)."""
    lists: dict[tuple, list[str]] = {}
    for relative, tree in _modules(root):
        for node in ast.walk(tree):
            bases = [_word(base) for base in node.bases] if isinstance(node, ast.ClassDef) else []
            if not {"textchoices", "integerchoices"} & set(bases):
                continue
            members = []
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                    value = statement.value
                    first = value.elts[0] if isinstance(value, ast.Tuple) else value
                    if isinstance(first, ast.Constant):
                        members.append((statement.targets[0].id, first.value))
            lists.setdefault(tuple(sorted(members)), []).append(f"{relative}:{node.name}")
    return lists


def test_no_choice_list_is_defined_twice():
    assert [places for places in _choice_lists().values() if len(places) > 1] == []


def _redirects_to(url_name: str, root: Path = ROOT) -> list[str]:
    return [
        f"{relative}:{node.lineno}"
        for relative, tree in _modules(root)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _word(node.func) == "redirect"
        and node.args
        and _word(node.args[0]) == url_name
    ]


def test_only_chart_redirect_sends_a_page_back_to_the_chart():
    assert _files(_redirects_to("clients:client-detail")) == ["iop/clients/views/__init__.py"]


def _own_error_reports(root: Path = ROOT) -> list[str]:
    """Views that turn a service's ValidationError into messages themselves
    (joining its messages, looping over them, or passing it to
    messages.error) instead of through iop/formtools.py."""
    found = []
    for relative, tree in _modules(root):
        if "views" not in relative.parts and relative.name != "views.py":
            continue
        for node in ast.walk(tree):
            uses = []
            if isinstance(node, ast.Call) and _word(node.func) in {"join", "error"}:
                uses = node.args
            elif isinstance(node, ast.For):
                uses = [node.iter]
            names = {
                inner.id for use in uses for inner in ast.walk(use) if isinstance(inner, ast.Name)
            }
            if "error" in names:
                found.append(f"{relative}:{node.lineno}")
    return sorted(set(found))


def test_views_report_a_services_errors_only_through_formtools():
    assert _own_error_reports() == []


def test_a_family_members_details_are_listed_only_on_the_model():
    details = {"first_name", "last_name", "phone", "email", "preferred_language"}
    details |= {"sms_consent", "email_consent"}

    assert _files(spelled_out(details)) == ["family/models.py"]
