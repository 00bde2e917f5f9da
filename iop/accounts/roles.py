"""The staff roles. A role is a Django group; its permissions are created
by the data migration accounts/0002_roles and kept there."""

INTAKE = "Intake"
COUNSELOR = "Counselor"
SUPERVISOR = "Supervisor"
ADMINISTRATOR = "Administrator"
# Billing staff: the whole program, minimum necessary (DESIGN.md): coverage,
# diagnosis codes, charges and the facts of a service, never note text.
BILLING = "Billing"

ALL_ROLES = (INTAKE, COUNSELOR, SUPERVISOR, ADMINISTRATOR, BILLING)

# Roles that read the clinical record (the chart, its sections and timeline):
# every role but billing, which sees only what billing needs (minimum
# necessary: identity, coverage, diagnosis codes, charges).
RECORD_ROLES = (INTAKE, COUNSELOR, SUPERVISOR, ADMINISTRATOR)

# Roles that see every client of the program and the whole of their record
# (DESIGN.md, the access policy).
PROGRAM_WIDE_ROLES = (SUPERVISOR, ADMINISTRATOR)

# Roles that see every client of the program (clients_visible_to): the
# program-wide roles, and billing, for the billing pages only.
EVERY_CLIENT_ROLES = (*PROGRAM_WIDE_ROLES, BILLING)

# Who works the billing pages (coverage, fee schedule, charges).
BILLING_STAFF = (BILLING, ADMINISTRATOR)

# Roles that treat clients: they document sessions, groups, tests and
# aftercare, and run the groups (DESIGN.md, who uses it).
CLINICIANS = (COUNSELOR, SUPERVISOR)
