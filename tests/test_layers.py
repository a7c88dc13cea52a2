"""The apps' import directions, read from the source with ``ast`` (no import is executed).

    web -> minutes -> voting -> meetings,   realtime -> minutes, voting, meetings
    web, realtime -> identity -> meetings   (second factor and SSO checks)
    api -> minutes, voting, meetings, identity; api -> realtime (only ``realtime.models``:
        the API tokens live there, and moving the model would mean a data migration)

The domain apps append events and never import the layers that show them (``realtime``,
``web``); ``meetings`` is the bottom. Imports inside functions and under ``TYPE_CHECKING``
count too: a deferred import is still a dependency. Migrations are left out (they name other
apps' migrations, which is Django's business, not a code dependency).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Our top-level packages, and which of them each app may import (besides itself).
OURS = frozenset({
    "klubba", "meetings", "voting", "minutes", "realtime", "web", "identity", "notices", "api",
})
ALLOWED: dict[str, frozenset[str]] = {
    "meetings": frozenset(),
    "voting": frozenset({"meetings"}),
    "minutes": frozenset({"voting", "meetings"}),
    "realtime": frozenset({"minutes", "voting", "meetings", "identity", "notices"}),
    "web": frozenset({"minutes", "voting", "meetings", "identity", "notices"}),
    # Strong identity: reads the body's roles; the pages and the socket call its checks.
    "identity": frozenset({"meetings"}),
    # Before the meeting: notice, förhinder, remote requests (issue 15).
    "notices": frozenset({"meetings"}),
    # The JSON API (docs/api.md): a layer on top, like the pages; it authenticates with the
    # websocket's API tokens (realtime.models.ApiToken) and imports nothing else of realtime.
    "api": frozenset({"minutes", "voting", "meetings", "identity", "realtime"}),
}


def imported_packages(source: str, module: str) -> Iterator[tuple[int, str, str]]:
    """(line, top-level package, imported name) for every import in ``source``.

    ``module`` is the dotted name of the file (``meetings.views``); relative imports are
    resolved against it."""
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0], alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, ``level - 1`` up
                base = package[:-node.level]
                name = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            else:
                name = node.module or ""
            yield node.lineno, name.split(".")[0], name


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.append("__init__")  # a package's relative imports resolve from the package
    return ".".join(parts)


def source_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def violations(app: str) -> list[str]:
    """One readable line per import that points the wrong way."""
    found = []
    for path in source_files(app):
        module = module_name(path)
        for line, top, name in imported_packages(path.read_text(encoding="utf-8"), module):
            if top in OURS and top != app and top not in ALLOWED[app]:
                found.append(f"{path.relative_to(ROOT)}:{line}: {module.removesuffix('.__init__')}"
                             f" imports {name} ({app} -> {top} is not allowed)")
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_imports_point_down_only(app: str) -> None:
    assert list(source_files(app)), f"no source files found for {app}"
    problems = violations(app)
    allowed = ", ".join(sorted(ALLOWED[app])) or "none of our apps"
    assert not problems, f"{app} may import only {allowed}:\n" + "\n".join(problems)


def test_the_check_sees_every_kind_of_import() -> None:
    """The walker finds plain, from-, deferred and relative imports (so a pass means
    something)."""
    source = (
        "import voting.models\n"
        "from minutes import build\n"
        "def f():\n"
        "    from realtime.hub import hub\n"
        "from ..web import views\n"
        "from . import roles\n"
    )
    found = sorted((top, name) for _, top, name in
                   imported_packages(source, "meetings.commands.x"))
    assert found == [
        ("meetings", "meetings.commands"),
        ("meetings", "meetings.web"),
        ("minutes", "minutes"),
        ("realtime", "realtime.hub"),
        ("voting", "voting.models"),
    ]


def test_the_api_takes_only_the_token_model_from_realtime() -> None:
    """``api -> realtime`` is allowed for ``realtime.models`` (ApiToken) alone."""
    found = [
        (path.name, name) for path in source_files("api")
        for _line, top, name in imported_packages(path.read_text("utf-8"), module_name(path))
        if top == "realtime" and name != "realtime.models"
    ]
    assert not found, found
