"""The import arrows run downward (issue 27). The apps are floors, written down once in the README's
Layout section ("Floors, bottom up: ..."), which this test reads: an app imports only apps on lower floors,
and of those never their views, forms, urls or admin; no app imports the project package `srmonitor`
except its settings and Celery app.

Read from the source with `ast`, so a lazy import inside a function counts too."""

import ast
import inspect
import re
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from core.permissions import Answer

ROOT = Path(settings.BASE_DIR)
UPPER = {"views", "forms", "urls", "admin"}  # what belongs to an app alone
SRMONITOR_ALLOWED = {"srmonitor.settings", "srmonitor.celery"}


def floors(readme: str) -> list[str]:
    """The apps bottom up, from the README's line `Floors, bottom up: `a` → `b` → ...`."""
    line = next(line for line in readme.splitlines() if line.startswith("Floors, bottom up:"))
    return re.findall(r"`(\w+)`", line)


FLOORS = floors((ROOT / "README.md").read_text(encoding="utf-8"))
APPS = FLOORS


def imports_of(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def wrong_arrows(app: str, floors: list[str] = FLOORS) -> list[str]:
    found = []
    below = set(floors[: floors.index(app)])
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for name in imports_of(path):
            top, *rest = name.split(".")
            upward = top == "srmonitor" and not any(name.startswith(allowed) for allowed in SRMONITOR_ALLOWED)
            other_app = top in floors and top != app
            # core is everyone's: its form helpers are meant to be shared.
            private = top != "core" and bool(rest and rest[0] in UPPER)
            if upward or (other_app and (top not in below or private)):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_the_floors_are_every_app_once():
    installed = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").is_file()}
    assert sorted(FLOORS) == sorted(installed) and len(set(FLOORS)) == len(FLOORS), FLOORS
    assert FLOORS[0] == "core", "core is the bottom floor"


def test_no_app_imports_a_floor_above_or_another_apps_views_or_forms_or_the_project_package():
    assert [arrow for app in FLOORS for arrow in wrong_arrows(app)] == []


def test_the_check_sees_a_wrong_arrow(tmp_path, monkeypatch):
    # The rule itself: an upward import in a file of an app is found, a downward one is not.
    app = tmp_path / "reporting"
    app.mkdir()
    (app / "bad.py").write_text(
        "from projects.views.detail import render_detail\nfrom srmonitor.urls import urlpatterns\n"
        "from projects.models import Project\nfrom srmonitor.settings import env_str\n"
        "def later():\n    from policy.forms.content import NewsItemForm\n"
    )
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "text.py").write_text("from accounts.models import User\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert wrong_arrows("reporting") == [
        "reporting/bad.py imports projects.views.detail",
        "reporting/bad.py imports projects.views.detail.render_detail",
        "reporting/bad.py imports srmonitor.urls",
        "reporting/bad.py imports srmonitor.urls.urlpatterns",
        "reporting/bad.py imports policy.forms.content",
        "reporting/bad.py imports policy.forms.content.NewsItemForm",
    ]
    assert wrong_arrows("core") == ["core/text.py imports accounts.models", "core/text.py imports accounts.models.User"]
    # A floor above, with the README's order read from a text like it.
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "totals.py").write_text(
        "from projects.models import Inzet\nfrom accounts.models import User\n"
    )
    order = floors("Intro\nFloors, bottom up: `core` → `accounts` → `policy` → `projects` → `reporting`\n")
    assert order == ["core", "accounts", "policy", "projects", "reporting"]
    assert wrong_arrows("policy", order) == [
        "policy/totals.py imports projects.models",
        "policy/totals.py imports projects.models.Inzet",
    ]


# A view reaches the database only through what the model says the user may see (`for_user`) or a
# queryset that names its rule (the coördinatiepunten, public to all); anything else is a selector's job.
VIEW_QUERIES = {"for_user", "coordinatiepunten"}


def view_modules(app: str) -> list[Path]:
    return sorted([*(ROOT / app).glob("views.py"), *(ROOT / app).glob("views/*.py")])


def queries_in_views(app: str) -> list[str]:
    """Every `Model.objects.<method>` in the app's views whose method is not one of VIEW_QUERIES."""
    found = []
    for path in view_modules(app):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            manager = node.value if isinstance(node, ast.Attribute) else None
            if isinstance(manager, ast.Attribute) and manager.attr == "objects" and node.attr not in VIEW_QUERIES:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .objects.{node.attr}")
    return found


