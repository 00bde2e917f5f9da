from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from iop.accounts.mfa.services import reauth_is_recent


def reauth_redirect(request: HttpRequest):
    """To the re-authentication page, coming back to this URL afterwards."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:reauth')}?{query}")


def reauth_required(
    view=None,
    *,
    max_age: int | None = None,
    only_if: Callable[[HttpRequest], bool] | None = None,
):
    """Let the view run only if the user confirmed their password (and code,
    with MFA) within `max_age` seconds (REAUTH_MAX_AGE_SECONDS by default);
    otherwise ask again and come back. `only_if` limits it to some requests
    (a page that is also an export). Put it under the role decorator, so
    that people without the role get their 403 rather than a password prompt."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                request.user.is_authenticated
                and (only_if is None or only_if(request))
                and not reauth_is_recent(request, max_age)
            ):
                return reauth_redirect(request)
            return view(request, *args, **kwargs)

        wrapped.reauth_required = True
        return wrapped

    return decorator(view) if view is not None else decorator
