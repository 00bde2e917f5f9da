"""The client's address, as seen through the deployment's reverse proxies.

Each proxy appends the address it received the request from to
X-Forwarded-For. With TRUSTED_PROXY_COUNT proxies in front of the app, the
entry that many places from the right was written by our outermost proxy and
is the client; anything left of it came from the client and is not trusted.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # The proxy did not add its entry: a misconfiguration or a request that
        # bypassed it. The connection's address is the only one we know.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
