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

from django.conf import settings

from iop.accounts.client_ip import client_ip
from iop.ratelimit import redis_py_url, within_windows

__all__ = ["redis_py_url", "within_limits"]
PREFIX = "selfreport:rate"


def within_limits(request, *, link_key: str) -> bool:
    """Count this request; False when the address or the link is over its limit."""
    return within_windows(
        [
            (
                f"{PREFIX}:addr:{client_ip(request) or 'unknown'}",
                settings.SELFREPORT_RATE_PER_ADDRESS,
            ),
            (f"{PREFIX}:link:{link_key[:32]}", settings.SELFREPORT_RATE_PER_LINK),
        ],
        window=settings.SELFREPORT_RATE_WINDOW,
        what="self-report",
    )
