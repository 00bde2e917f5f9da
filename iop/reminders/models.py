from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """When the periodic heartbeat task last ran: proof that beat schedules
    and a worker executes. One row per beat entry name."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    last_run_at = models.DateTimeField(_("last run"))
    hostname = models.CharField(_("worker"), max_length=200, blank=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"
