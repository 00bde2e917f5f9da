"""Fixed-window request counters in Redis, one round trip per request: the
self-report link pages count per address and per link, the FHIR API per
registered client. If Redis does not answer, the caller's pages stay up
without the limit (logged): the limits protect the database, they are not
what keeps data safe.
"""

import logging
import time
from functools import cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)


def redis_py_url(url: str) -> str:
    """REDIS_URL as redis-py reads it: Celery's (kombu's) unix-socket form,
    `redis+socket:///path` (the quick start's embedded Redis), is
    `unix:///path` to redis-py."""
    prefix = "redis+socket://"
    return "unix://" + url.removeprefix(prefix) if url.startswith(prefix) else url


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_py_url(url), socket_timeout=0.5, socket_connect_timeout=0.5)


def within_windows(buckets: list[tuple[str, int]], *, window: int, what: str) -> bool:
    """Count one request in each (key prefix, limit) bucket of the current
    `window`-second slot; False when any bucket is over its limit."""
    slot = int(time.time()) // window
    keys = [(f"{prefix}:{slot}", limit) for prefix, limit in buckets]
    try:
        pipe = _redis(settings.REDIS_URL).pipeline(transaction=False)
        for key, _limit in keys:
            pipe.incr(key)
            pipe.expire(key, window * 2)
        counts = pipe.execute()[::2]
    except redis.RedisError:
        logger.warning("%s rate limits unavailable: Redis did not answer", what)
        return True
    return all(count <= limit for count, (_key, limit) in zip(counts, keys, strict=True))
