"""The database under load and failure: SQLite write locks, bounded retries, and 503 while it is unreachable.

SQLite (the embedded default) allows one writer at a time. A deferred `BEGIN` that reads and then writes cannot
wait for that lock in WAL mode: it fails with "database is locked" as soon as another writer committed after its
read. So every transaction of a request that may write (any method but GET, HEAD, OPTIONS, and a GET view marked
`writes_on_read`, such as a route read that is logged), and every transaction a caller marks with
`begin_write`, starts as `BEGIN IMMEDIATE` and waits up to the busy timeout
for the lock (SQLAlchemy's documented pysqlite recipe: the driver's own transaction handling is off, the
`begin` event emits BEGIN). Reads keep a deferred BEGIN and never wait for writers.

A request that still meets a lock timeout (SQLite) or a serialization failure or deadlock (PostgreSQL) is
rolled back and run again, at most `DB_RETRIES` times; then it answers 503. A database that cannot be reached
answers 503 at once, after at most `DB_CONNECT_TIMEOUT` seconds to connect or `DB_POOL_TIMEOUT` seconds
waiting for a pooled connection. Those answers are in `database_errors.py`; this module holds the engine's
options and deadlines and the transactions.
"""

import contextlib
import logging
import os
import socket
import threading
import time

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy.orm import Session, scoped_session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_OPTION = "tekseru_write"
BUSY_TIMEOUT_MS = 10_000


def engine_options(config: dict) -> dict:
    """Engine options for the configured URL: bounded waits for a connection, pre-ping after an outage.

    On PostgreSQL every wait has a bound: `DB_CONNECT_TIMEOUT` to connect, `DB_POOL_TIMEOUT` for a pooled
    connection, `DB_STATEMENT_TIMEOUT` for a statement (the server cancels it), TCP keepalives and a TCP user
    timeout for a peer that vanished from the network; the pre-ping and a request's statements also have a
    deadline of their own (`DeadlineWatch`), for a network that accepts and then answers nothing.
    """
    options = {"pool_pre_ping": True, **config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        options["pool_pre_ping"] = False  # our own ping on checkout, with a deadline (init_database)
        options.setdefault("pool_timeout", config.get("DB_POOL_TIMEOUT", 10))
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("connect_timeout", config.get("DB_CONNECT_TIMEOUT", 5))
        io_timeout = statement_deadline(config)
        connect_args.setdefault("keepalives", 1)
        connect_args.setdefault("keepalives_idle", 5)
        connect_args.setdefault("keepalives_interval", 2)
        connect_args.setdefault("keepalives_count", 3)
        connect_args.setdefault("tcp_user_timeout", int(io_timeout * 1000))
        statement_ms = int(float(config.get("DB_STATEMENT_TIMEOUT", 8)) * 1000)
        if statement_ms:
            # Added to the URL's own options (a search_path, say) rather than replacing them.
            given = sa.engine.make_url(url).query.get("options", "")
            given = given if isinstance(given, str) else " ".join(given)
            connect_args.setdefault("options", f"{given} -c statement_timeout={statement_ms}".strip())
        options["connect_args"] = connect_args
    return options


def statement_deadline(config: dict) -> float:
    """Seconds a request waits for any answer of the database before it cuts the connection: the server's
    statement timeout plus two seconds, so a slow statement is cancelled by the server first."""
    return float(config.get("DB_STATEMENT_TIMEOUT", 8) or 30) + 2.0


class DeadlineWatch:
    """Cut a PostgreSQL connection that gave no answer by its deadline, so the waiting call fails at once.

    A network that accepts and then drops every packet, or a proxy that stops forwarding, leaves a client
    waiting forever: the server never sees the statement, so its statement timeout cannot fire, and TCP
    keepalives only notice a peer whose own TCP stack is gone. One thread per process watches the deadlines
    armed around each call and shuts the socket down when one passes; the driver then reports a closed
    connection, SQLAlchemy invalidates it, and the request answers 503.
    """

    def __init__(self) -> None:
        self._armed: dict[int, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def arm(self, dbapi_connection, seconds: float) -> None:
        """Start the clock for a call on this connection."""
        try:
            fd = dbapi_connection.fileno()
        except Exception:  # noqa: BLE001 - a closed or broken connection: the call itself will say so
            return
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + seconds, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, daemon=True, name="db-deadlines")
                self._thread.start()

    def disarm(self, dbapi_connection) -> None:
        """The call returned (or failed): stop its clock."""
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    @contextlib.contextmanager
    def watching(self, dbapi_connection, seconds: float):
        """Arm for the duration of a block."""
        self.arm(dbapi_connection, seconds)
        try:
            yield
        finally:
            self.disarm(dbapi_connection)

    def _watch(self) -> None:
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                due = [(key, fd) for key, (deadline, fd) in self._armed.items() if deadline <= now]
                for key, _fd in due:
                    del self._armed[key]
            for _key, fd in due:
                logging.getLogger(__name__).error("database gave no answer by its deadline: connection cut")
                with contextlib.suppress(OSError):
                    cut = socket.socket(fileno=os.dup(fd))
                    try:
                        cut.shutdown(socket.SHUT_RDWR)
                    finally:
                        cut.close()


DEADLINES = DeadlineWatch()


def watch_postgres(engine: sa.Engine, config: dict) -> None:
    """Give every wait on this PostgreSQL engine a deadline: a ping on checkout (DB_PING_TIMEOUT), a request's
    statements, commits and rollbacks (`statement_deadline`)."""
    ping_seconds = float(config.get("DB_PING_TIMEOUT", 2))
    deadline = statement_deadline(config)

    @sa.event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, connection_record, connection_proxy):
        # SQLAlchemy's pessimistic disconnect handling, with a bound: a dead pooled connection is replaced.
        try:
            with DEADLINES.watching(dbapi_connection, ping_seconds):
                cursor = dbapi_connection.cursor()
                try:
                    cursor.execute("SELECT 1")
                finally:
                    cursor.close()
        except Exception as error:  # noqa: BLE001 - any failure of the ping means the connection is gone
            raise sa.exc.DisconnectionError(f"pre-ping failed: {error}") from error

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, cursor, statement, parameters, context, executemany):
        if has_request_context():
            DEADLINES.arm(cursor.connection, deadline)

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _disarm(conn, cursor, statement, parameters, context, executemany):
        DEADLINES.disarm(cursor.connection)

    @sa.event.listens_for(engine, "handle_error")
    def _disarm_on_error(context):
        cursor = getattr(context.execution_context, "cursor", None)
        if cursor is not None:
            DEADLINES.disarm(cursor.connection)

    dialect = engine.dialect
    for name in ("do_commit", "do_rollback"):
        plain = getattr(dialect, name)

        def watched(dbapi_connection, plain=plain):
            if not has_request_context():
                return plain(dbapi_connection)
            with DEADLINES.watching(dbapi_connection, deadline):
                return plain(dbapi_connection)

        setattr(dialect, name, watched)


