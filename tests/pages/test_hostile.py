"""Titles, names and notes with HTML, Markdown links/images or script stay plain text on every page."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from okrdash.importing import Upload, import_files
from okrdash.store import open_store
from tests.pages.conftest import AS_OF, CYCLE

LINK = "[click me](http://evil.example)"
IMAGE = "![pixel](http://evil.example/p.png)"
SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEAM = f"Evil {LINK}"


@pytest.fixture
def hostile_db(demo_db):
    okrs = (
        "cycle,team,objective,parent_objective,key_result,owner,baseline,target,current,date\n"
        f'{CYCLE},"{HOSTILE_TEAM}","{SCRIPT} {IMAGE}",Grow expansion revenue,"**bold** {LINK}","{SCRIPT}",0,10,4,{AS_OF}\n'
        f'{CYCLE},"{HOSTILE_TEAM}","{SCRIPT} {IMAGE}",Grow expansion revenue,"Second {IMAGE}",x,0,10,9,{AS_OF}\n'
    )
    kpis = f'team,kpi,date,value,target\n"{HOSTILE_TEAM}","{SCRIPT} KPI {LINK}",{AS_OF},1,10\n'
    store = open_store(demo_db)
    try:
        import_files(store, [Upload("okrs.csv", okrs.encode()), Upload("kpis.csv", kpis.encode())])
        objective_id = int(store.objective_scores(dt.date.fromisoformat(AS_OF), team=HOSTILE_TEAM).iloc[0]["objective_id"])
    finally:
        store.close()
    return demo_db, objective_id


def _rendered_markdown(app) -> list[str]:
    texts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    texts += [s.value for s in app.subheader] + [t.value for t in app.title]
    return texts


def _assert_inert(app) -> None:
    assert not app.exception
    for text in _rendered_markdown(app):
        assert "](http://evil.example" not in text, text  # a live Markdown link or image
        assert "<script>" not in text, text               # raw HTML


@pytest.mark.parametrize("page, query", [
    (None, {}),
    ("pages/team.py", {"team": HOSTILE_TEAM}),
    ("pages/kpis.py", {"team": HOSTILE_TEAM}),
    ("pages/my_key_results.py", {"owner": SCRIPT}),
    ("pages/checkin.py", {"owner": SCRIPT}),
])
def test_hostile_text_is_shown_as_text(hostile_db, make_app, page, query):
    db, _ = hostile_db
    _assert_inert(make_app(db, page=page, as_of=AS_OF, cycle=CYCLE, **query))


def test_hostile_text_on_the_objective_page(hostile_db, make_app):
    db, objective_id = hostile_db
    _assert_inert(make_app(db, page="pages/objective.py", objective=str(objective_id), as_of=AS_OF, cycle=CYCLE))


# -- every text field and every URL parameter, on every page -------------------------------------------------
#
# The payload carries each Markdown construct Streamlit renders (bold, colour directives, LaTeX, a
# link, an image, HTML, a bare URL, an e-mail autolink) and each spelling it turns into a picture
# (a Material icon, an emoji shortcode, the Streamlit logo, an arrow). Every string of every element
# the page drew is read from its protobuf message, except fields Streamlit shows as plain text; in
# those strings the constructs must only appear escaped, and the pictures not at all.

PAYLOAD = ("X **BOLD** :red[RED] :red-background[REDBG] $LATEX$ [LINK](http://evil.example) "
           "![IMG](http://evil.example/p.png) <b>HTML</b> http://evil.example/bare www.evil.example boss@evil.example "
           ":material/warning: :smile: :streamlit: a <-> b")
# What the payload would draw as pictures, unescaped (the docs the Upload page shows hold arrows of their own).
PAYLOAD_PICTURES = (":material_warning:", ":smile:", ":streamlit:", " <->")
LIVE_CONSTRUCTS = ("**BOLD", ":red[", ":red-background[", "$LATEX", "<b>", "](http", "evil.example", "http://",
                   "www.evil")
PAGES = ("pages/overview.py", "pages/team.py", "pages/objective.py", "pages/kpis.py", "pages/upload.py",
         "pages/explainer.py", "pages/review.py", "pages/my_key_results.py", "pages/checkin.py", "pages/people.py")
URL_PARAMETERS = ("lang", "cycle", "as_of", "team", "status", "owner", "objective", "kpi", "category", "type",
                  "indicator")
# Fields Streamlit does not render as Markdown (per protobuf message type).
PLAIN_FIELDS = {
    "Code": {"code_text"}, "PageLink": {"page", "query_string"}, "VegaLiteChart": {"spec"},
    "Selectbox": {"options", "raw_value", "default"}, "MultiSelect": {"options", "raw_values", "default"},
    "Html": {"body"},  # HTML, not Markdown: checked by _assert_no_live_html
    "LinkButton": {"url"},  # an address, not Markdown: checked by _assert_links_stay_home
}
# Where a link button may lead: okrdash's own pages, or WhatsApp's share page with the text encoded.
LINK_HOSTS = {"", "wa.me"}


def pictures(source: str) -> list[str]:
    """What Streamlit 1.67's Markdown draws as a picture in ``source`` (its StreamlitMarkdown component):
    the source's ``:material/`` is rewritten to ``:material_`` before parsing; after parsing (escapes
    gone) ``:material_name:`` is an icon, ``:streamlit:`` the logo, a shortcode an emoji (when the
    source holds one, the test that loads remark-emoji) and an arrow between spaces a symbol."""
    rewritten = source.replace(":material/", ":material_")
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", rewritten)  # CommonMark escapes of ASCII punctuation
    found = re.findall(r":material_\w+:", text) + re.findall(r":streamlit:", text)
    if re.search(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", source):
        found += [code for code in re.findall(r":[\w-]+:", text) if not code.startswith((":material_", ":streamlit"))]
    found += re.findall(r"(?:^|\s)(?:<->|->|<-|--|>=|<=|~=)(?=\s|$)", text)
    return found


def _markdown_strings(app) -> list[tuple[str, str]]:
    """(message.field, text) of every string the page's elements carry, plain-text fields left out."""
    from google.protobuf.message import Message

    found: list[tuple[str, str]] = []

    def walk(message: Message) -> None:
        plain_fields = PLAIN_FIELDS.get(message.DESCRIPTOR.name, set())
        for field, value in message.ListFields():
            if field.name in plain_fields:
                continue
            for item in (list(value) if field.is_repeated else [value]):
                if isinstance(item, Message):
                    walk(item)
                elif isinstance(item, str):
                    found.append((f"{message.DESCRIPTOR.name}.{field.name}", item))

    def visit(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            walk(proto)
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(app._tree)
    return found


def _assert_no_live_html(app, page: str) -> None:
    """st.html bodies (the progress bars) carry stored text HTML-escaped: no tag of the payload is live."""
    for element in app.get("html"):
        assert "<b>" not in element.proto.body and "<script" not in element.proto.body, (page, element.proto.body)


def _assert_links_stay_home(app, page: str) -> None:
    """A link button's address is okrdash's or WhatsApp's share page: stored text is only ever its
    percent-encoded query (``?text=...``), never its scheme, host or path."""
    for button in app.get("link_button"):
        parts = urlsplit(button.proto.url)
        assert parts.netloc in LINK_HOSTS and "evil" not in parts.path, (page, button.proto.url)
        assert not [c for c in ("<", ">", " ", '"') if c in button.proto.url], (page, button.proto.url)


def _assert_nothing_live(app, page: str) -> list[tuple[str, str]]:
    assert not app.exception, (page, [e.value for e in app.exception])
    _assert_no_live_html(app, page)
    _assert_links_stay_home(app, page)
    strings = _markdown_strings(app)
    for where, text in strings:
        live = re.sub(r"\\.", "", text)  # what Markdown sees as syntax: the text without its escaped characters
        for construct in LIVE_CONSTRUCTS:
            assert construct not in live, (page, where, text)
        assert not [p for p in pictures(text) if p in PAYLOAD_PICTURES], (page, where, text)
    return strings


def _import_payload(db) -> tuple[int, int]:
    """The payload in every text column of an okrs, a kpis and a check-ins file; (objective id, KPI id)."""
    okrs = ("cycle,team,objective,objective_owner,parent_objective,key_result,owner,baseline,target,unit,current,date\n"
            f'{CYCLE},"{PAYLOAD}","{PAYLOAD}","{PAYLOAD}","{PAYLOAD}","{PAYLOAD}","{PAYLOAD}",0,10,"{PAYLOAD}",4,{AS_OF}\n')
    kpis = ("team,kpi,date,value,target,unit,category,owner\n"
            f'"{PAYLOAD}","{PAYLOAD}",2026-11-01,1,10,"{PAYLOAD}","{PAYLOAD}","{PAYLOAD}"\n'
            f'"{PAYLOAD}","{PAYLOAD}",{AS_OF},2,10,,,\n')
    checkins = f'team,key_result,date,value,note\n"{PAYLOAD}","{PAYLOAD}",2026-11-01,2,"{PAYLOAD}"\n'
    store = open_store(db)
    try:
        import_files(store, [Upload("okrs.csv", okrs.encode()), Upload("kpis.csv", kpis.encode()),
                             Upload("checkins.csv", checkins.encode())])
        as_of = dt.date.fromisoformat(AS_OF)
        objective_id = int(store.objective_scores(as_of, team=PAYLOAD.strip()).iloc[0]["objective_id"])
        kpi_id = int(store.kpi_scores(as_of, team=PAYLOAD.strip()).iloc[0]["kpi_id"])
    finally:
        store.close()
    return objective_id, kpi_id


@pytest.fixture
def payload_db(demo_db):
    return demo_db, *_import_payload(demo_db)


@pytest.mark.parametrize("page", PAGES)
def test_stored_payload_stays_text_on_every_page(payload_db, make_app, page):
    db, objective_id, kpi_id = payload_db
    app = make_app(db, page=page, as_of=AS_OF, cycle=CYCLE, team=PAYLOAD, objective=str(objective_id),
                   kpi=str(kpi_id), owner=PAYLOAD)
    strings = _assert_nothing_live(app, page)
    if page in ("pages/team.py", "pages/review.py"):  # the WhatsApp share carries the payload, encoded
        assert any("BOLD" in b.proto.url for b in app.get("link_button")), page
    if page in ("pages/team.py", "pages/objective.py", "pages/kpis.py", "pages/my_key_results.py", "pages/checkin.py"):
        # The payload is on the page (escaped), so the assertions above had something to check.
        assert any("BOLD" in text for _, text in strings), page
    if page in ("pages/team.py", "pages/objective.py"):
        # Their progress bars carry the stored titles in HTML: escaped, shown as the text itself.
        assert any("&lt;b&gt;HTML&lt;/b&gt;" in element.proto.body for element in app.get("html")), page


@pytest.mark.parametrize("page", PAGES)
def test_payload_in_every_url_parameter_stays_text(demo_db, make_app, page):
    app = make_app(demo_db, page=page, **{name: PAYLOAD for name in URL_PARAMETERS})
    strings = _assert_nothing_live(app, page)
    assert any("BOLD" in text for _, text in strings), page  # reported as an ignored value, escaped


def test_team_picker_options_and_kpi_units_are_escaped(empty_db, make_app):
    _import_payload(empty_db)  # one team: the picker is a segmented control, whose options render Markdown
    app = make_app(empty_db, page="pages/team.py", as_of=AS_OF, cycle=CYCLE, team=PAYLOAD)
    picker = next(b for b in app.get("button_group") if b.key == "team")
    assert any("\\*\\*BOLD\\*\\*" in option.content for option in picker.proto.options)
    assert any("warning" in option.content for option in picker.proto.options)  # the icon's name, as text
    assert not [pictures(option.content) for option in picker.proto.options if pictures(option.content)]
    assert any("\\:red\\[RED\\]" in metric.value for metric in app.metric)
    assert not [pictures(metric.value) for metric in app.metric if pictures(metric.value)]


def test_the_picture_check_sees_what_escaping_alone_leaves():
    from okrdash.markdown import plain

    # Escaped the old way (every special character, "/" not), the icon and the emoji are still drawn.
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=@])", r"\\\1", ":material/warning: :smile: :streamlit: a <-> b")
    assert pictures(escaped) == [":material_warning:", ":streamlit:", " <->"]
    assert pictures(escaped + " :+1:") == [":material_warning:", ":streamlit:", ":smile:", " <->"]
    assert pictures(plain(PAYLOAD)) == [] and pictures(plain(PAYLOAD) + " :+1:") == []
    # The text itself is kept: only invisible word joiners were added, and escapes.
    shown = re.sub(r"\\(.)", r"\1", plain(PAYLOAD)).replace("\u2060", "")
    assert shown == PAYLOAD


