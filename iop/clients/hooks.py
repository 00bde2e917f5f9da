"""What feature apps do when an episode is admitted.

episode_admit (iop.clients.services) runs every registered hook inside its
transaction, after the episode entered the intensive phase, so an admission
and its consequences (group enrollment, ...) commit or fail together. Apps
register in AppConfig.ready(); the core never imports them.
"""

from collections.abc import Callable

AdmissionHook = Callable[..., None]  # hook(*, actor, episode) -> None
_admission_hooks: list[AdmissionHook] = []


def register_admission_hook(hook: AdmissionHook) -> None:
    if hook not in _admission_hooks:
        _admission_hooks.append(hook)


def run_admission_hooks(*, actor, episode) -> None:
    for hook in _admission_hooks:
        hook(actor=actor, episode=episode)
