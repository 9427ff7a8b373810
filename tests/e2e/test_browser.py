"""okrdash in a real browser: links open the right view, filters write the link, uploads import.

Every test leaves a full-page screenshot in test-artifacts/screenshots/<test>.png. The demo
company is anchored at 2026-11-22 (cycle 2026-Q4), so every link pins ``as_of`` and ``cycle``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AS_OF, CYCLE, DATA, IDLE_TIMEOUT_MS, open_app, screenshot, wait_idle

PINNED = f"as_of={AS_OF}&cycle={CYCLE}"
ENGINEERING_OBJECTIVE = "Improve the quality of our releases"
SALES_OBJECTIVE = "Sell more efficiently and close more high-quality deals"


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def heading(page: Page, text: str):
    """The page title (st.title renders an h1; the emoji icon comes first)."""
    return page.locator('[data-testid="stMain"] h1').filter(has_text=text)


def main_text(page: Page, text: str):
    """Text drawn by st.markdown / st.caption / headings in the main area (not inside a data grid)."""
    return page.locator('[data-testid="stMain"]').locator(
        '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]').filter(has_text=text).first


def team_picker(page: Page):
    """The team picker of the team page (widget key "team"; a segmented control for up to eight teams)."""
    return page.locator('[data-testid="stMain"] .st-key-team [role="radiogroup"]')


def expect_healthy(page: Page) -> None:
    """No exception box, no error alert, no "this link asked for something that does not exist"."""
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    # The local-mode banner (no sign-in configured) is the one warning these pages should show.
    warnings = page.locator('[data-testid="stAlertContentWarning"]').filter(has_not_text="Local mode: no sign-in")
    expect(warnings).to_have_count(0)


# --------------------------------------------------------------------------- 1. overview link


def test_overview_link_shows_company_overview(page: Page, app_url: str, request: pytest.FixtureRequest) -> None:
    open_app(page, app_url, f"/overview?{PINNED}")
    screenshot(page, request)
    expect(heading(page, "Company overview")).to_be_visible()
    expect(page.locator('[data-testid="stMain"] h3').filter(has_text="Needs attention")).to_be_visible()
    expect(main_text(page, "Cycle 2026-Q4, as of 22 Nov 2026")).to_be_visible()
    # The section is a table (or the all-clear message): either way something is under the heading.
    attention = page.locator('[data-testid="stMain"] table.okr-table, [data-testid="stAlertContentSuccess"]')
    expect(attention.first).to_be_visible()


# --------------------------------------------------------------------------- 2. filtered team link


def test_team_link_shows_that_team(page: Page, app_url: str, request: pytest.FixtureRequest) -> None:
    open_app(page, app_url, f"/team?team=Engineering&{PINNED}")
    screenshot(page, request)
    expect(heading(page, "Team view")).to_be_visible()
    expect_healthy(page)
    expect(team_picker(page).get_by_role("radio", name="Engineering")).to_have_attribute("aria-checked", "true")
    expect(main_text(page, "Engineering · cycle 2026-Q4, as of 22 Nov 2026")).to_be_visible()
    for title in (ENGINEERING_OBJECTIVE, "Help the development team ship faster",
                  "Keep the platform fast and reliable"):
        expect(page.locator('[data-testid="stMain"] h4').filter(has_text=title)).to_be_visible()
    expect(page.locator('[data-testid="stMain"] h4').filter(has_text=SALES_OBJECTIVE)).to_have_count(0)
    assert query(page).get("team") == ["Engineering"], page.url


# --------------------------------------------------------------------------- 3. a changed filter is a link


def url_param(page: Page, name: str, value: str) -> None:
    """Wait until the address bar's query string has ``name=value`` (written by a bound widget)."""
    page.wait_for_function("([name, value]) => new URLSearchParams(location.search).get(name) === value",
                           arg=[name, value])


