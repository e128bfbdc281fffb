"""Imports run one way: kernel (soske) <- cohorts <- applications, workshops, deliverables.

The kernel imports no app; cohorts imports none of the other three; applications and
workshops may read cohorts and the kernel (not each other); deliverables may also read
workshops and applications. The wiring (settings, urls, celery, wsgi, asgi, the demo data
and the management commands) may know every app, and no other module may import the
parts of it that do. The same direction holds for model relations and for migration
dependencies. The checks walk the source (every import, function-level ones included,
relative ones resolved); they need nothing but the standard library and Django.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.test.utils import isolate_apps

ROOT = Path(settings.BASE_DIR)

# What each app may import besides itself.
MAY_READ = {
    "soske": set(),
    "cohorts": {"soske"},
    "applications": {"soske", "cohorts"},
    "workshops": {"soske", "cohorts"},
    "deliverables": {"soske", "cohorts", "workshops", "applications"},
}

WIRING_FILES = {
    "soske/settings.py",
    "soske/urls.py",
    "soske/celery.py",
    "soske/wsgi.py",
    "soske/asgi.py",
}
WIRING_DIRS = ("soske/demo/", "soske/management/")
# The wiring that imports apps: nothing outside the wiring may import it.
WIRING_MODULES = ("soske.urls", "soske.demo", "soske.management")


def _is_wiring(path: str) -> bool:
    return path in WIRING_FILES or path.startswith(WIRING_DIRS)


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def imported_modules(source: str, *, module: str, is_package: bool = False):
    """(line, module name, imported names) for every import in `source`.

    Relative imports are made absolute; the names of `from a import b` are given since
    b may be a submodule; `importlib.import_module("a.b")` with a literal name counts too.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            yield node.lineno, target, tuple(a.name for a in node.names if a.name != "*")
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value, ()


def _forbidden(target: str, allowed: set) -> bool:
    top = target.split(".")[0]
    upward = top in MAY_READ and top not in allowed
    return upward or any(_within(target, wiring) for wiring in WIRING_MODULES)


def upward_imports(source: str, *, module: str, is_package: bool = False) -> list:
    """(line, module name) of each import `module` may not make, in line order."""
    allowed = {module.split(".")[0]} | MAY_READ[module.split(".")[0]]
    found = set()
    for line, target, names in imported_modules(source, module=module, is_package=is_package):
        if _forbidden(target, allowed):
            found.add((line, target))
        else:  # `from soske import urls`: the name is the module
            found.update(
                (line, f"{target}.{n}") for n in names if _forbidden(f"{target}.{n}", allowed)
            )
    return sorted(found)


def project_modules():
    for app in MAY_READ:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if ".venv" in relative or "__pycache__" in relative:
                continue
            parts = relative[: -len(".py")].split("/")
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield relative, ".".join(parts), is_package, path


def _app_of_label(label: str):
    """The project app (kernel included) an app label belongs to; None for Django's own."""
    try:
        top = apps.get_app_config(label).name.split(".")[0]
    except LookupError:
        return None
    return top if top in MAY_READ else None


def _upward(lower, higher) -> bool:
    return lower is not None and higher is not None and higher not in {lower} | MAY_READ[lower]


def upward_relations(model_classes) -> list:
    """'app.Model.field -> app.Model' for each relation from a model to one it may not know."""
    found = []
    for model in model_classes:
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            related = field.related_model._meta
            if _upward(_app_of_label(model._meta.app_label), _app_of_label(related.app_label)):
                found.append(f"{model._meta.label}.{field.name} -> {related.label}")
    return found


def upward_migration_dependencies(disk_migrations) -> list:
    """'app.migration -> app.migration' for each migration that must wait for a higher app's."""
    found = []
    for (label, name), migration in sorted(disk_migrations.items()):
        for dep_label, dep_name in migration.dependencies:
            if _upward(_app_of_label(label), _app_of_label(dep_label)):
                found.append(f"{label}.{name} -> {dep_label}.{dep_name}")
        # run_before makes the named (other) migration depend on this one.
        for before_label, before_name in migration.run_before:
            if _upward(_app_of_label(before_label), _app_of_label(label)):
                found.append(f"{before_label}.{before_name} -> {label}.{name}")
    return found


# --- the project as it is ---------------------------------------------------------------


