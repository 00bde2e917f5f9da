from django.shortcuts import redirect

from iop.accounts import roles
from iop.formtools import add_service_errors

READERS = (roles.COUNSELOR, roles.SUPERVISOR, roles.ADMINISTRATOR)


def chart(client):
    return redirect("clients:client-detail", client_id=client.public_id)


# One way to show a service's errors on a form, shared with the other apps.
add_errors = add_service_errors
