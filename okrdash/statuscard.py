"""A team's status card: a PNG to paste into a chat group (issue 25), drawn with Pillow.

One row per objective (its title, status in words with its colour, progress as a bar and in
percent, its grade: final with its band once the cycle is over, so far until then), under a header with the company, the team, the cycle and the as-of date. Every text is
the reader's, already in their language; a text too wide for the card is cut with an ellipsis,
never wrapped over its neighbours. Pillow's own font is used, so the card looks the same on every
server (no system font to install).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

WIDTH = 1080          # px: WhatsApp shows a 1080 px wide image sharp on a phone
MARGIN = 48
HEADER = 190
ROW = 124          # px: title and status, the bar, the grade
FOOTER = 40
TRACK = "#e8e8e8"
INK = "#212121"
MUTED = "#616161"


@dataclass(frozen=True)
class CardRow:
    title: str
    status: str        # in words, in the reader's language
    color: str         # the status colour (charts.STATUS_COLORS)
    progress: float    # 0..1 (drawn clamped)
    progress_text: str  # "47%"
    grade: str = ""    # "Final grade 0.9 · Missed: needs a postmortem", "Grade so far 0.6"


@dataclass(frozen=True)
class Card:
    company: str
    heading: str       # the team and the cycle
    as_of: str         # "As of 20 Nov 2026"
    rows: tuple[CardRow, ...]
    empty: str         # what the card says with no objective


def size(rows: int) -> tuple[int, int]:
    """The card's width and height for ``rows`` objectives (one row at least: the empty text)."""
    return WIDTH, HEADER + ROW * max(rows, 1) + FOOTER


def png(card: Card) -> bytes:
    image = Image.new("RGB", size(len(card.rows)), "white")
    draw = ImageDraw.Draw(image)
    big, middle, small = (ImageFont.load_default(size=n) for n in (44, 30, 24))
    inner = WIDTH - 2 * MARGIN
    draw.text((MARGIN, 36), _fit(draw, card.company, small, inner), fill=MUTED, font=small)
    draw.text((MARGIN, 72), _fit(draw, card.heading, big, inner), fill=INK, font=big)
    draw.text((MARGIN, 132), _fit(draw, card.as_of, small, inner), fill=MUTED, font=small)
    if not card.rows:
        draw.text((MARGIN, HEADER + 30), _fit(draw, card.empty, middle, inner), fill=MUTED, font=middle)
    for index, row in enumerate(card.rows):
        top = HEADER + ROW * index
        status_width = min(int(draw.textlength(_line(row.status), font=small)) + 16, inner // 3)
        draw.text((MARGIN, top), _fit(draw, row.title, middle, inner - status_width - 24), fill=INK, font=middle)
        draw.rounded_rectangle((WIDTH - MARGIN - status_width, top, WIDTH - MARGIN, top + 34), 8, fill=row.color)
        draw.text((WIDTH - MARGIN - status_width + 8, top + 4), _fit(draw, row.status, small, status_width - 16),
                  fill="white", font=small)
        bar_top, bar_right = top + 52, WIDTH - MARGIN - 110
        draw.rounded_rectangle((MARGIN, bar_top, bar_right, bar_top + 18), 4, fill=TRACK)
        share = min(max(row.progress, 0.0), 1.0)
        if share > 0:
            draw.rounded_rectangle((MARGIN, bar_top, MARGIN + int((bar_right - MARGIN) * share), bar_top + 18), 4,
                                   fill=row.color)
        draw.text((bar_right + 16, bar_top - 6), _fit(draw, row.progress_text, small, 94), fill=INK, font=small)
        if row.grade:
            draw.text((MARGIN, bar_top + 26), _fit(draw, row.grade, small, inner), fill=MUTED, font=small)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` on one line (line breaks and tabs as spaces), cut with "…" to ``width`` pixels."""
    text = _line(text)
    if draw.textlength(text, font=font) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle] + "…", font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"


def _line(text: str) -> str:
    return " ".join(text.split())
