from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from iop.accounts import roles

CLINICIANS = (roles.COUNSELOR, roles.SUPERVISOR)
READERS = (roles.COUNSELOR, roles.SUPERVISOR, roles.ADMINISTRATOR)


def chart(client):
    return redirect("clients:client-detail", client_id=client.public_id)


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
