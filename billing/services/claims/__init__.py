"""Claims and their batches (DOMAIN.md section 13): building claims from
ready charges (build.py), a batch's 837P file (files.py), and what happens
to a batch and its claims afterwards (lifecycle.py, corrections.py)."""

from billing.services.claims.build import BuildResult, batch_build
from billing.services.claims.corrections import claim_replace, claim_void
from billing.services.claims.lifecycle import batch_discard, batch_mark_sent, batch_send

__all__ = [
    "BuildResult",
    "batch_build",
    "batch_discard",
    "batch_mark_sent",
    "batch_send",
    "claim_replace",
    "claim_void",
]
