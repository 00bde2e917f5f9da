from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    """The idle limit, for the session-timeout warning in the page."""
    return settings.SESSION_IDLE_SECONDS
