"""The configuration reference and `.env.example` say what the code does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config.reference import ENV_EXAMPLE, generated
from config.settings import VARIABLES, Settings


def test_the_checked_in_reference_and_env_example_match_the_settings() -> None:
    stale = [path.name for path, text in generated().items() if path.read_text("utf-8") != text]
    assert not stale, f"run python -m config.reference: {stale} differ from config/settings.py"


def test_every_variable_is_documented_and_in_the_example_file() -> None:
    reference, example = generated().values()
    for variable in VARIABLES:
        assert f"`{variable}`" in reference
        assert f"\n{variable}=" in example


def test_a_dotenv_copied_from_the_example_behaves_like_no_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    assert Settings() == Settings(_env_file=None)