def writes_on_read(view):
    """Mark a GET view that writes (a read that goes to the access log): every transaction of its request
    takes SQLite's write lock at BEGIN, as the other writers do, instead of upgrading a read midway."""
    view.tekseru_writes = True
    return view


def request_writes() -> bool:
    """Whether the current request may write: any method but GET, HEAD, OPTIONS, or a view `writes_on_read`."""
    if request.method not in SAFE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is None:
        return False
    view_class = getattr(view, "view_class", None)  # a MethodView: the method's own mark
    handler = getattr(view_class, request.method.lower(), None) if view_class is not None else view
    return bool(getattr(handler, "tekseru_writes", False))


def wants_write_lock(conn: sa.Connection) -> bool:
    """True when this transaction should take SQLite's write lock at BEGIN."""
    if conn.get_execution_options().get(WRITE_OPTION):
        return True
    return has_request_context() and request_writes()


def begin_write(session: Session) -> None:
    """Start the session's next transaction as a write transaction (BEGIN IMMEDIATE on SQLite).

    For code outside a writing request (jobs, the CLI) that reads and then writes. A transaction that only
    read so far is ended first; one with changes is kept (it already holds the lock it needs). A no-op inside
    a writing request, whose transactions take the lock anyway, and on PostgreSQL.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if has_request_context() and request_writes():
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted or session.info.get(_WROTE):
            return
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


@contextlib.contextmanager
def keeping_loaded(session: Session):
    """Commit inside this block without expiring what the session has loaded.

    For a log row written in the middle of a read (who read which route): the objects the read loaded stay as
    they were read instead of being loaded again one by one when the response is written.
    """
    if isinstance(session, scoped_session):
        session = session()
    before = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield session
    finally:
        session.expire_on_commit = before


def unique_violated(error: sa.exc.IntegrityError, table: str, column: str) -> bool:
    """Whether an IntegrityError is the unique constraint of table.column (named by the naming convention
    on PostgreSQL, by "table.column" in SQLite's message), not some other constraint."""
    name = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    if name:
        return name == f"uq_{table}_{column}"
    return f"UNIQUE constraint failed: {table}.{column}" in str(error.orig)


_WROTE = "tekseru_wrote"


@sa.event.listens_for(Session, "after_flush")
def _note_write(session, flush_context):
    session.info[_WROTE] = True


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_write(session, transaction):
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Turn on foreign keys and let SQLAlchemy own SQLite transactions (savepoints need it)."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # WAL lets the web, the job thread and progress writes read while one of them writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        # SQLite's lower() folds only ASCII; ILIKE compiles to lower() there, so Cyrillic search needs this.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@sa.event.listens_for(sa.engine.Engine, "begin")
def _sqlite_begin(conn):
    """Emit BEGIN ourselves (pysqlite's implicit transactions break SAVEPOINT); IMMEDIATE when it will write."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_lock(conn) else "BEGIN")
