"""A real SMTP server (aiosmtpd) and a real HTTP receiver on 127.0.0.1, for the notification tests."""

import contextlib
import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What the SMTP server accepted: parsed messages with their envelope recipients.

    `stall_on(subject_part)` makes the server hold the DATA of a message whose subject holds that text until
    `release()`, then answer 451 (not accepted): a client killed meanwhile never had it delivered.
    """

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._stall_on: str | None = None

    def stall_on(self, text: str) -> None:
        self._stall_on = text

    def release(self) -> None:
        self._release.set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import asyncio

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        if self._stall_on and self._stall_on in str(message["Subject"]):
            self._stall_on = None  # once: the same message sent again later is accepted
            self.stalled.set()
            while not self._release.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: try again later"
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        """Messages whose envelope names this address."""
        return [m for m in self.messages if address in m.envelope_to]


@contextlib.contextmanager
def smtp_server():
    """Yield (mailbox, port) of an SMTP server running in a thread until the block ends."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        mailbox.release()
        controller.stop()


class Receiver:
    """A webhook receiver: records each POST (headers and body) and answers `status` (302 with a Location)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.server: ThreadingHTTPServer | None = None
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                if 300 <= receiver.status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def events(self) -> list[dict]:
        """The JSON bodies received, in order."""
        return [json.loads(r["body"]) for r in self.requests]
