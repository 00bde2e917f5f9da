"""What outcomes registers with the core's extension points
(iop/extensions.py): measures made due at admission, step-down and
discharge; the wording of a self-report link's message, and the check that
stops one whose measure was answered meanwhile."""

from iop.extensions import (
    ADMISSION_HOOKS,
    DISCHARGE_HOOKS,
    MESSAGE_RENDERERS,
    SEND_CHECKS,
    STEP_DOWN_HOOKS,
)
from outcomes.services import links, plan


def register() -> None:
    ADMISSION_HOOKS.register("due-measures", plan.due_measures_on_admission, order=60)
    STEP_DOWN_HOOKS.register("due-measures", plan.due_measures_on_step_down, order=60)
    DISCHARGE_HOOKS.register("due-measures", plan.due_measures_on_discharge, order=60)
    MESSAGE_RENDERERS.register(links.KIND, links.measure_link_render, order=60)
    SEND_CHECKS.register("measure-link", links.measure_link_check, order=60)
