from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(*role_names: str):
    """Let in signed-in users holding one of the roles; others get 403.

    Anonymous users are sent to the login page first. Use on every view that is
    not public: the role list is the view's declared permission.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*role_names):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = role_names
        return wrapped

    return decorator
