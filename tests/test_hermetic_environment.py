"""A developer's exported settings never reach a test or the `coach` processes it starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.test_cli import run_coach

ROOT = Path(__file__).resolve().parents[1]
EXPORTED = {
    "OPENAI_API_KEY": "sk-developer-own-key",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "COACH_DATABASE_URL": "postgresql://developer@prod.example.com/coach",
    "SLACK_BOT_TOKEN": "xoxb-developer",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "developer-app",
}


def test_no_deployment_setting_is_visible_inside_a_test() -> None:
    assert not set(EXPORTED) & set(os.environ)


def test_a_coach_process_started_by_a_test_tries_no_model(tmp_path: Path) -> None:
    done = run_coach("ask", "-", "--json", db=tmp_path / "coach.db", stdin="Sent the quote Monday.")
    assert done.returncode == 0, done.stderr
    assert "llm" not in done.stderr  # no model was tried, so none fell back


def test_a_shell_that_exports_real_settings_changes_nothing() -> None:
    """Run the two tests above from a shell where the developer exported their own keys."""
    here = Path(__file__).name
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"tests/{here}::test_no_deployment_setting_is_visible_inside_a_test",
            f"tests/{here}::test_a_coach_process_started_by_a_test_tries_no_model",
        ],
        cwd=ROOT,
        env={**os.environ, **EXPORTED},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout
