"""Views of the clinical record, one module per responsibility, and where
every app's actions on a client's record return: the chart."""

from django.shortcuts import redirect


def chart_redirect(client):
    """Back to the client's chart."""
    return redirect("clients:client-detail", client_id=client.public_id)
