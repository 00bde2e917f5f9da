# The audit trail is read on its own page (audit:event-list), which filters by
# period, user and client; it is append-only, so it has no admin to edit it.
