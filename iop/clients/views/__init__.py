"""Views of the clinical record, one module per responsibility, and where
every app's actions on a client's record return: the chart."""

from urllib.parse import urlencode

from django.shortcuts import redirect


def chart_redirect(client, *, section: str = ""):
    """Back to the client's chart, opened on `section` (the name of a tab of
    its section navigation: where what was just done shows), or on the
    Overview."""
    response = redirect("clients:client-detail", client_id=client.public_id)
    if section:
        response["Location"] += "?" + urlencode({"section": section})
    return response
