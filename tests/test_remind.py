"""okrdash remind against a real SMTP server (aiosmtpd, in this process): the messages read back in
both languages, escaped, with their links; the schedule; never twice, a crash between two messages
included; a refusing or unreachable server; dry runs; several processes on PostgreSQL (issue 25)."""

from __future__ import annotations

import html

import datetime as dt
import email
import os
import signal
import socket
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from okrdash import settings as settings_module
from okrdash.access import admin_writer
from okrdash.cli import main as cli_main
from okrdash.importing import Upload, import_files
from okrdash.people import PeopleRows, Person
from okrdash.store import open_store

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "https://okr.contoh.co.id/okrdash/"
HOSTILE = "Ani <img src=x onerror=alert(1)> & Co"
OKRS = ("cycle,team,objective,key_result,owner,baseline,target,unit,current,date\n"
        "2026-Q4,Sales,Tumbuhkan pendapatan,Tutup 40 transaksi,Rizky,0,40,transaksi,12.5,2026-11-16\n"
        f'2026-Q4,Engineering,Ship faster,"Cut <b>lead</b> time & ""cost""",{HOSTILE},10,2,days,9,2026-11-09\n'
        "2026-Q4,Engineering,Ship faster,Write the runbook,Budi,0,1,,0,2026-11-09\n")
PEOPLE = PeopleRows(source="people.xlsx", people=(
    Person(name="Rizky", email="rizky@contoh.co.id", manager_email="dewi@contoh.co.id", language="id"),
    Person(name=HOSTILE, email="ani@contoh.co.id", manager_email="dewi@contoh.co.id", language="en"),
    Person(name="Dewi", email="dewi@contoh.co.id", language="id"),
))
MONDAY_0930 = "2026-11-23T09:30"


