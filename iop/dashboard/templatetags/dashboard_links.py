"""Links of the program dashboard: its filters plus a figure or an export,
as one query string built by QueryDict (never appended by hand, so a link
followed back to the dashboard does not pile up "?&figure=..." parameters)."""

from django import template

from iop.dashboard import program

register = template.Library()
register.simple_tag(program.with_params, name="with_params")