def test_changed_filters_are_a_link(page: Page, new_page, app_url: str, request: pytest.FixtureRequest) -> None:
    """Pick another team, then another language: the address bar follows, and is the view for anyone."""
    open_app(page, app_url, f"/team?team=Engineering&{PINNED}")
    team_picker(page).get_by_role("radio", name="Sales").click()
    expect(page.locator('[data-testid="stMain"] h4').filter(has_text=SALES_OBJECTIVE)).to_be_visible()
    wait_idle(page)
    url_param(page, "team", "Sales")

    page.locator('[data-testid="stSidebar"] [role="radiogroup"]').get_by_role("radio", name="id").click()
    expect(heading(page, "Tampilan tim")).to_be_visible()
    wait_idle(page)
    url_param(page, "lang", "id")
    link = page.url
    assert query(page)["team"] == ["Sales"] and query(page)["lang"] == ["id"], link
    assert query(page).get("as_of") in (None, [AS_OF]), link  # omitted only when it is today's date
    screenshot(page, request)

    other = new_page()  # a new browser context: nothing but the link is shared
    open_app(other, "", link)
    screenshot(other, request, suffix="new-context")
    expect(heading(other, "Tampilan tim")).to_be_visible()
    expect(team_picker(other).get_by_role("radio", name="Sales")).to_have_attribute("aria-checked", "true")
    expect(other.locator('[data-testid="stSidebar"] [role="radiogroup"]').get_by_role("radio", name="id")) \
        .to_have_attribute("aria-checked", "true")
    expect(other.locator('[data-testid="stMain"] h4').filter(has_text=SALES_OBJECTIVE)).to_be_visible()
    expect(other.locator('[data-testid="stMain"] h4').filter(has_text=ENGINEERING_OBJECTIVE)).to_have_count(0)
    expect_healthy(other)


# --------------------------------------------------------------------------- 4. upload


def test_upload_kpi_csv_then_see_it_on_the_kpis_page(page: Page, fresh_app_url: str,
                                                     request: pytest.FixtureRequest) -> None:
    csv = DATA / "e2e_kpis.csv"
    open_app(page, fresh_app_url, "/upload")
    expect(heading(page, "Upload files")).to_be_visible()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    if not uploader.count():
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.set_input_files(str(csv))
    import_button = page.locator(".st-key-import_button button")
    expect(import_button).to_be_visible()  # the dry run found no problem
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="valid")).to_be_visible()
    wait_idle(page)
    import_button.click()
    imported = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Imported")
    expect(imported).to_be_visible()
    expect(imported).to_contain_text("e2e_kpis.csv")
    expect(imported).to_contain_text(re.compile(r"[1-9]\d* new row"))
    wait_idle(page)
    expect(page.locator(".st-key-import_button")).to_have_count(0)
    screenshot(page, request)

    open_app(page, fresh_app_url, f"/kpis?team=E2E+Team&as_of={AS_OF}")
    screenshot(page, request, suffix="kpis")
    expect(heading(page, "KPIs")).to_be_visible()
    expect(page.locator('[data-testid="stMain"] h4').filter(has_text="E2E signups")).to_be_visible()
    expect(main_text(page, "1 of")).to_be_visible()  # "As of ...: 1 of N KPIs shown"
    expect_healthy(page)


# --------------------------------------------------------------------------- 5. every page


PAGES = [
    pytest.param("/?{pinned}", "Company overview", "Company objectives and the team objectives aligned",
                 id="overview-en"),
    pytest.param("/team?team=Engineering&{pinned}", "Team view", ENGINEERING_OBJECTIVE, id="team-en"),
    pytest.param("/objective?objective={objective}&{pinned}", "Objective detail", ENGINEERING_OBJECTIVE,
                 id="objective-en"),
    pytest.param("/kpis?team=Engineering&{pinned}", "KPIs", " · Engineering", id="kpis-en"),
    pytest.param("/upload?{pinned}", "Upload files", None, id="upload-en"),
    pytest.param("/explainer?{pinned}", "OKR vs KPI", None, id="explainer-en"),
    pytest.param("/?lang=id&{pinned}", "Ringkasan perusahaan", "Perlu perhatian", id="overview-id"),
    pytest.param("/team?team=Engineering&lang=id&{pinned}", "Tampilan tim", ENGINEERING_OBJECTIVE, id="team-id"),
]


