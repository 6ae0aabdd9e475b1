"""Uploaded documents, team CSVs and settings: any input is read, or refused with a named
error a user can act on; never another exception."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.cli.team import read_team_csv
from coaching.errors import CoachingError
from coaching.review.documents import extract_text
from coaching.team.ports import Member
from coaching.team.rules import check_import
from coaching.types import Platform, Role
from config.settings import VARIABLES, Settings, variable_of
from tests.fuzz.strategies import FUZZ, rep_text

DOCUMENT_CODES = {
    "input.too_large",
    "input.unreadable_file",
    "input.unsupported_file",
    "input.empty",
}
MAX_BYTES, MAX_CHARS = 4_000, 2_000


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# Real magic numbers first, so the PDF and DOCX readers see their own kind of garbage.
documents = st.one_of(
    st.binary(max_size=600),
    st.binary(max_size=300).map(lambda tail: b"%PDF-1.7\n" + tail),
    st.dictionaries(
        st.sampled_from(["[Content_Types].xml", "word/document.xml", "x"]),
        st.binary(max_size=200),
        max_size=3,
    ).map(_zip_of),
    rep_text.map(lambda text: text.encode("utf-8")),
    rep_text.map(lambda text: text.encode("utf-16")),
)
names = st.sampled_from(["deal.txt", "deal.md", "deal.pdf", "deal.docx", "deal", "deal.exe", ""])


@FUZZ
@given(name=names, data=documents)
def test_any_bytes_are_text_or_a_named_document_error(name: str, data: bytes) -> None:
    try:
        text = extract_text(name, data, max_bytes=MAX_BYTES, max_chars=MAX_CHARS)
    except CoachingError as error:
        code = error.code
    else:
        assert text.strip()
        assert len(text) <= MAX_CHARS
        return
    assert code in DOCUMENT_CODES


ADMIN = Member(
    id=1, tenant_id=1, platform=Platform.CONSOLE, tenant="console", user="ana", role=Role.ADMIN
)
HEADER = "user,name,role,manager,tz\n"
csv_cells = st.sampled_from(
    ["ana", "bo", "cy", "manager", "rep", "admin", "Europe/Berlin", "Mars/Base", '"', ",", ""]
) | st.text(max_size=8)
csv_lines = st.lists(st.lists(csv_cells, max_size=6).map(",".join), max_size=6)
csv_files = st.one_of(
    csv_lines.map(lambda lines: (HEADER + "\n".join(lines)).encode()),
    st.binary(max_size=300),
    rep_text.map(str.encode),
)


@FUZZ
@given(data=csv_files)
def test_a_team_csv_is_imported_whole_or_refused_with_one_named_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "team.csv"
        path.write_bytes(data)
        try:
            updates = check_import(read_team_csv(path), {"ana": ADMIN}, ADMIN)
        except CoachingError as error:
            code = error.code
        else:
            assert len({update.user for update in updates}) == len(updates)
            return
    assert code in {"team.bad_import", "input.unreadable_file"}


# Every setting, by its environment name, with anything a person might put in `.env`.
SETTING_NAMES = sorted(VARIABLES)
setting_values = st.sampled_from(["", "0", "-1", "70000", "true", "maybe", "[", "[1]", "1e9"]) | (
    st.text(max_size=20)
)


@FUZZ
@given(name=st.sampled_from(SETTING_NAMES), value=setting_values)
def test_any_setting_value_is_accepted_or_a_validation_error_naming_it(
    name: str, value: str
) -> None:
    values: dict[str, Any] = {name: value}
    try:
        Settings(_env_file=None, **values)
    except ValidationError as error:
        problems = error.errors(include_input=False, include_url=False)
    else:
        return
    assert problems
    assert all(variable_of(tuple(map(str, problem["loc"]))) == name for problem in problems)
