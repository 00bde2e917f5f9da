"""Request limits of the self-report link pages, the one place outside the
staff sign-in that accepts data from anyone: per client address (the
address the sign-in throttle and the audit trail use, iop.accounts.client_ip)
and per link (keyed by the token's digest, never the token), in fixed
windows counted in Redis with one round trip.

A token is 256 random bits, so guessing is hopeless; the limits keep a
flood of guesses, or of date-of-birth tries across many links, from
costing the database anything. The three-tries lock of each link is held
in PostgreSQL (outcomes.services.links) and does not depend on Redis: if
Redis is down, the pages stay up without these limits, and say so in the log.
"""

import logging
import time
from functools import cache

import redis
from django.conf import settings

from iop.accounts.client_ip import client_ip

logger = logging.getLogger(__name__)
PREFIX = "selfreport:rate"


def redis_py_url(url: str) -> str:
    """REDIS_URL as redis-py reads it: Celery's (kombu's) unix-socket form,
    `redis+socket:///path` (the quick start's embedded Redis), is
    `unix:///path` to redis-py."""
    prefix = "redis+socket://"
    return "unix://" + url.removeprefix(prefix) if url.startswith(prefix) else url


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_py_url(url), socket_timeout=0.5, socket_connect_timeout=0.5)


def within_limits(request, *, link_key: str) -> bool:
    """Count this request; False when the address or the link is over its limit."""
    window = settings.SELFREPORT_RATE_WINDOW
    slot = int(time.time()) // window
    buckets = [
        (
            f"{PREFIX}:addr:{client_ip(request) or 'unknown'}:{slot}",
            settings.SELFREPORT_RATE_PER_ADDRESS,
        ),
        (f"{PREFIX}:link:{link_key[:32]}:{slot}", settings.SELFREPORT_RATE_PER_LINK),
    ]
    try:
        pipe = _redis(settings.REDIS_URL).pipeline(transaction=False)
        for key, _limit in buckets:
            pipe.incr(key)
            pipe.expire(key, window * 2)
        counts = pipe.execute()[::2]
    except redis.RedisError:
        logger.warning("self-report rate limits unavailable: Redis did not answer")
        return True
    return all(count <= limit for count, (_key, limit) in zip(counts, buckets, strict=True))
