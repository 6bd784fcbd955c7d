"""Webhooks: endpoints registered by admins (every region) and supervisors (their region), signed deliveries
sent in order per endpoint, retried with backoff, logged per attempt, and an endpoint disabled (its owner told
by e-mail) after a day of failures.

Signature: header `X-Tekseru-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`, made
anew at each attempt; a receiver recomputes it and refuses an old `t` (a replay).

Where a delivery may go: `https` (plain `http` only where the deployment allows it: development), never to a
loopback, private, link-local, multicast or reserved address unless an admin allow-listed the endpoint. The
check is on the addresses the name resolves to at each delivery, and the connection goes to the address just
checked (so a DNS answer changed after the check cannot redirect it). Redirects are not followed; 10 s timeout.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.models import Region, User, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from inspect_app.models.notification import EventKind, HookStatus
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import is_admin, may_manage_webhooks, webhook_filter
from inspect_app.services.errors import InvalidInput, NotFound
from inspect_app.services.notifications.events import WEBHOOK_EVENTS
from inspect_app.services.notifications.outbox import emit

log = logging.getLogger(__name__)
TIMEOUT = 10
# Seconds before the n-th retry; the last repeats until the endpoint is disabled after DISABLE_AFTER of failures.
BACKOFF = (60, 300, 900, 1800, 3600, 7200, 14400, 21600)
DISABLE_AFTER = timedelta(hours=24)
SIGNATURE_HEADER = "X-Tekseru-Signature"


class AddressRefused(Exception):
    """The URL's host resolves to an address deliveries may not reach."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for a body sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float | None = None, tolerance: int = 300) -> bool:
    """What a receiver does: the signature matches and its timestamp is within `tolerance` seconds."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


def url_errors(url: str, allow_http: bool) -> str | None:
    """Why a URL cannot be an endpoint (None when it can): scheme, host, credentials, length."""
    if len(url) > 500:
        return "Longer than maximum length 500."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "Not a valid URL."
    allowed = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in allowed:
        return "Only https URLs are allowed." if not allow_http else "Only http and https URLs are allowed."
    if not parts.hostname:
        return "Not a valid URL."
    if parts.username or parts.password:
        return "A URL must not carry a user name or password."
    return None


def allowed_address(address: str) -> bool:
    """Whether a resolved address is public (not loopback, private, link-local, multicast or reserved)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
                or ip.is_unspecified)


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to: every address the host resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressRefused(f"host not found: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        refused = [a for a in addresses if not allowed_address(a)]
        if refused:
            raise AddressRefused(f"address {refused[0]} is private, loopback or link-local (not allow-listed)")
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand, with the URL's host name for SNI and the certificate."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


@dataclass(frozen=True)
class Outcome:
    """One attempt: the HTTP status (None without an answer), milliseconds, and what went wrong ('' if 2xx)."""

    status: int | None
    duration_ms: int
    error: str

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return self.status is not None and 200 <= self.status < 300


def post(endpoint: WebhookEndpoint, delivery_id: str, kind: str, body: bytes, *, allow_http: bool) -> Outcome:
    """POST one signed body to the endpoint; any failure is an Outcome, never an exception."""
    started = time.monotonic()

    def done(status: int | None, error: str) -> Outcome:
        return Outcome(status, int((time.monotonic() - started) * 1000), error[:300])

    problem = url_errors(endpoint.url, allow_http)
    if problem:
        return done(None, problem)
    parts = urlsplit(endpoint.url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = resolve(parts.hostname, port, endpoint.allow_private)
    except AddressRefused as exc:
        return done(None, str(exc))
    kind_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = kind_class(parts.hostname, address, port, TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Tekseru-Webhooks/1",
               "X-Tekseru-Event": kind, "X-Tekseru-Delivery": delivery_id,
               SIGNATURE_HEADER: sign(endpoint.secret, int(time.time()), body)}
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return done(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    finally:
        connection.close()
    if 300 <= status < 400:
        return done(status, "redirect not followed")
    return done(status, "" if 200 <= status < 300 else f"HTTP {status}")


def _claim_endpoint(session: Session, endpoint_id: int, token: str, now: datetime, lease_seconds: float) -> bool:
    begin_write(session)
    free = WebhookEndpoint.lease_until.is_(None) | (WebhookEndpoint.lease_until < now)
    claimed = session.execute(sa.update(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.active.is_(True), free).values(
        claim_token=token, lease_until=now + timedelta(seconds=lease_seconds))).rowcount
    session.commit()
    return bool(claimed)


def drain_hooks(session: Session, *, allow_http: bool, lease_seconds: float = 120,
                now: datetime | None = None) -> int:
    """Deliver what is due, endpoint by endpoint, oldest first; returns how many were delivered.

    A worker holds an endpoint (atomic UPDATE with a lease) while it sends, so two workers never send its
    events out of order or twice. A failure stops that endpoint's queue until its retry time: later events
    wait behind it, and a receiver back from an outage gets every event once, in order.
    """
    now = now or utcnow()
    delivered = 0
    endpoint_ids = list(session.scalars(sa.select(WebhookDelivery.endpoint_id).join(WebhookEndpoint).where(
        WebhookDelivery.status == HookStatus.PENDING, WebhookEndpoint.active.is_(True)).distinct()))
    session.commit()
    for endpoint_id in endpoint_ids:
        token = uuid.uuid4().hex
        if not _claim_endpoint(session, endpoint_id, token, now, lease_seconds):
            continue
        try:
            delivered += _drain_endpoint(session, endpoint_id, allow_http, now)
        finally:
            begin_write(session)
            session.execute(sa.update(WebhookEndpoint).where(
                WebhookEndpoint.id == endpoint_id, WebhookEndpoint.claim_token == token).values(
                claim_token=None, lease_until=None))
            session.commit()
    return delivered


def _drain_endpoint(session: Session, endpoint_id: int, allow_http: bool, now: datetime) -> int:
    delivered = 0
    while True:
        delivery = session.scalar(sa.select(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == HookStatus.PENDING)
            .order_by(WebhookDelivery.id).limit(1))
        if delivery is None or delivery.next_attempt_at > now:
            session.commit()
            return delivered
        endpoint = delivery.endpoint
        if not endpoint.active:
            session.commit()
            return delivered
        session.commit()  # no transaction (nor SQLite lock) held while the receiver answers
        outcome = post(endpoint, delivery.event_id, delivery.kind, delivery.body.encode(), allow_http=allow_http)
        begin_write(session)
        delivery = session.get(WebhookDelivery, delivery.id)
        endpoint = delivery.endpoint
        delivery.attempts += 1
        # The later of the run's clock and the real one (a run given a later `now` logs at it).
        session.add(WebhookAttempt(delivery_id=delivery.id, at=max(now, utcnow()), status_code=outcome.status,
                                   duration_ms=outcome.duration_ms, error=outcome.error))
        if outcome.ok:
            delivery.status, delivery.delivered_at = HookStatus.DELIVERED, utcnow()
            endpoint.failing_since = None
            session.commit()
            delivered += 1
            continue
        log.warning("webhook %s to endpoint %s failed: %s", delivery.event_id, endpoint.id, outcome.error)
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1])
        endpoint.failing_since = endpoint.failing_since or now
        if now - endpoint.failing_since >= DISABLE_AFTER:
            endpoint.active, endpoint.disabled_at = False, now
            emit(session, EventKind.ENDPOINT_DISABLED, {"id": endpoint.id, "url": endpoint.url},
                 user_id=endpoint.owner_id)
        session.commit()
        return delivered


@dataclass(frozen=True)
class NewEndpoint:
    """A registered endpoint and its secret, shown this once."""

    endpoint: WebhookEndpoint
    secret: str


def register(session: Session, user: User, data: dict[str, Any], *, allow_http: bool) -> NewEndpoint:
    """Register an endpoint for the user's scope (admins: every region, or one; supervisors: theirs); commits.

    `data`: url, events (kinds of WEBHOOK_EVENTS), region (a Region or None, admins only), allow_private
    (admins only). Bad input is an InvalidInput naming the field; nothing is written.
    """
    if not may_manage_webhooks(user):
        raise NotFound("Not found.")
    errors: dict[str, list[str]] = {}
    url = (data.get("url") or "").strip()
    problem = url_errors(url, allow_http) if url else "Missing data for required field."
    if problem:
        errors["url"] = [problem]
    events = list(data.get("events") or [])
    unknown = [e for e in events if e not in WEBHOOK_EVENTS]
    if not events or unknown:
        errors["events"] = ["Unknown event." if unknown else "Choose at least one event."]
    allow_private = bool(data.get("allow_private"))
    if allow_private and not is_admin(user):
        errors["allow_private"] = ["Only an admin may allow private addresses."]
    region: Region | None = data.get("region")
    if not is_admin(user):
        region = user.region
    if errors:
        raise InvalidInput("The webhook cannot be registered.", errors=errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(owner_id=user.id, region_id=region.id if region else None, url=url, events=events,
                               secret=secret, allow_private=allow_private)
    session.add(endpoint)
    session.commit()
    return NewEndpoint(endpoint, secret)


def endpoints(session: Session, user: User) -> list[WebhookEndpoint]:
    """The endpoints the user manages, newest first."""
    return list(session.scalars(sa.select(WebhookEndpoint).where(webhook_filter(user))
                                .order_by(WebhookEndpoint.id.desc())))


def get_endpoint(session: Session, user: User, endpoint_id: int) -> WebhookEndpoint:
    """One endpoint the user manages; NotFound otherwise."""
    endpoint = session.scalar(sa.select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                               webhook_filter(user)))
    if endpoint is None:
        raise NotFound("Not found.")
    return endpoint


def deliveries(session: Session, endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    """The endpoint's newest deliveries with their attempts."""
    return list(session.scalars(sa.select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                                .order_by(WebhookDelivery.id.desc()).limit(limit)))


def send_test(session: Session, endpoint: WebhookEndpoint) -> str:
    """Queue a test event for this endpoint alone; commits. Returns its event id."""
    event_id = uuid.uuid4().hex
    body = json.dumps({"id": event_id, "type": str(EventKind.WEBHOOK_TEST), "created_at": utcnow().isoformat(),
                       "resource": {"endpoint_id": endpoint.id}}, sort_keys=True, separators=(",", ":"))
    session.add(WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, kind=str(EventKind.WEBHOOK_TEST),
                                body=body))
    session.info["notify_pending"] = True
    session.commit()
    return event_id


def set_active(session: Session, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    """Enable (its waiting deliveries go out again, at once) or disable an endpoint; commits."""
    endpoint.active = active
    if active:
        endpoint.disabled_at, endpoint.failing_since = None, None
        session.execute(sa.update(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == HookStatus.PENDING).values(
            next_attempt_at=utcnow()))
        session.info["notify_pending"] = True
    else:
        endpoint.disabled_at = utcnow()
    session.commit()
    return endpoint