def test_views_query_only_through_for_user_or_a_selector():
    assert [query for app in FLOORS for query in queries_in_views(app)] == []


def test_the_check_sees_a_query_in_a_view(tmp_path, monkeypatch):
    views = tmp_path / "projects" / "views"
    views.mkdir(parents=True)
    (views / "list.py").write_text(
        "def a(request):\n    return Project.objects.filter(status='actief')\n"
        "def b(request):\n    return Project.objects.for_user(request.user).filter(status='actief')\n"
    )
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "views.py").write_text("x = Mail.objects.all()\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert queries_in_views("projects") == ["projects/views/list.py:2 .objects.filter"]
    assert queries_in_views("notifications") == ["notifications/views.py:1 .objects.all"]


def routes(patterns: list, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_every_permission_check_answers_allowed_or_denied_with_a_reason():
    checks = [
        (f"{app}.permissions.{name}", function)
        for app in APPS
        if (ROOT / app / "permissions.py").is_file()
        for name, function in inspect.getmembers(import_module(f"{app}.permissions"), inspect.isfunction)
        if name.startswith("can_") and function.__module__ == f"{app}.permissions"
    ]
    assert len(checks) >= 15
    wrong = [name for name, function in checks if inspect.signature(function).return_annotation is not Answer]
    assert wrong == [], "each can_* returns core.permissions.Answer"


def test_every_url_of_a_project_opens_the_same_way():
    """Every page and action under /projecten/<pk>/ (also the exports of reporting) starts with
    `projects.access.project_view` or `line_view`: the project for the user, then the permission check."""
    on_a_project = [
        (route, view) for route, view in routes(get_resolver().url_patterns) if "projecten/<int:pk>/" in route
    ]
    assert len(on_a_project) >= 19 and any(route.startswith("rapportage/") for route, _ in on_a_project)
    opened_otherwise = [route for route, view in on_a_project if not getattr(view, "opens_project", False)]
    assert opened_otherwise == []


# One definition of value (issue 28): money is made from amounts and time in policy/valuation.py only. Elsewhere
# no product or quotient (Python, or a Django expression, or SQL text) mentions both an amount and a span of time.
VALUE_ENGINE = Path("policy/valuation.py")
MONEY = re.compile(r"amount|bedrag|value|verplichting|prognose|actueel|rate|euro", re.IGNORECASE)
TIME = re.compile(
    r"days?\b|_days|months?\b|weeks?\b|_date\b|counts_from|counts_until|monthrange|peildatum|today", re.IGNORECASE
)


SQL_ARITHMETIC = re.compile(r"\b(SELECT|UPDATE)\b.*[*/]", re.DOTALL)


def words_in(node: ast.AST) -> set[str]:
    words = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            words.add(inner.id)
        elif isinstance(inner, ast.Attribute):
            words.add(inner.attr)
        elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            words.add(inner.value)
    return words


def values_computed_outside_the_engine(app: str) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts or path.relative_to(ROOT) == VALUE_ENGINE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
                text = " ".join(words_in(node))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_ARITHMETIC.search(node.value):
                text = node.value
            else:
                continue
            if MONEY.search(text) and TIME.search(text):
                found.append((path.relative_to(ROOT), node.lineno))
    return [f"{path}:{line}" for path, line in sorted(set(found))]


def test_no_value_is_computed_outside_the_engine():
    assert [found for app in FLOORS for found in values_computed_outside_the_engine(app)] == []


def test_the_check_sees_a_value_computed_outside_the_engine(tmp_path, monkeypatch):
    (tmp_path / "reporting").mkdir()
    (tmp_path / "reporting" / "dashboard.py").write_text(
        "def a(line, today):\n    return line.value_prognose * (today - line.counts_from).days / line.days\n"
        "def b():\n    return F('verplichting') * Days(F('end_date'), F('start_date'))\n"
        "SQL = 'SELECT SUM(amount * (end_date - start_date)) FROM inzet'\n"
        "def share(amount, of):\n    return amount * 100 / of\n"
    )
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "valuation.py").write_text("def v(amount, days):\n    return amount * days / 7\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert values_computed_outside_the_engine("reporting") == [
        "reporting/dashboard.py:2",
        "reporting/dashboard.py:4",
        "reporting/dashboard.py:5",
    ]
    assert values_computed_outside_the_engine("policy") == []
