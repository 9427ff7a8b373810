"""Shares for chat groups (issue 25): the team and review pages' WhatsApp summaries in the reader's
language, and the one WhatsApp link builder (okrdash/urls.py) the pages and the e-mails use."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from okrdash import mail
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
