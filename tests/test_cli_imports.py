"""`coach --help` starts fast because the command line loads no adapter until a command runs.

The check runs in a fresh interpreter, so modules an earlier test imported cannot hide an
eager import: building the whole app and printing its help must leave the chat SDKs, the
ORM, the model client and the job queue out of `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Each is a second or so of start-up; a command that needs one imports it when it runs.
ADAPTERS = ("slack_bolt", "microsoft_agents", "sqlalchemy.orm", "openai", "saq")
LOADED_AFTER_HELP = """
import contextlib, io, json, sys
sys.argv = ["coach", "--help"]
from bot.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
    main()
print(json.dumps({"help": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _help_in_fresh_interpreter() -> tuple[str, set[str]]:
    """`coach --help`'s output and every module loaded once it is printed."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER_HELP],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    result = json.loads(done.stdout)
    return str(result["help"]), set(result["modules"])


def test_coach_help_lists_the_commands_without_loading_any_adapter() -> None:
    help_text, modules = _help_in_fresh_interpreter()
    assert "Usage: coach" in help_text
    assert {"ask", "chat", "serve", "worker", "commitments", "teams"} <= set(help_text.split())
    assert [name for name in ADAPTERS if name in modules] == []


def test_a_command_module_imports_on_its_own() -> None:
    """The chat's commands and a CLI group once needed `bot.cli` imported first."""
    for name in ("bot.chat_commands", "bot.cli.team"):
        done = subprocess.run(
            [sys.executable, "-c", f"import {name}"],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert done.returncode == 0, f"{name}: {done.stderr}"
