# Client records are deliberately not in the Django admin: every view and change
# of a client must go through the access policy and the audit trail, which the
# admin bypasses. Staff use the application's own pages.
