"""The Permissions-Policy header: browser features the app does not use are
turned off for its pages and any frame within them, so a script that got in
somehow could not turn on the camera, the microphone or the location of a
clinic's computer.

The header is a structured-field dictionary, each feature with an empty
allowlist: `camera=(), microphone=()` (W3C Permissions Policy, section
"The Permissions-Policy HTTP header field"). The features are
settings.PERMISSIONS_POLICY_DISABLED; nothing in the app needs them (the
signature pad draws with pointer events, printing is window.print()).
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
