from iop.accounts import roles
from iop.formtools import add_service_errors

READERS = (roles.COUNSELOR, roles.SUPERVISOR, roles.ADMINISTRATOR)


# One way to show a service's errors on a form, shared with the other apps.
add_errors = add_service_errors
