"""The extension points (iop/extensions.py): one registry that behaves the
same everywhere (keyed by name, registering again replaces, explicit order),
each point documented as a plugin API, every app registering in its own
extensions.py and nowhere else, and the outbox written only by iop.reminders."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.functional import Promise

from iop import extensions
from iop.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
# The project's own code: not the tests, not the migrations, not tooling.
SKIPPED_PARTS = {"tests", "migrations", ".venv", "var", "node_modules", "static", "docs"}


def _project_modules(root: Path = ROOT):
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_PARTS & set(relative.parts) or relative.parts[0].startswith("."):
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# --- the registry -----------------------------------------------------------------------------


def test_registering_a_name_again_replaces_its_entry_and_its_order():
    registry = Registry("test", "A registry of this test.")
    registry.register("first", "one", order=10)
    registry.register("second", "two", order=20)

    registry.register("first", "one again", order=30)

    assert len(registry) == 2
    assert registry.get("first") == "one again"
    assert registry.items() == [("second", "two"), ("first", "one again")]


def test_entries_come_by_order_then_name_whatever_the_order_of_registration():
    registry = Registry("test", "A registry of this test.")
    registry.register("zeta", "z", order=5)
    registry.register("beta", "b", order=10)
    registry.register("alpha", "a", order=10)
    registry.register("first", "f", order=-1)

    assert registry.names() == ["first", "zeta", "alpha", "beta"]
    assert list(registry) == ["f", "z", "a", "b"]


def test_an_entry_cannot_be_registered_without_an_order():
    registry = Registry("test", "A registry of this test.")

    with pytest.raises(TypeError):
        registry.register("no-order", "x")


def test_a_name_nobody_registered_is_absent():
    registry = Registry("test", "A registry of this test.")

    assert registry.get("missing") is None
    assert "missing" not in registry


def test_an_isolated_registry_keeps_what_it_is_told_and_forgets_what_was_added():
    registry = Registry("test", "A registry of this test.")
    registry.register("kept", "k", order=1)
    registry.register("dropped", "d", order=2)

    with registry.isolated(keep=["kept"]):
        registry.register("added", "a", order=3)
        assert registry.names() == ["kept", "added"]

    assert registry.names() == ["kept", "dropped"]


EXTENSION_POINTS = [value for value in vars(extensions).values() if isinstance(value, Registry)]


def test_every_extension_point_documents_its_entries_calls_order_and_query_budget():
    assert len(EXTENSION_POINTS) == 17
    for registry in EXTENSION_POINTS:
        doc = registry.__doc__ or ""
        # What an entry receives and returns, when it is called and in which
        # order, and what it may cost (the module docstring's contract).
        for heading in ("Entry", "Called", "Query budget"):
            assert heading in doc, (registry.name, heading)
        assert "order" in doc, registry.name


def test_the_extensions_module_imports_neither_django_nor_a_model():
    # What importing it adds to what the iop package itself loads (Celery).
    code = (
        "import sys, iop; before = set(sys.modules); import iop.extensions; "
        "print(sorted(set(sys.modules) - before - {'iop.extensions', 'iop.registry'}))"
    )
    added = subprocess.run(  # noqa: S603 -- a fixed command of this test
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()

    assert not [
        module
        for module in ast.literal_eval(added)
        if module.split(".")[0] in {"django", "iop", "screening", "groups", "family", "aftercare"}
    ]


# --- who registers where ----------------------------------------------------------------------

REGISTRIES = {name for name, value in vars(extensions).items() if isinstance(value, Registry)}


def registrations_outside_extensions_modules(root: Path = ROOT) -> list[str]:
    """`<REGISTRY>.register(...)` calls anywhere but an app's extensions.py."""
    found = []
    for relative, tree in _project_modules(root):
        if relative.name == "extensions.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "register"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in REGISTRIES
            ):
                found.append(f"{relative}:{node.lineno}")
            # The registration functions the registries replaced.
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name.startswith("register_") and name.endswith(
                    ("_section", "_source", "_scope", "_hook", "_check")
                ):
                    found.append(f"{relative}:{node.lineno}")
    return found


def test_apps_register_only_in_their_own_extensions_module():
    assert registrations_outside_extensions_modules() == []


@pytest.mark.parametrize(
    "app", ["iop.clients", "iop.audit", "screening", "groups", "family", "aftercare"]
)
def test_each_app_that_registers_has_an_extensions_module_called_from_ready(app):
    path = ROOT / app.replace(".", "/")
    ready = ast.parse((path / "apps.py").read_text(encoding="utf-8"))

    assert (path / "extensions.py").exists()
    calls = [
        node
        for node in ast.walk(ready)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "register"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "extensions"
    ]
    assert len(calls) == 1


def test_what_the_apps_register_is_in_the_registries_after_start_up():
    assert {"safety-alerts", "screening", "groups", "family", "consents", "aftercare"} <= set(
        extensions.CHART_SECTIONS.names()
    )
    assert extensions.TIMELINE_SOURCES.names() == [
        "appointments",
        "drug_tests",
        "medications",
        "meetings",
        "plans",
        "instruments",
        "groups",
        "consents",
    ]
    assert "groups" in extensions.ADMISSION_HOOKS
    assert "groups" in extensions.STEP_DOWN_HOOKS
    assert "groups" in extensions.DISCHARGE_HOOKS
    assert "group" in extensions.COUNSELOR_SCOPES
    assert "screened" in extensions.INTAKE_SCOPES
    assert extensions.DIGEST_SOURCES.names() == [
        "emergency-access",
        "clinical-record",
        "safety-flags",
        "groups",
        "aftercare",
        "billing-authorizations",
    ]


def test_every_chart_section_title_is_translatable():
    untranslated = [
        name
        for name, section in extensions.CHART_SECTIONS.items()
        if not isinstance(section.title, Promise)
    ]

    assert untranslated == []


# --- the outbox is written by iop.reminders only ----------------------------------------------

WRITES = {"update", "bulk_update", "delete"}


def reminder_updates_outside_reminders(root: Path = ROOT) -> list[str]:
    """Functions outside iop/reminders that read `Reminder.objects` and call
    update / bulk_update / delete: a direct write to the outbox, whether
    chained or through a variable."""
    found = []
    for relative, tree in _project_modules(root):
        if relative.parts[:2] == ("iop", "reminders"):
            continue
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        top_level = [
            node
            for node in tree.body
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        for scope in [top_level, *([function] for function in functions)]:
            nodes = [node for part in scope for node in ast.walk(part)]
            reads_outbox = any(
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id == "Reminder"
                for node in nodes
            )
            writes = [
                node
                for node in nodes
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ]
            if reads_outbox and writes:
                found.append(f"{relative}:{writes[0].lineno}")
    return sorted(set(found))


def test_no_module_outside_iop_reminders_updates_reminder_rows_directly():
    # Cancelling or readdressing goes through iop.reminders.services
    # (reminders_cancel_for, reminders_readdress, reminders_cancel).
    assert reminder_updates_outside_reminders() == []


def test_the_outbox_scan_finds_a_direct_update(tmp_path):
    (tmp_path / "feature").mkdir()
    (tmp_path / "feature" / "services.py").write_text(
        "def cancel(member):\n"
        "    pending = Reminder.objects.filter(family_member_id=member.pk)\n"
        "    return pending.update(status='cancelled')\n"
        "\n"
        "def chained(client):\n"
        "    Reminder.objects.filter(client=client).update(status='cancelled')\n",
        encoding="utf-8",
    )

    assert reminder_updates_outside_reminders(tmp_path) == [
        "feature/services.py:3",
        "feature/services.py:6",
    ]
