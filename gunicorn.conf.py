"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (README, "Production").

Every value can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_THREADS) or on
the command line.
"""

import os

wsgi_app = "inspect_app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes: one per core (at least two, so that one can restart while the other serves), each with its own
# database pool. The requests here are CPU-bound Python; the threads below cover the waits. Measured with
# bench/bench_load.py on 2 cores and PostgreSQL (20 clients): 2 processes 113.6 req/s, submit p95 387 ms;
# gunicorn's rule of thumb of 2 x cores + 1 (5) 106.9 req/s, submit p95 545 ms.
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, os.cpu_count() or 1)))
# Threads per process, so a slow PDF or export does not hold a whole process.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A registry import of 100,000 rows or a large export takes a while; nothing legitimate takes longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# No max_requests: a recycled process would take any build running in its thread with it (use RQ anyway).
accesslog = "-"
errorlog = "-"
