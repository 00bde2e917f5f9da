"""The group pages: groups and their schedule (groups.py), a session's one
screen and what is done on it (sessions.py), adding a drop-in (dropin.py)."""
