"""The program dashboard's summary: daily totals of group attendance and of
drug tests, and each admitted episode's quality measures, rebuilt from the
clinical tables by a periodic task (iop.dashboard.summary). They are derived
figures, never a record: a rebuild replaces them all, and the dashboard says
how old they are."""

from django.conf import settings
from django.db import models


class AttendanceDay(models.Model):
    """Attendance of one day's scheduled group sessions, per track and
    facilitator: attended (present or late) and absent; excused left out."""

    day = models.DateField()
    # Not constraints: a rebuild may briefly trail a deleted track or user.
    track = models.ForeignKey(
        "groups.Track",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    attended = models.PositiveIntegerField()
    absent = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="attendanceday_day_idx")]

    def __str__(self):
        return f"{self.day} {self.track_id}/{self.facilitator_id}: {self.attended}/{self.absent}"


class DrugTestDay(models.Model):
    """Drug tests collected on one day from clients with an episode, and how
    many of them were negative (no unexpected positive, invalid or refusal)."""

    day = models.DateField(unique=True)
    total = models.PositiveIntegerField()
    negative = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.day}: {self.negative} negative of {self.total}"


class EpisodeQuality(models.Model):
    """An admitted episode's quality measures as of the last rebuild:
    initiation and engagement (iop.dashboard.quality) and its TEDS-required
    items, so the program-wide figures of a period are a sum, not a replay
    of every admission's services."""

    # Not a constraint: a rebuild may briefly trail a deleted episode.
    episode = models.OneToOneField(
        "clients.Episode",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    admission_date = models.DateField()
    initiated = models.BooleanField()
    engaged = models.BooleanField()
    teds_required = models.PositiveSmallIntegerField()
    teds_missing = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["admission_date"], name="episodequality_admitted_idx")]

    def __str__(self):
        return f"episode {self.episode_id} admitted {self.admission_date}"


class SummaryRefresh(models.Model):
    """When the summary was last rebuilt (one row)."""

    refreshed_at = models.DateTimeField()
    seconds = models.FloatField()

    def __str__(self):
        return f"summary as of {self.refreshed_at}"