@pytest.mark.parametrize(("path", "title", "shows"), PAGES)
def test_page_screenshot(page: Page, app_url: str, objective_ids: dict[str, int], request: pytest.FixtureRequest,
                         path: str, title: str, shows: str | None) -> None:
    url = path.format(pinned=PINNED, objective=objective_ids[ENGINEERING_OBJECTIVE])
    open_app(page, app_url, url)
    screenshot(page, request)
    expect(heading(page, title)).to_be_visible()
    if shows:
        expect(main_text(page, shows)).to_be_visible()
    expect_healthy(page)


# --------------------------------------------------------------------------- product bugs found here


def test_overview_path_does_not_say_page_not_found(page: Page, app_url: str, request: pytest.FixtureRequest) -> None:
    """``/overview`` is the overview's url_path in app.py, so a link to it must not be an error.

    Streamlit serves the default page at ``/`` and ignores its ``url_path``: ``/overview`` shows the
    overview under a "Page not found" dialog.
    """
    open_app(page, app_url, f"/overview?{PINNED}")
    screenshot(page, request)
    # The dialog, when there is one, is already up once the run is over: no need to wait 15 s for it to go.
    expect(page.get_by_role("dialog").filter(has_text="Page not found")).to_have_count(0, timeout=2_000)


def test_first_visit_on_a_deep_link_uses_the_app_navigation(page: Page, cold_app_url: str,
                                                           request: pytest.FixtureRequest) -> None:
    """The first visitor after a restart who follows a shared link must get the app, not the pages/ files.

    Streamlit runs apps with a ``pages/`` folder in its legacy multipage mode until some script
    has called ``st.navigation``: the page file runs without app.py and the sidebar lists the files
    (app, explainer, kpis, ...) instead of the app's pages (Overview, Team, ...).
    """
    open_app(page, cold_app_url, f"/team?team=Engineering&{PINNED}")
    screenshot(page, request)
    nav = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    # The run is over and the sidebar drawn: no need to wait long for it to change.
    legacy_entry = nav.filter(has_text=re.compile(r"^\s*app\s*$"))  # the entry point listed as a page
    expect(legacy_entry).to_have_count(0, timeout=2_000)
    expect(nav.filter(has_text=re.compile(r"\bOverview\s*$"))).to_have_count(1, timeout=2_000)  # app.py's title
    expect(heading(page, "Team view")).to_be_visible()


# --------------------------------------------------------------------------- a table downloads as shown


def test_a_table_downloads_as_csv_built_on_click(page: Page, app_url: str, request: pytest.FixtureRequest) -> None:
    # The CSV is made when the button is clicked (st.download_button with a callable), not per rerun.
    open_app(page, app_url, f"/team?team=Engineering&{PINNED}")
    expect_healthy(page)
    # The first key results' downloads, in their popover (Streamlit gives a keyed element the class
    # st-key-<key>: the popover's is <download key>_files).
    page.locator('[data-testid="stMain"] [class*="st-key-download_krs_"][class*="_files"] button').first.click()
    button = page.get_by_role("button", name="Download CSV")
    with page.expect_download() as download:
        button.click()
    screenshot(page, request)
    text = download.value.path().read_bytes().decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert download.value.suggested_filename.endswith(".csv")
    assert header.startswith("Key result,"), text[:500]
    assert any(row.startswith("Reduce new bug reports per month from 72 to 60,") for row in rows), text[:500]


# --------------------------------------------------------------------------- check-in in the browser


def off_track_count(page: Page) -> int:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Off Track").first
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text())


