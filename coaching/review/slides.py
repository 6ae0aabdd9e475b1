"""The text of a .pptx deck, slide by slide, with each slide's speaker notes.

A final-presentation deck is mostly titles, and what the rep means to say lives in the
speaker notes, so both are read: each slide gives its title line, then its text boxes and
table rows in the order they sit on the slide, then one "Speaker notes:" line. Slides are
separated by a blank line. The first slide's title comes first, as a document's title
does, so the review finds the customer's name in it.

python-pptx is imported on the first deck only: most uploads are not decks, and the
library pulls in lxml and Pillow, which a worker that never sees a deck need not load.
`coaching.review.documents` checks sizes and archive layout before calling this; exceptions from
the parser are turned into one line for the rep there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pptx.shapes.base import BaseShape
    from pptx.slide import Slide

NOTES = "Speaker notes: "


class TooMuchText(Exception):
    """The deck holds more text than the reader was allowed to collect."""


def deck_text(data: bytes, max_chars: int) -> str:
    """Every slide's text and notes; raises TooMuchText as soon as `max_chars` is passed."""
    from pptx import Presentation  # noqa: PLC0415 - lazy, see the module docstring

    deck = Presentation(io.BytesIO(data))
    slides: list[str] = []
    size = 0
    for slide in deck.slides:
        slides.append("\n".join(_slide_lines(slide)))
        size += len(slides[-1])
        if size > max_chars:
            raise TooMuchText
    return "\n\n".join(slides)


def _slide_lines(slide: Slide) -> Iterator[str]:
    title = slide.shapes.title
    if title is not None and title.text_frame.text.strip():
        yield _one_line(title.text_frame.text)
    for shape in _flatten(slide.shapes):
        if title is not None and shape.shape_id == title.shape_id:
            continue
        yield from _shape_lines(shape)
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        notes = " ".join(_one_line(p.text) for p in frame.paragraphs) if frame else ""
        if notes.strip():
            yield NOTES + " ".join(notes.split())


def _flatten(shapes: Iterable[BaseShape]) -> Iterator[BaseShape]:
    """Shapes in slide order, with the members of grouped shapes in place of the group."""
    from pptx.shapes.group import GroupShape  # noqa: PLC0415 - lazy with the rest

    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _flatten(shape.shapes)
        else:
            yield shape


def _shape_lines(shape: BaseShape) -> Iterator[str]:
    """A text box's paragraphs, or a table's rows with cells joined by " | "."""
    from pptx.shapes.autoshape import Shape  # noqa: PLC0415 - lazy with the rest
    from pptx.shapes.graphfrm import GraphicFrame  # noqa: PLC0415

    if isinstance(shape, Shape) and shape.has_text_frame:
        for paragraph in shape.text_frame.paragraphs:
            yield _one_line(paragraph.text)
    elif isinstance(shape, GraphicFrame) and shape.has_table:
        for row in shape.table.rows:
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            if any(cells):
                yield " | ".join(cell for cell in cells if cell)


def _one_line(text: str) -> str:
    """python-pptx gives a soft line break as a vertical tab; it reads as a space."""
    return " ".join(text.replace("\v", " ").split())
