"""Every command in README.md and docs/*.md works as written on a fresh clone after `make demo`.

The convention (README, "Commands in these documents are tested"):

- a fenced block ```` ```sh ```` holds commands for a clone after `make demo`; each line runs
  verbatim with bash from the clone's root and must exit 0 without a traceback;
- a fenced block ```` ```sh server ```` is for a production server: not run, but it must be
  valid bash and every ``klubba <command>`` it names must exist;
- inline commands in the prose (`` `.venv/bin/klubba …` ``, `` `make …` ``) run too, unless
  they hold a placeholder (``[…]``, ``<…>``, ``…``).

The clone is a temporary directory: links to the repository's Makefile and files, a ``.venv``
whose ``python`` and ``klubba`` are this interpreter, a fresh ``var/``. `make demo-data` (what
`make demo` does before it serves) prepares it, exactly as a newcomer's `make demo` would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

from klubba.cli import OURS

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
                   re.M | re.S)
INLINE = re.compile(r"(?<!`)`((?:\.venv/bin/klubba|make) [^`]+|make [a-z-]+)`(?!`)")
PLACEHOLDER = re.compile(r"\[|<[a-z]|…")
#: Commands the test does not run, and why. CI runs each of them in its own step.
NOT_RUN = {
    "make demo": "serves until Ctrl-C; the test runs `make demo-data`, its first part",
    "make test": "the test suite itself",
    "make bench": "about 3 minutes; its own command",
    "make check": "the first step of .ci/run",
    "make messages": "rewrites the translation catalogues in the repository",
    "python -m bench.hotspots": "needs a profile from `make bench --profile`",
}
STEP_TIMEOUT = 180


def blocks(path: Path) -> list[tuple[str, str]]:
    """(info string, dedented body) of every fenced block."""
    found = []
    for match in FENCE.finditer(path.read_text("utf-8")):
        indent = len(match["indent"])
        body = "\n".join(line[indent:] for line in match["body"].splitlines())
        found.append((match["info"].strip(), body))
    return found


def command_lines(body: str) -> list[str]:
    """The commands of a block: continuation lines joined, comment-only lines dropped."""
    lines = body.replace("\\\n", " ").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def documented() -> tuple[list[str], list[str]]:
    """(commands to run, server blocks) over README.md and docs/*.md, in order."""
    run: list[str] = []
    server: list[str] = []
    for path in DOCUMENTS:
        text = path.read_text("utf-8")
        for info, body in blocks(path):
            if info == "sh":
                run += command_lines(body)
            elif info == "sh server":
                server.append(body)
        prose = FENCE.sub("", text)
        run += [span for span in INLINE.findall(prose) if not PLACEHOLDER.search(span)]
    unique = list(dict.fromkeys(run))
    return [c for c in unique if not any(c.startswith(p) for p in NOT_RUN)], server


def sandbox(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A stand-in for a fresh clone, and the environment of a newcomer's shell in it."""
    clone = tmp / "clone"
    (clone / ".venv" / "bin").mkdir(parents=True)
    for name in ("Makefile", "manage.py", "pyproject.toml", "README.md", "docs"):
        (clone / name).symlink_to(ROOT / name)
    wrappers = {"python": f'exec {sys.executable} "$@"',
                "klubba": f'exec {sys.executable} -m klubba.cli "$@"'}
    for name, line in wrappers.items():
        script = clone / ".venv" / "bin" / name
        script.write_text(f"#!/bin/sh\n{line}\n", "utf-8")
        script.chmod(0o755)
    (clone / ".venv" / ".installed").touch()  # newer than pyproject.toml: make installs nothing
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KLUBBA_", "DJANGO_", "PYTEST_")) and k not in
           {"DATABASE_URL", "REDIS_URL"}}
    env.update(PYTHONPATH=str(ROOT), KLUBBA_VAR_DIR=str(clone / "var"))
    return clone, env


def run(command: str, clone: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=STEP_TIMEOUT, check=False)


def test_the_documents_have_commands_to_run():
    commands, server = documented()
    assert any(c.startswith(".venv/bin/klubba verify_log") for c in commands)
    assert any("klubba restore" in c for c in commands)
    assert any("klubba backup" in block for block in server)


def test_no_document_uses_the_bare_manage_py_form():
    """`python manage.py …` needs the venv's Python and settings; the README once said so."""
    for path in DOCUMENTS:
        assert not re.search(r"(?<![\w/.])python3? manage\.py", path.read_text("utf-8")), path


def test_server_blocks_are_bash_and_name_real_klubba_commands():
    _commands, server = documented()
    known = set(get_commands()) | OURS
    for body in server:
        checked = subprocess.run(["bash", "-n"], input=body, capture_output=True, text=True,
                                 check=False)
        assert checked.returncode == 0, (checked.stderr, body)
        for name in re.findall(r"bin/klubba (\w+)", body):
            assert name in known | {"backup", "restore"}, (name, body)


def test_every_documented_command_runs_on_a_fresh_demo(tmp_path):
    clone, env = sandbox(tmp_path)
    failures = []
    for command in ["make demo-data", *documented()[0]]:
        done = run(command, clone, env)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "Traceback" in output or "Warning" in output:
            failures.append(f"$ {command}\n(exit {done.returncode})\n{output[-2000:]}")
            if command == "make demo-data":
                break
    assert not failures, "\n\n".join(failures)


def test_a_tampered_log_is_exit_1_with_a_message_not_a_traceback(tmp_path):
    clone, env = sandbox(tmp_path)
    assert run("make demo-data", clone, env).returncode == 0
    tamper = ("from meetings.models import MeetingEvent as E; "
              "e = E.objects.filter(seq=3).first(); "
              "E.objects.filter(pk=e.pk).update(payload={**e.payload, 'x': 1})")
    assert run(f'.venv/bin/klubba shell -c "{tamper}"', clone, env).returncode == 0
    done = run(".venv/bin/klubba verify_log", clone, env)
    assert done.returncode == 1
    assert "TAMPERED: first broken event: seq 3" in done.stderr
    assert "Traceback" not in done.stderr and "ProgrammingError" not in done.stderr


def test_missing_settings_are_a_message_not_a_traceback(tmp_path):
    clone, env = sandbox(tmp_path)
    done = run(".venv/bin/klubba verify_log", clone, env)
    assert done.returncode == 2
    assert "KLUBBA_SECRET_KEY is not set" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", sorted(NOT_RUN))
def test_what_is_not_run_is_still_a_make_target_or_module(command):
    if command.startswith("make "):
        target = command.split()[1]
        assert re.search(rf"^{target}:", (ROOT / "Makefile").read_text("utf-8"), re.M)