def test_check_in_from_a_team_link_then_undo_it(page: Page, fresh_app_url: str,
                                               request: pytest.FixtureRequest) -> None:
    """Open a team link, check in a key result, see its new value and status without reloading,
    undo it from the import history, and see the old value again."""
    team_link = f"/team?team=Engineering&{PINNED}"
    open_app(page, fresh_app_url, team_link)
    expect_healthy(page)
    off_track = off_track_count(page)
    # One check-in form per objective, in the order of the objectives' headings.
    headings = page.locator('[data-testid="stMain"] h4').all_inner_texts()
    index = next(i for i, text in enumerate(headings) if "Keep the platform fast and reliable" in text)
    objective = page.locator('[data-testid="stMain"] [data-testid="stExpander"]').filter(has_text="Check in").nth(index)
    objective.locator("summary").click()
    wait_idle(page)  # opening it reruns the page, which draws the form
    objective.locator('[data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="Raise API uptime from 99.5% to 99.9%").click()
    wait_idle(page)
    objective.get_by_label("New value (%)").fill("99.9")
    objective.get_by_role("button", name="Save check-in").click()
    wait_idle(page)
    saved = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Check-in saved")
    expect(saved).to_contain_text("now 99.9 % · 🔵 Complete")
    assert off_track_count(page) == off_track - 1  # the page's counts moved without a reload
    screenshot(page, request, suffix="saved")

    page.locator('[data-testid="stSidebarNav"] a', has_text="Upload").click()
    # On a busy machine the navigation's run may start after wait_idle's first look: wait for the
    # Upload page itself before touching its widgets.
    expect(heading(page, "Upload")).to_be_visible(timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Undo an import").click()
    undo = page.get_by_role("button", name="Undo this batch")
    expect(undo).to_be_enabled()
    # The newest batch (the check-in) is the one offered first.
    undo.click()
    wait_idle(page)
    # Asked first: what the undo changes, and who wrote the batch.
    expect(page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="Check-ins: 1 row(s) removed")) \
        .to_be_visible(timeout=IDLE_TIMEOUT_MS)
    page.get_by_role("button", name="Yes, undo it").click()
    wait_idle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="undone")) \
        .to_be_visible(timeout=IDLE_TIMEOUT_MS)

    open_app(page, fresh_app_url, team_link)
    assert off_track_count(page) == off_track
    screenshot(page, request)


# --------------------------------------------------------------------------- the quarter review, a phone


def test_quarter_review_in_indonesian_prints_without_the_sidebar(page: Page, app_url: str,
                                                                  request: pytest.FixtureRequest) -> None:
    open_app(page, app_url, f"/review?lang=id&as_of={AS_OF}&cycle=2026-Q3&team=Engineering")
    expect(heading(page, "Tinjauan kuartal")).to_be_visible()
    expect(main_text(page, "nilai akhir")).to_be_visible()
    expect(page.locator('[data-testid="stMain"] h3').filter(has_text="Tujuan komitmen yang tidak tercapai")) \
        .to_be_visible()
    expect_healthy(page)
    page.emulate_media(media="print")
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(page.locator('[data-testid="stDownloadButton"]').first).to_be_hidden()
    screenshot(page, request, suffix="print")
    page.emulate_media(media="screen")


def test_a_shared_team_link_reads_on_a_phone_without_sideways_scrolling(page: Page, app_url: str,
                                                                       request: pytest.FixtureRequest) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, app_url, f"/team?lang=id&team=Engineering&{PINNED}")
    expect(heading(page, "Tampilan tim")).to_be_visible()
    expect(main_text(page, "Berisiko karena 2 dari 3 hasil kunci Berisiko")).to_be_visible()
    screenshot(page, request)
    # The page itself never scrolls sideways (a table may, inside its own frame).
    width = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= 390, width
    # Each key result's title, status and progress are drawn as a card, in the status colour.
    # (static HTML bars: the team page loads no chart script)
    bars = page.locator('[data-testid="stMain"] .okr-progress [role="progressbar"]')
    expect(bars.first).to_be_visible()
    expect(page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')).to_have_count(0)
    # The share box is a popover: its link is drawn (with the syntax highlighter's script) when opened.
    expect(page.locator('[data-testid="stCode"]')).to_have_count(0)
    page.locator('[data-testid="stPopoverButton"]:visible').filter(has_text="Tautan ke tampilan ini").click()
    share = page.locator('[data-testid="stCode"]').first
    expect(share).to_contain_text("team=Engineering")
    expect_healthy(page)
