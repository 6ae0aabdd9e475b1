"""Real transcript files, written the way Zoom, Teams, Meet and Gong export them.

`CALL` is one discovery call in our own words: the rep (Priya, from Northwind) opens with a
long feature tour, the customer (Marco) barely speaks, and Marco promises his volumes by
Friday. Each writer renders the same lines in one format, so every parser is held to the
same speakers, words and times.
"""

from __future__ import annotations

Line = tuple[str, float, float, str]

FEATURE_TOUR = (
    "Let me walk you through the product first. Our platform has automated route planning, "
    "a live driver app with barcode scanning, proof of delivery with photos, an open API, "
    "forty ready-made integrations, custom dashboards and a forecasting module built on "
    "machine learning. It also ships with role-based permissions, single sign-on, audit "
    "trails and a white-label customer portal. On top of that you get unlimited users, "
    "nightly backups and a mobile admin console, so there is really nothing missing."
)

CALL: list[Line] = [
    ("Priya Shah", 0.0, 6.0, "Hi Marco, thanks for making the time. I'm Priya from Northwind."),
    ("Marco Bianchi", 6.0, 9.0, "Sure, glad we could find a slot."),
    ("Priya Shah", 9.0, 95.0, FEATURE_TOUR),
    ("Priya Shah", 95.0, 200.0, "The dashboards are fully configurable and the API is fast."),
    ("Marco Bianchi", 200.0, 210.0, "Okay. I'll send you our volumes by Friday."),
    ("Priya Shah", 210.0, 214.0, "Perfect, thanks."),
]


def _stamp(seconds: float, comma: bool = False) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    millis = round((seconds - int(seconds)) * 1000)
    mark = "," if comma else "."
    return f"{hours:02}:{minutes:02}:{secs:02}{mark}{millis:03}"


def teams_vtt(lines: list[Line], note: str = "") -> str:
    """Teams style: `<v Name>` voice tags, an optional NOTE after the header."""
    head = "WEBVTT\n\n" + (f"NOTE {note}\n\n" if note else "")
    cues = [
        f"{index}\n{_stamp(start)} --> {_stamp(end)}\n<v {who}>{text}</v>\n"
        for index, (who, start, end, text) in enumerate(lines, 1)
    ]
    return head + "\n".join(cues)


def zoom_vtt(lines: list[Line]) -> str:
    """Zoom style: numbered cues whose text starts with "Name: "."""
    cues = [
        f"{index}\n{_stamp(start)} --> {_stamp(end)}\n{who}: {text}\n"
        for index, (who, start, end, text) in enumerate(lines, 1)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def subrip(lines: list[Line]) -> str:
    """SubRip: comma decimal marks and "Name: " at the start of each subtitle."""
    blocks = [
        f"{index}\n{_stamp(start, True)} --> {_stamp(end, True)}\n{who}: {text}\n"
        for index, (who, start, end, text) in enumerate(lines, 1)
    ]
    return "\n".join(blocks)


def meet_text(lines: list[Line], heading: str = "") -> str:
    """Google Meet style plain text: a heading, then "Name: words" per line."""
    body = "\n".join(f"{who}: {text}" for who, _start, _end, text in lines)
    return f"{heading}\n\n{body}\n" if heading else body + "\n"


def headed_text(lines: list[Line], *, gong: bool = False) -> str:
    """Teams or Gong plain text: "Name  0:03" (or "Name | 00:03") on its own line, words below."""
    blocks = []
    for who, start, _end, text in lines:
        minutes, secs = divmod(int(start), 60)
        header = f"{who} | {minutes:02}:{secs:02}" if gong else f"{who}  {minutes}:{secs:02}"
        blocks.append(f"{header}\n{text}\n")
    return "\n".join(blocks)
