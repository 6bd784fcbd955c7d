"""Real faults for the outage tests, made by something of the test's own between the app and a shared service:
a TCP proxy on a free port of 127.0.0.1 that forwards, refuses (nothing listens) or black-holes (accepts, then
forwards nothing, as a network that drops packets); never the shared PostgreSQL or Redis themselves."""

import contextlib
import os
import select
import socket
import threading

import pytest


class TcpProxy:
    """Forward 127.0.0.1:<port> to a target; `refuse()`, `black_hole()` and `forward()` switch the fault."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.mode = "forward"
        self.port = 0
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    # ------------------------------------------------------------------ switching

    def start(self) -> "TcpProxy":
        """Listen on a free port (the same one again after `refuse()`) and forward."""
        self._listen()
        return self

    def refuse(self) -> None:
        """Nothing listens any more and every open connection is closed: a server that went down."""
        self.mode = "refuse"
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        self._close_pairs()

    def black_hole(self) -> None:
        """New connections are accepted and open ones stay open, but no byte goes through either way."""
        self.mode = "black_hole"
        if self._listener is None:
            self._listen()

    def forward(self) -> None:
        """Back to normal: connections made from now on reach the target."""
        was = self.mode
        self.mode = "forward"
        if was == "black_hole":
            self._close_pairs()  # what was swallowed is lost: those connections cannot carry on
        if self._listener is None:
            self._listen()

    def stop(self) -> None:
        """Close everything."""
        self._stopped.set()
        self.refuse()

    @property
    def url_host(self) -> str:
        return f"127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ plumbing

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="proxy-accept").start()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by refuse()/stop()
            if self.mode == "black_hole":
                with self._lock:
                    self._pairs.append((client, client))  # held open, never read
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True, name="proxy-pump").start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        try:
            while not self._stopped.is_set():
                if self.mode != "forward":
                    # Black hole: stop reading; the bytes wait in the kernel's buffers and nobody answers.
                    if self.mode == "refuse":
                        return
                    threading.Event().wait(0.05)
                    continue
                readable, _, _ = select.select(sockets, [], [], 0.05)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    if self.mode != "forward":
                        break  # swallowed
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):  # closed under us by refuse(), forward() or stop()
            return
        finally:
            if self.mode != "black_hole":
                for s in sockets:
                    with contextlib.suppress(OSError):
                        s.close()

    def _close_pairs(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()


@contextlib.contextmanager
def proxy_to(host: str, port: int):
    """A started TcpProxy to host:port, stopped afterwards."""
    proxy = TcpProxy(host, port).start()
    try:
        yield proxy
    finally:
        proxy.stop()


POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    """This run's PostgreSQL (TEST_DATABASE_URL, else the machine's), or a skip when none answers (a failure
    under CI, whose script starts one)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        url = POSTGRES_URL
    import sqlalchemy as sa

    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {url}")
        pytest.skip(f"PostgreSQL is not reachable at {url}")
    finally:
        engine.dispose()
    return url
