"""The weekly rhythm's e-mails (issue 25): written in the reader's language, sent by SMTP with the
standard library.

- ``OKRDASH_SMTP_URL``: ``smtp://user:pass@host:587`` (STARTTLS when the server offers it, then the
  login), ``smtps://user:pass@host:465`` (TLS from the start), ``smtp://host:25`` (no login). The
  password is a secret: no message, exception or repr shows it.
- ``OKRDASH_MAIL_FROM``: the sender; ``OKRDASH_BASE_URL``: where okrdash is opened, the links' start.

Each message has a plain text and an HTML part with the same content; every user text (names,
titles, notes) is escaped in the HTML. Numbers and dates are written as the reader's language
writes them (okrdash/formatting.py). Each offers a WhatsApp share link with a short summary.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from okrdash.formatting import amount
from okrdash.formatting import date as format_date
from okrdash.i18n import translate
from okrdash.reminders import Due, ManagerDigest, OpenKeyResult, OwnerReminder
from okrdash.urls import Urls, whatsapp

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
# Seconds to wait for the server to answer (connecting, and each command).
TIMEOUT_SECONDS = 30


class MailError(Exception):
    """Mail cannot be sent: a plain message that never holds the password."""


@dataclass(frozen=True)
class SmtpServer:
    """Where mail goes, read from ``OKRDASH_SMTP_URL``."""

    tls: bool  # smtps://: TLS from the first byte; smtp://: STARTTLS when the server offers it
    host: str
    port: int
    user: str | None = None
    password: SecretStr | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"{'smtps' if self.tls else 'smtp'}://{self.user + '@' if self.user else ''}{self.host}:{self.port}"

    @classmethod
    def from_url(cls, url: SecretStr | str) -> SmtpServer:
        text = url.get_secret_value() if isinstance(url, SecretStr) else url
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise MailError("OKRDASH_SMTP_URL is not a URL like smtp://user:password@host:587") from None
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise MailError("OKRDASH_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://...; "
                            f"it starts with {parts.scheme or '(nothing)'}://")
        password = SecretStr(unquote(parts.password)) if parts.password is not None else None
        return cls(parts.scheme == "smtps", parts.hostname, port or DEFAULT_PORTS[parts.scheme],
                   unquote(parts.username) if parts.username else None, password)


class Mailer:
    """One SMTP session: ``with Mailer.connect(server) as mailer: mailer.send(message)``."""

    def __init__(self, server: SmtpServer, connection: smtplib.SMTP):
        self.server, self._smtp = server, connection

    @classmethod
    @contextmanager
    def connect(cls, server: SmtpServer, timeout: float = TIMEOUT_SECONDS) -> Iterator[Mailer]:
        with cls._failures(server, "connect to"):
            context = ssl.create_default_context()
            if server.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
        try:
            with cls._failures(server, "log in to"):
                smtp.ehlo()
                if not server.tls and smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if server.user:
                    smtp.login(server.user, server.password.get_secret_value() if server.password else "")
            yield cls(server, smtp)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()

    def send(self, message: EmailMessage) -> None:
        with self._failures(self.server, "send mail through"):
            refused = self._smtp.send_message(message)
        if refused:
            raise MailError(f"{self.server} refused {', '.join(refused)}")

    @staticmethod
    @contextmanager
    def _failures(server: SmtpServer, doing: str) -> Iterator[None]:
        try:
            yield
        except (OSError, smtplib.SMTPException) as error:
            detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
            secret = server.password.get_secret_value() if server.password else ""
            if secret:
                detail = detail.replace(secret, "***")
            # from None: the original exception (and its traceback's locals) stays out of the message.
            raise MailError(f"cannot {doing} the mail server {server} ({type(error).__name__}: {detail})") from None


# -- links ------------------------------------------------------------------------------------------


def checkin_link(base_url: str, owner: str, lang: str) -> str:
    """The owner's weekly check-in page (``/checkin?lang=..&owner=..``, urls.py's link), named as
    their owner cells write them and opened in the language of the mail it is in; live: opened next
    week, it shows next week's check-in."""
    return Urls(lang).checkin(owner).at(base_url)


# -- messages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """A line of a message: text, an item of a list, or a link (text then address)."""

    text: str
    item: bool = False
    href: str | None = None


