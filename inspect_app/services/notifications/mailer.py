"""Composing and sending e-mail with the standard library (email + smtplib): nothing else is needed for a
plain-text part, an escaped HTML part with no remote content, and an SMTP session with STARTTLS and login."""

import hashlib
import smtplib
from dataclasses import dataclass
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate

from markupsafe import escape

SMTP_TIMEOUT = 10


@dataclass(frozen=True)
class MailSettings:
    """Where mail goes (MAIL_* of the environment); built by the caller from the app's config."""

    server: str
    port: int = 25
    use_tls: bool = False
    username: str = ""
    password: str = ""
    sender: str = "tekseru@localhost"

    @classmethod
    def from_config(cls, config) -> "MailSettings | None":
        """The settings of a config mapping, or None when no MAIL_SERVER is set (messages stay in the outbox)."""
        if not config.get("MAIL_SERVER"):
            return None
        return cls(server=config["MAIL_SERVER"], port=int(config.get("MAIL_PORT") or 25),
                   use_tls=bool(config.get("MAIL_USE_TLS")), username=config.get("MAIL_USERNAME") or "",
                   password=config.get("MAIL_PASSWORD") or "", sender=config.get("MAIL_SENDER") or "tekseru@localhost")


def html_part(subject: str, lines: list[str], link: str) -> str:
    """The HTML part: every text escaped, no image, script or style loaded from anywhere."""
    paragraphs = "".join(f"<p>{escape(line)}</p>\n" for line in lines)
    anchor = link_paragraph(link) if link else ""
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{escape(subject)}</title></head>\n"
            f"<body>\n{paragraphs}{anchor}</body></html>\n")


def link_paragraph(link: str) -> str:
    """The HTML paragraph holding a message's link."""
    return f'<p><a href="{escape(link)}">{escape(link)}</a></p>\n'


def text_part(lines: list[str], link: str) -> str:
    """The plain-text part."""
    return "\n\n".join([*lines, *([link] if link else [])]) + "\n"


def build(settings: MailSettings, *, key: str, to: str, subject: str, text: str, html: str) -> MIMEMultipart:
    """One message: plain text first, HTML as the alternative; the idempotency key in its Message-ID.

    The subject is an `email.header.Header` (the compat32 classes): Python 3.11's default policy folds a long
    non-ASCII subject into encoded words that lose the space at each fold.
    """
    message = MIMEMultipart("alternative")
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8")
    message["Date"] = formatdate(localtime=False)
    domain = settings.sender.rpartition("@")[2] or "tekseru"
    message["Message-ID"] = message_id(key, domain)
    message["Auto-Submitted"] = "auto-generated"
    message.attach(MIMEText(text, "plain", "utf-8"))
    message.attach(MIMEText(html, "html", "utf-8"))
    return message


def message_id(key: str, domain: str) -> str:
    """The Message-ID of an idempotency key: the same on every retry, so a receiving server can drop a repeat."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def connect(settings: MailSettings) -> smtplib.SMTP:
    """An SMTP session ready to send (STARTTLS and login when configured)."""
    smtp = smtplib.SMTP(settings.server, settings.port, timeout=SMTP_TIMEOUT)
    if settings.use_tls:
        smtp.starttls()
    if settings.username:
        smtp.login(settings.username, settings.password)
    return smtp