class Inbox:
    """What the SMTP server received; ``answer`` may refuse (or act on) the n-th message instead."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.answer = None  # a function of the message's number (0, 1 ...) -> an SMTP reply, or None to accept
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        number, self.tries = self.tries, self.tries + 1
        if self.answer is not None and (reply := self.answer(number)):
            return reply
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def mail_env(monkeypatch, smtp):
    """okrdash's mail settings pointing at the test server (settings are read again)."""
    _, port = smtp
    monkeypatch.setenv("OKRDASH_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("OKRDASH_MAIL_FROM", "okrdash@contoh.co.id")
    monkeypatch.setenv("OKRDASH_BASE_URL", BASE_URL)
    settings_module.settings.cache_clear()
    yield
    settings_module.settings.cache_clear()


def make_company(where: Path | str) -> None:
    store = open_store(where)
    try:
        import_files(store, [Upload("okrs.csv", OKRS.encode())], imported_by="admin", today=dt.date(2026, 11, 23))
        store.apply([PEOPLE.changes()], admin_writer("admin@contoh.co.id"))
    finally:
        store.close()


@pytest.fixture
def company(tmp_path) -> Path:
    path = tmp_path / "okrdash.duckdb"
    make_company(path)
    return path


def remind(db: Path | str, *args: str) -> int:
    return cli_main(["--db", str(db), "remind", *args])


def parts(message: EmailMessage) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def links(text: str) -> list[str]:
    return [word.rstrip('"') for word in text.split() if word.startswith("https://")]


def test_monday_reminds_owners_in_their_language_then_nothing_then_the_managers_digest(company, smtp, mail_env,
                                                                                         capsys):
    inbox, _ = smtp
    assert remind(company, "--at", "2026-11-23T08:59") == 0
    assert inbox.messages == []
    assert remind(company, "--at", MONDAY_0930) == 0
    out = capsys.readouterr().out
    assert "no person is named 'Budi'" in out
    assert sorted(inbox.to()) == ["ani@contoh.co.id", "rizky@contoh.co.id"]  # not Budi, not the manager yet
    rizky = next(m for m in inbox.messages if m["To"] == "rizky@contoh.co.id")
    ani = next(m for m in inbox.messages if m["To"] == "ani@contoh.co.id")

    # Rizky reads Indonesian: numbers and dates in its convention.
    text, markup = parts(rizky)
    assert rizky["Subject"] == "Check-in mingguan Anda, pekan 23 Nov 2026"
    assert rizky["From"] == "okrdash@contoh.co.id"
    assert "Halo Rizky," in text and "nilai terakhir 12,5 transaksi" in text
    assert "Tutup 40 transaksi (Sales: Tumbuhkan pendapatan): Sesuai Jalur" in text
    assert "check-in terakhir 7 hari lalu" in text
    checkin = "https://okr.contoh.co.id/okrdash/checkin?lang=id&owner=Rizky"
    assert checkin in links(text) and f'href="{html.escape(checkin)}"' in markup
    share = next(link for link in links(text) if link.startswith("https://wa.me/?text="))
    shared = parse_qs(urlsplit(share).query)["text"][0]
    assert shared.startswith("Check-in mingguan Rizky, pekan 23 Nov 2026: 1 hasil kunci") and checkin in shared

    # Ani reads English; her name and her key result's title are text, never markup.
    text, markup = parts(ani)
    assert ani["Subject"] == "Your weekly check-in, week of 23 Nov 2026"
    assert f"Hello {HOSTILE}," in text and 'Cut <b>lead</b> time & "cost"' in text
    assert "<img" not in markup and "<b>lead" not in markup
    assert "Ani &lt;img src=x onerror=alert(1)&gt; &amp; Co" in markup
    assert "Cut &lt;b&gt;lead&lt;/b&gt; time &amp; &quot;cost&quot;" in markup
    (own,) = [link for link in links(text) if "/checkin?" in link]
    assert own.startswith(BASE_URL + "checkin?lang=en&owner=") and parse_qs(urlsplit(own).query)["owner"] == [HOSTILE]
    assert "last value 9 days, last check-in 14 days ago" in text

    # The same command again sends nothing new.
    assert remind(company, "--at", "2026-11-23T10:30") == 0
    assert len(inbox.messages) == 2 and "Nothing due" in capsys.readouterr().out

    # Two days later: the managers' digest, in the manager's language, once.
    assert remind(company, "--at", "2026-11-25T09:05") == 0
    assert remind(company, "--at", "2026-11-25T10:05") == 0
    (digest,) = inbox.messages[2:]
    text, markup = parts(digest)
    assert digest["To"] == "dewi@contoh.co.id" and digest["Subject"] == "Check-in tim Anda, pekan 23 Nov 2026"
    assert "Belum check-in sejak 23 Nov 2026:" in text and "- Rizky: Tutup 40 transaksi" in text
    assert f"- {HOSTILE}: " in text and "<img" not in markup
    # The digest's links open in the manager's language.
    assert {link for link in links(text) if "/checkin?" in link} == {
        "https://okr.contoh.co.id/okrdash/checkin?lang=id&owner=Rizky", own.replace("lang=en", "lang=id")}

    # The next week starts over.
    assert remind(company, "--at", "2026-11-30T09:00") == 0
    assert len(inbox.messages) == 5


def test_dry_run_prints_what_would_go_and_records_nothing(company, smtp, monkeypatch, capsys):
    inbox, _ = smtp
    monkeypatch.delenv("OKRDASH_SMTP_URL", raising=False)  # a dry run needs no mail server
    settings_module.settings.cache_clear()
    before = company.read_bytes()
    assert remind(company, "--at", "2026-11-25T09:30", "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.count("Would send") == 3 and "the digest reminder of the week of 2026-11-23 to dewi@contoh.co.id" in out
    assert "nothing was sent or recorded" in out
    assert inbox.messages == [] and company.read_bytes() == before  # opened read-only


def test_without_mail_settings_nothing_is_sent_and_it_says_which_to_set(company, monkeypatch, capsys):
    for name in ("OKRDASH_SMTP_URL", "OKRDASH_MAIL_FROM", "OKRDASH_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings_module.settings.cache_clear()
    assert remind(company, "--at", MONDAY_0930) == 2
    assert "set OKRDASH_SMTP_URL, OKRDASH_MAIL_FROM, OKRDASH_BASE_URL" in capsys.readouterr().err
    store = open_store(company)
    assert store.reminders_sent(dt.date(2026, 11, 23)) == set()
    store.close()


def test_a_refused_message_exits_3_and_the_next_run_sends_only_the_rest(company, smtp, mail_env, capsys):
    inbox, _ = smtp
    inbox.answer = lambda number: "554 5.7.1 Message refused" if number == 1 else None
    assert remind(company, "--at", MONDAY_0930) == 3
    err = capsys.readouterr().err
    assert "cannot send mail through the mail server smtp://127.0.0.1" in err and "554" in err
    assert "1 message(s) sent and recorded" in err
    assert inbox.to() == ["ani@contoh.co.id"]
    inbox.answer = None
    assert remind(company, "--at", "2026-11-23T10:30") == 0
    assert inbox.to() == ["ani@contoh.co.id", "rizky@contoh.co.id"]


def test_an_unreachable_server_exits_3_without_its_password_and_records_nothing(company, monkeypatch, capsys):
    monkeypatch.setenv("OKRDASH_SMTP_URL", f"smtp://okrdash:s3cret-pw@127.0.0.1:{free_port()}")
    monkeypatch.setenv("OKRDASH_MAIL_FROM", "okrdash@contoh.co.id")
    monkeypatch.setenv("OKRDASH_BASE_URL", BASE_URL)
    settings_module.settings.cache_clear()
    try:
        assert remind(company, "--at", MONDAY_0930) == 3
    finally:
        settings_module.settings.cache_clear()
    out, err = capsys.readouterr()
    assert "cannot connect to the mail server smtp://okrdash@127.0.0.1" in err and "ConnectionRefusedError" in err
    assert "s3cret-pw" not in out + err
    store = open_store(company)
    assert store.reminders_sent(dt.date(2026, 11, 23)) == set()
    store.close()


def test_login_with_the_url_s_user_and_a_refused_login_never_shows_the_password(company, monkeypatch, capsys):
    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"okrdash", b"p@ss:w0rd")
        return AuthResult(success=ok)

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        monkeypatch.setenv("OKRDASH_MAIL_FROM", "okrdash@contoh.co.id")
        monkeypatch.setenv("OKRDASH_BASE_URL", BASE_URL)
        monkeypatch.setenv("OKRDASH_SMTP_URL", f"smtp://okrdash:wrong-pw@127.0.0.1:{controller.port}")
        settings_module.settings.cache_clear()
        assert remind(company, "--at", MONDAY_0930) == 3
        out, err = capsys.readouterr()
        assert "cannot log in to the mail server smtp://okrdash@127.0.0.1" in err and "wrong-pw" not in out + err
        # A password with URL-special characters is written percent-encoded in the URL.
        monkeypatch.setenv("OKRDASH_SMTP_URL", f"smtp://okrdash:p%40ss%3Aw0rd@127.0.0.1:{controller.port}")
        settings_module.settings.cache_clear()
        assert remind(company, "--at", MONDAY_0930) == 0
        assert sorted(inbox.to()) == ["ani@contoh.co.id", "rizky@contoh.co.id"]
    finally:
        controller.stop()
        settings_module.settings.cache_clear()


def _remind_process(db: Path | str, port: int, at: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRDASH_SMTP_URL": f"smtp://127.0.0.1:{port}",
           "OKRDASH_MAIL_FROM": "okrdash@contoh.co.id", "OKRDASH_BASE_URL": BASE_URL}
    return subprocess.Popen([sys.executable, "-m", "okrdash", "--db", str(db), "remind", "--at", at], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_crash_between_two_messages_leaves_only_the_rest_for_the_next_run(company, smtp, mail_env):
    """The remind process is killed (SIGKILL) while the server holds its second message: the first
    is recorded as sent, the second is not, and the rerun sends only the second."""
    inbox, port = smtp
    process: list[subprocess.Popen] = []

    def kill_on_second(number: int) -> str | None:
        if number == 1:
            os.kill(process[0].pid, signal.SIGKILL)
            process[0].wait()
            return "421 4.3.0 gone"
        return None

    inbox.answer = kill_on_second
    process.append(_remind_process(company, port, MONDAY_0930))
    process[0].communicate(timeout=120)
    assert process[0].returncode == -signal.SIGKILL
    assert inbox.to() == ["ani@contoh.co.id"]
    inbox.answer = None
    assert remind(company, "--at", "2026-11-23T11:00") == 0
    assert inbox.to() == ["ani@contoh.co.id", "rizky@contoh.co.id"]
    assert remind(company, "--at", "2026-11-23T12:00") == 0
    assert len(inbox.messages) == 2


def test_on_postgresql_several_processes_at_once_send_each_message_once(pg_server, smtp):
    inbox, port = smtp
    url = pg_server.new_database()
    make_company(url)
    # Each message waits at the server, so the processes' sends overlap (the outcome does not depend on it).
    inbox.answer = lambda number: time.sleep(0.3)
    processes = [_remind_process(url, port, "2026-11-25T09:30") for _ in range(3)]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    assert sorted(inbox.to()) == ["ani@contoh.co.id", "dewi@contoh.co.id", "rizky@contoh.co.id"]
    store = open_store(url)
    try:
        assert store.reminders_sent(dt.date(2026, 11, 23)) == {
            ("owner", "ani@contoh.co.id"), ("owner", "rizky@contoh.co.id"), ("digest", "dewi@contoh.co.id")}
    finally:
        store.close()


def test_the_mail_texts_exist_in_both_languages():
    import tomllib

    en = tomllib.loads((ROOT / "okrdash" / "locales" / "en" / "mail.toml").read_text(encoding="utf-8"))["mail"]
    id_ = tomllib.loads((ROOT / "okrdash" / "locales" / "id" / "mail.toml").read_text(encoding="utf-8"))["mail"]
    assert set(en) == set(id_)
    assert all(en[key] != id_[key] for key in en if key not in ("digest_person",))


def test_the_deploy_units_run_remind_hourly():
    service = (ROOT / "deploy" / "okrdash-remind.service").read_text(encoding="utf-8")
    timer = (ROOT / "deploy" / "okrdash-remind.timer").read_text(encoding="utf-8")
    assert "okrdash remind" in service and "Type=oneshot" in service
    assert "OnCalendar=hourly" in timer and "Persistent=true" in timer

