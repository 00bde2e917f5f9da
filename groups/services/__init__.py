"""Writes of the groups app, by sub-domain: the schedule of recurring groups,
enrollment of episodes into tracks and groups, and documenting a session."""
