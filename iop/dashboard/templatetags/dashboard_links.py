"""Links of the program dashboard: its filters plus a figure or an export,
as one query string built by QueryDict (never appended by hand, so a link
followed back to the dashboard does not pile up "?&figure=..." parameters)."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def with_params(filters: QueryDict, **params) -> str:
    """`filters` with `params` set (replacing any of the same name), encoded."""
    query = filters.copy()
    for name, value in params.items():
        query[name] = value
    return query.urlencode()
