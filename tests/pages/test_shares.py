"""The team and review pages offer their view on WhatsApp (the share box), through AppTest."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fixtures.company import AS_OF, CYCLE, PREVIOUS


def shared_text(app) -> str:
    (button,) = [b for b in app.get("link_button") if b.proto.url.startswith("https://wa.me/")]
    return parse_qs(urlsplit(button.proto.url).query)["text"][0]


@pytest.mark.parametrize(("page", "query", "start", "link"), [
    ("pages/team.py", {"team": "Sales", "lang": "id", "cycle": CYCLE},
     "Sales · 2026-Q4, per 20 Nov 2026: hasil kunci 2 🟢 Sesuai Jalur", "team=Sales"),
    ("pages/review.py", {"team": "Sales", "lang": "en", "cycle": PREVIOUS},
     "Quarter review 2026-Q3 · Sales: 1 objective(s)", "team=Sales"),
])
def test_the_share_box_offers_a_whatsapp_message_with_the_view_s_link(company_db, make_app, page, query, start, link):
    app = make_app(company_db, page=page, as_of=AS_OF.isoformat(), **query)
    assert not app.exception
    text = shared_text(app)
    assert text.startswith(start) and text.endswith(app.code[0].value) and link in app.code[0].value