def _compose(subject: str, to: str, sender: str, lines: list[_Line]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(addr_spec=to)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    plain: list[str] = []
    markup: list[str] = []
    in_list = False
    for line in lines:
        if line.item != in_list:
            markup.append("<ul>" if line.item else "</ul>")
            in_list = line.item
        text = f"{line.text} {line.href}" if line.href else line.text
        plain.append(f"- {text}" if line.item else text)
        body = html.escape(line.text)
        if line.href:
            body = f'{body} <a href="{html.escape(line.href, quote=True)}">{html.escape(line.href)}</a>'
        markup.append(f"<li>{body}</li>" if line.item else f"<p>{body}</p>")
    if in_list:
        markup.append("</ul>")
    message.set_content("\n".join(plain) + "\n")
    message.add_alternative(f'<!DOCTYPE html><html><body>{"".join(markup)}</body></html>\n', subtype="html")
    return message


def _key_result(kr: OpenKeyResult, today_days: int | None, lang: str) -> str:
    if today_days is None:
        since = translate("mail.since_never", lang)
    elif today_days == 0:
        since = translate("mail.since_today", lang)
    else:
        since = translate("mail.since_days", lang, days=today_days)
    value = translate("mail.no_value", lang) if kr.current is None else amount(kr.current, kr.unit, lang)
    return translate("mail.key_result", lang, title=kr.title, team=kr.team, objective=kr.objective,
                     status=translate(f"status.{kr.status}", lang), value=value, since=since)


def owner_message(reminder: OwnerReminder, due: Due, sender: str, base_url: str) -> EmailMessage:
    """The owner's weekly reminder, in their language."""
    lang = reminder.person.language.value
    week = format_date(due.schedule.week, lang)
    link = checkin_link(base_url, reminder.owner, lang)
    share = translate("mail.owner_whatsapp", lang, name=reminder.person.name, week=week,
                      count=len(reminder.key_results), link=link)
    lines = [_Line(translate("mail.greeting", lang, name=reminder.person.name)),
             _Line(translate("mail.owner_intro", lang, week=week)),
             *(_Line(_key_result(kr, kr.days_since_checkin(due.today), lang), item=True)
               for kr in reminder.key_results),
             _Line(translate("mail.owner_action", lang), href=link),
             _Line(translate("mail.share", lang), href=whatsapp(share)),
             _Line(translate("mail.owner_footer", lang))]
    return _compose(translate("mail.owner_subject", lang, week=week), reminder.person.email, sender, lines)


def digest_message(digest: ManagerDigest, due: Due, sender: str, base_url: str, grace_days: int) -> EmailMessage:
    """The manager's weekly digest, in their language."""
    lang = digest.language.value
    week = format_date(due.schedule.week, lang)
    lines = [_Line(translate("mail.greeting", lang, name=digest.name or digest.email))]
    if digest.missing:
        lines.append(_Line(translate("mail.digest_missing", lang, week=week)))
        lines += [_Line(translate("mail.digest_person", lang, name=r.person.name,
                                  titles=", ".join(kr.title for kr in r.key_results)), item=True)
                  for r in digest.missing]
    else:
        lines.append(_Line(translate("mail.digest_everyone", lang)))
    if digest.off_track:
        lines.append(_Line(translate("mail.digest_off_track", lang)))
        lines += [_Line(translate("mail.digest_off_track_item", lang, title=kr.title, owner=kr.owner, team=kr.team,
                                  value=translate("mail.no_value", lang) if kr.current is None
                                  else amount(kr.current, kr.unit, lang)), item=True)
                  for kr in digest.off_track]
    lines += [_Line(translate("mail.digest_open", lang, name=r.person.name), href=checkin_link(base_url, r.owner, lang))
              for r in digest.missing]
    share = translate("mail.digest_whatsapp", lang, week=week, missing=len(digest.missing),
                      off_track=len(digest.off_track), link=base_url.rstrip("/") + "/")
    lines += [_Line(translate("mail.share", lang), href=whatsapp(share)),
              _Line(translate("mail.digest_footer", lang, days=grace_days))]
    return _compose(translate("mail.digest_subject", lang, week=week), digest.email, sender, lines)