def test_no_module_imports_upwards():
    violations = []
    for relative, module, is_package, path in project_modules():
        if _is_wiring(relative):
            continue
        source = path.read_text(encoding="utf-8")
        for line, target in upward_imports(source, module=module, is_package=is_package):
            violations.append(f"{relative}:{line} imports {target}")
    assert violations == [], "Upward imports:\n" + "\n".join(violations)


def test_the_walk_sees_every_app_and_its_migrations():
    walked = {relative for relative, *_rest in project_modules()}
    assert {
        "soske/clock.py",
        "soske/mail/services.py",
        "cohorts/models.py",
        "cohorts/migrations/0001_initial.py",
        "applications/selection.py",
        "applications/migrations/0001_initial.py",
        "workshops/apps.py",
        "deliverables/apps.py",
    } <= walked


def test_no_model_relates_to_a_model_of_a_higher_app():
    assert upward_relations(apps.get_models(include_auto_created=True)) == []


def test_no_migration_depends_on_a_higher_apps_migration():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    assert ("cohorts", "0001_initial") in loader.disk_migrations
    assert upward_migration_dependencies(loader.disk_migrations) == []


# --- the checks would fail on a new upward step -----------------------------------------


def test_the_import_check_finds_an_upward_import_wherever_it_is_written():
    source = (
        "import importlib\n"
        "from django.db import models\n"
        "from soske import clock\n"
        "from .services import team_join\n"
        "import applications.models\n"
        "\n"
        "def role_label(role):\n"
        "    from applications.models import TeamRole\n"
        "    return importlib.import_module('workshops.models')\n"
    )
    assert upward_imports(source, module="cohorts.team_views") == [
        (5, "applications.models"),
        (8, "applications.models"),
        (9, "workshops.models"),
    ]


def test_the_import_check_resolves_relative_imports_and_guards_the_wiring():
    # The kernel reaching the demo data (which knows every app) through a relative import.
    assert upward_imports("from .demo.seed import load_demo\n", module="soske.views") == [
        (1, "soske.demo.seed")
    ]
    assert upward_imports("from .. import urls\n", module="soske.users", is_package=True) == [
        (1, "soske.urls")
    ]
    # Within an app and down the stack is fine.
    assert upward_imports("from ..models import Team\n", module="cohorts.management.x") == []
    assert upward_imports("from soske.mail import services\n", module="cohorts.services") == []


def test_the_import_check_knows_who_may_read_whom():
    source = "from applications.models import Application\nfrom workshops import models\n"
    assert upward_imports(source, module="deliverables.services") == []
    assert upward_imports(source, module="workshops.services") == [(1, "applications.models")]
    assert upward_imports(source, module="soske.clock") == [
        (1, "applications.models"),
        (2, "workshops"),
    ]


@isolate_apps("cohorts", "applications")
def test_the_relation_check_finds_a_lower_model_pointing_up():
    class Upper(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "applications"

    class Lower(models.Model):  # noqa: DJ008
        upper = models.OneToOneField(Upper, on_delete=models.PROTECT)

        class Meta:
            app_label = "cohorts"

    class Downward(models.Model):  # noqa: DJ008
        lower = models.ForeignKey(Lower, on_delete=models.PROTECT)
        many = models.ManyToManyField(Lower, related_name="+")

        class Meta:
            app_label = "applications"

    assert upward_relations([Upper, Lower, Downward]) == [
        "cohorts.Lower.upper -> applications.Upper"
    ]


def test_the_migration_check_finds_a_lower_migration_waiting_for_a_higher_one():
    def migration(label, name, dependencies=(), run_before=()):
        attrs = {"dependencies": list(dependencies), "run_before": list(run_before)}
        return type("Migration", (migrations.Migration,), attrs)(name, label)

    disk = {
        ("cohorts", "0009_team"): migration(
            "cohorts", "0009_team", [("cohorts", "0008"), ("applications", "0004_review")]
        ),
        ("applications", "0007_link"): migration(
            "applications", "0007_link", [("cohorts", "0009_team")], run_before=[("mail", "0001")]
        ),
        ("workshops", "0001_initial"): migration(
            "workshops", "0001_initial", run_before=[("cohorts", "0010")]
        ),
    }
    assert upward_migration_dependencies(disk) == [
        "mail.0001 -> applications.0007_link",
        "cohorts.0009_team -> applications.0004_review",
        "cohorts.0010 -> workshops.0001_initial",
    ]
