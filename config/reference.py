"""The configuration reference, written from the settings' own descriptions.

`docs/configuration.md` and `.env.example` are generated here, so the code, the docs and the
example file cannot drift apart: `python -m config.reference` rewrites both, and
`tests/test_config_reference.py` fails when a checked-in copy differs from what this writes.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from config.settings import Group, groups

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN = ROOT / "docs" / "configuration.md"
ENV_EXAMPLE = ROOT / ".env.example"
COMMENT_WIDTH = 95

MARKDOWN_HEAD = """\
# Configuration

Settings come from the environment or a `.env` file in the working directory (copy
`.env.example`); the environment wins. An empty value means the default. An invalid value
stops every command with one line that names the variable and the problem, never the value,
which may be a secret. In code, settings are grouped by concern (`settings.database.url`,
`settings.slack.bot_token`); `config/settings.py` is the only module that reads them.

This page and `.env.example` are generated from `config/settings.py` by
`python -m config.reference`; a test fails when either differs from the code.
"""

ENV_HEAD = """\
# salescoach configuration. Copy to .env and fill in what you use; every line is optional
# and an empty value means the default. Generated from config/settings.py by
# `python -m config.reference` (docs/configuration.md has the same reference).
"""


def shown_default(field: FieldInfo) -> str:
    """The default as a person reads it: the documented wording, the value, or "empty"."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("shown"), str):
        return str(extra["shown"])
    default = field.default
    if default is PydanticUndefined or default is None or default == "":
        return "empty"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    return str(default)


def example_value(field: FieldInfo) -> str:
    """What `.env.example` writes after `=`: a plain default, else nothing."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and "shown" in extra:
        return ""
    shown = shown_default(field)
    return "" if shown == "empty" else shown


def _title(group: type[Group]) -> str:
    return (group.__doc__ or group.__name__).strip().splitlines()[0]


def _section(name: str) -> str:
    return name.capitalize() if name != "llm" else "Model"


def markdown() -> str:
    """`docs/configuration.md`: one table per group."""
    parts = [MARKDOWN_HEAD]
    for name, group in groups():
        parts.append(f"\n## {_section(name)}\n\n{_title(group)}\n\n")
        parts.append("| variable | default | meaning |\n|---|---|---|\n")
        for field in group.model_fields.values():
            default = shown_default(field).replace("|", "\\|")
            meaning = (field.description or "").replace("|", "\\|")
            parts.append(f"| `{field.alias}` | {default} | {meaning} |\n")
    return "".join(parts)


def env_example() -> str:
    """`.env.example`: every variable with its description as a comment."""
    parts = [ENV_HEAD]
    for name, group in groups():
        parts.append(f"\n# --- {_section(name)}: {_title(group)}\n")
        for field in group.model_fields.values():
            comment = textwrap.wrap(
                field.description or "", COMMENT_WIDTH - 2, break_on_hyphens=False
            )
            parts.extend(f"# {line}\n" for line in comment)
            parts.append(f"{field.alias}={example_value(field)}\n")
    return "".join(parts)


def generated() -> dict[Path, str]:
    """Each generated file and the text it should hold."""
    return {MARKDOWN: markdown(), ENV_EXAMPLE: env_example()}


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the generated files; with `--check`, only report which ones differ."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    stale = {path: text for path, text in generated().items() if not _holds(path, text)}
    for path, text in stale.items():
        if check:
            print(f"{path.relative_to(ROOT)} is out of date: run python -m config.reference")
        else:
            path.write_text(text, encoding="utf-8")
    return 1 if check and stale else 0


def _holds(path: Path, text: str) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == text


if __name__ == "__main__":
    raise SystemExit(main())
