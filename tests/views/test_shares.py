"""Shares for chat groups (issue 25): the team and review pages' WhatsApp summaries in the reader's
language, and the one WhatsApp link builder (okrdash/urls.py) the pages and the e-mails use."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from okrdash import mail, statuscard
from okrdash.access import LOCAL_ACCESS
from okrdash.urls import whatsapp
from okrdash.viewstate import ReviewState, TeamState
from okrdash.views import review, team
from tests.fixtures import company as fixture
from tests.views.conftest import scope_of


def test_the_team_summary_counts_its_key_results_by_status_in_the_reader_s_language(company):
    assert team.view(company, TeamState(team="Sales"), scope_of(company, "id"), LOCAL_ACCESS).summary == (
        "Sales · 2026-Q4, per 20 Nov 2026: hasil kunci 2 🟢 Sesuai Jalur, 1 🔴 Keluar Jalur, 1 ⚪ Tanpa Data.")
    assert team.view(company, TeamState(team="Company"), scope_of(company), LOCAL_ACCESS).summary == (
        "Company · 2026-Q4, as of 20 Nov 2026: key results 1 🟢 On Track, 1 ⚪ No Target.")
    assert team.view(company, TeamState(team="Sales"), scope_of(company, cycle=None), LOCAL_ACCESS).summary is None


def test_the_review_summary_names_the_cycle_and_team(company):
    assert review.view(company, ReviewState(team="Sales"), scope_of(company, cycle=fixture.PREVIOUS)).summary == (
        "Quarter review 2026-Q3 · Sales: 1 objective(s), 1 key result(s) graded.")
    assert review.view(company, ReviewState(), scope_of(company, "id")).summary == (
        "Tinjauan kuartal 2026-Q4 · Semua tim: 5 tujuan, 10 hasil kunci dinilai.")


def test_a_whatsapp_link_carries_the_text_whole_and_the_mails_use_the_same_builder():
    text = 'Ani <b> & "Co" 50% ✅ https://okr.contoh.co.id/team?team=A+%26+B&lang=id'
    link = whatsapp(text)
    assert link.startswith("https://wa.me/?text=") and " " not in link and "&" not in link.removeprefix(
        "https://wa.me/?text=")
    assert parse_qs(urlsplit(link).query)["text"] == [text]
    assert mail.whatsapp is whatsapp


def open_png(data: bytes):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()  # the whole image decodes, not only its header
    return image


def test_the_team_status_card_is_a_png_of_its_objectives_with_status_and_progress(company):
    view = team.view(company, TeamState(team="Support"), scope_of(company, "id"), LOCAL_ACCESS)
    assert view.status_card_name == "status-Support-2026-Q4.png"
    image = open_png(view.status_card())
    assert image.format == "PNG" and image.size == statuscard.size(2) == (1080, 190 + 2 * 124 + 40)
    # Each row's status badge is drawn in its colour: Support's objectives are At Risk and Off Track.
    colours = {image.getpixel((x, y)) for x in range(700, 1032, 4) for y in range(190, 190 + 2 * 112, 4)}
    assert (245, 158, 11) in colours and (211, 47, 47) in colours
    # While the cycle runs, each objective's grade so far, provisional, in the reader's language.
    grades = [row.grade for row in team.status_card_content(company, scope_of(company, "id"), "Support").rows]
    assert grades == ["Nilai sementara 0,6 (belum final)", "Nilai sementara 0,0 (belum final)"]


def test_hostile_and_long_text_stays_on_its_line_of_the_card():
    hostile = "<script>alert(1)</script> **bold** :smile: \n\t" + "Sangat panjang " * 40 + "🙂 ﷽ \u202e"
    rows = tuple(statuscard.CardRow(hostile, hostile, "#d32f2f", share, hostile) for share in (-1.0, 0.5, 7.0))
    card = statuscard.Card(hostile, hostile, hostile, rows, hostile)
    image = open_png(statuscard.png(card))
    assert image.size == statuscard.size(3)
    empty = open_png(statuscard.png(statuscard.Card("PT Contoh", "Sales · 2026-Q4", "Per 20 Nov 2026", (), hostile)))
    assert empty.size == statuscard.size(0) == (1080, 190 + 124 + 40)
