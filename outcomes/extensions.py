"""What outcomes registers with the core's extension points
(iop/extensions.py): measures made due at admission, step-down and discharge."""

from iop.extensions import ADMISSION_HOOKS, DISCHARGE_HOOKS, STEP_DOWN_HOOKS
from outcomes.services import plan


def register() -> None:
    ADMISSION_HOOKS.register("due-measures", plan.due_measures_on_admission, order=60)
    STEP_DOWN_HOOKS.register("due-measures", plan.due_measures_on_step_down, order=60)
    DISCHARGE_HOOKS.register("due-measures", plan.due_measures_on_discharge, order=60)
