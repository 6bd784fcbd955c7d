"""The machine's services some tests need beyond the database (Redis for RQ and the fuzz test's queue).

Outside CI a test whose service is down is skipped with a reason that starts with `SERVICE_SKIP`, and the end of
the run lists them (tests/conftest.py); under CI (CI=true, as .ci/run sets) a missing service is a failure.
"""

import os

import pytest

# Each session and CI choose their Redis database: TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/6.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SERVICE_SKIP = "service unavailable:"


def redis_or_skip(url: str = TEST_REDIS_URL):
    """A connection to the test Redis; outside CI a skip saying which service is missing and how to start it."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except (RedisConnectionError, RedisTimeoutError) as error:
        message = (f"Redis is not reachable at {url} ({error}); start redis-server or point TEST_REDIS_URL "
                   "at one")
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}. Under CI a missing service is a failure (.ci/run starts it).")
        pytest.skip(f"{SERVICE_SKIP} {message}")
    return connection