def test_payload_in_an_uploaded_file_stays_text(demo_db, make_app):
    from tests.pages.test_upload import choose

    app = make_app(demo_db, page="pages/upload.py", as_of=AS_OF)
    good = f'team,kpi,date,value,unit\n"{PAYLOAD}","{PAYLOAD}",{AS_OF},1,"{PAYLOAD}"\n'.encode()
    choose(app, "X **BOLD** [LINK](http:evil.example).csv", good)
    strings = _assert_nothing_live(app, "upload, valid file")
    assert any("BOLD" in text for _, text in strings)  # the file name, escaped, heads its summary
    bad = f'team,kpi,date,value\n"{PAYLOAD}","{PAYLOAD}",{AS_OF},"{PAYLOAD}"\n'.encode()
    choose(app, "X **BOLD** [LINK](http:evil.example).csv", bad)
    strings = _assert_nothing_live(app, "upload, file with problems")
    assert any("BOLD" in text for _, text in strings)  # the report's heading names the file


@pytest.mark.parametrize("page, query", [
    (None, {}),
    ("pages/team.py", {"team": HOSTILE_TEAM}),
    ("pages/kpis.py", {"team": HOSTILE_TEAM}),
    ("pages/my_key_results.py", {"owner": SCRIPT}),
])
def test_hostile_text_in_phone_cards_and_html_tables_is_escaped(hostile_db, make_app, page, query):
    """The cards and small tables are HTML we write: every user text in them is escaped."""
    db, _ = hostile_db
    app = make_app(db, page=page, as_of=AS_OF, cycle=CYCLE, **query)
    assert not app.exception
    drawn = " ".join(h.proto.body for h in app.get("html"))
    assert "okr-card" in drawn or "okr-table" in drawn
    assert "&lt;script&gt;" in drawn and "<script>" not in drawn
    # The only images are our drawings (SVG data URIs, tests/test_drawings.py): no Markdown image came alive.
    assert '<a href="http://evil' not in drawn and not re.findall(r'<img src="(?!data:image/svg\+xml;base64,)', drawn)
