"""Notification tests: a real SMTP server and HTTP receiver on 127.0.0.1, users with addresses and languages,
and the audit fixtures (templates, a facility, the audit API)."""

import pytest

from inspect_app.extensions import db
from inspect_app.services.notifications import MailSettings
from tests.factories import UserFactory
from tests.inspect_app.services.audits.conftest import audit_api, facility, national, templates  # noqa: F401
from tests.notify_servers import Receiver, smtp_server


@pytest.fixture
def smtp():
    """(mailbox, MailSettings) of a real SMTP server on 127.0.0.1."""
    with smtp_server() as (mailbox, port):
        yield mailbox, MailSettings(server="127.0.0.1", port=port, use_tls=False, sender="tekseru@example.kz")


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (not started: `receiver.start()`)."""
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def people(users, region_a, region_b):
    """Region A's supervisors reading Russian, Kazakh and English, region B's, the ministry, the inspector."""
    users["supervisor"].email, users["supervisor"].locale = "sup.ru@example.kz", "ru"
    users["supervisor_b"].email = "sup.b@example.kz"
    users["ministry"].email, users["ministry"].locale = "ministry@example.kz", "en"
    users["inspector"].email, users["inspector"].locale = "insp@example.kz", "kk"
    users["admin"].email = "admin@example.kz"
    users["sup_kk"] = UserFactory(username="sup_kk", role="supervisor", region=region_a, locale="kk",
                                  email="sup.kk@example.kz")
    users["sup_en"] = UserFactory(username="sup_en", role="supervisor", region=region_a, locale="en",
                                  email="sup.en@example.kz")
    users["sup_none"] = UserFactory(username="sup_none", role="supervisor", region=region_a)  # no address
    db.session.commit()
    return users
