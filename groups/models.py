"""Matrix Model group tracks: curriculum, programs, recurring groups, their
session occurrences, enrollments and attendance with participation notes."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iop.clients.models import Client, Episode
from iop.clients.notes import SignableNote


class Track(models.Model):
    """A kind of group with its own curriculum (Early Recovery Skills, ...).
    Programs may add their own (SMART Recovery, a co-occurring track)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("group size limit"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # Matrix groups are open: topics cycle and a client joins wherever it stands.
    rolling = models.BooleanField(_("topics cycle (open group)"), default=True)
    for_family = models.BooleanField(_("family members attend"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("track")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A curriculum entry of a track, in cycle order. Entries the Matrix
    manual leaves open are editable placeholders (DOMAIN.md section 2)."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="topics")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    placeholder = models.BooleanField(
        _("program to define"), default=False, help_text=_("An open entry the program may edit.")
    )

    class Meta:
        verbose_name = _("topic")
        ordering = ["track", "number"]
        constraints = [
            models.UniqueConstraint(fields=["track", "number"], name="topic_number_unique"),
        ]

    def __str__(self):
        return f"{self.track.code} {self.number}: {self.title}"


class Program(models.Model):
    """A program of tracks a client takes, e.g. the default Matrix 16-week IOP."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default for admissions"), default=False)
    weeks = models.PositiveSmallIntegerField(_("intensive weeks"), default=16)

    class Meta:
        verbose_name = _("program")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="program_one_default"
            ),
        ]

    def __str__(self):
        return self.name


class ProgramTrack(models.Model):
    """Which track a program's clients take, from which week, how often and
    how many sessions complete it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tracks")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")
    start_week = models.PositiveSmallIntegerField(_("from week"), default=1)
    sessions_required = models.PositiveSmallIntegerField(_("sessions required"))
    sessions_per_week = models.PositiveSmallIntegerField(_("sessions per week"), default=1)

    class Meta:
        verbose_name = _("program track")
        ordering = ["program", "start_week", "track__name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "track"], name="program_track_unique"),
        ]

    def __str__(self):
        return f"{self.program}: {self.track}"

    @property
    def weeks(self) -> int:
        """How many weeks the track takes at its planned frequency."""
        return -(-self.sessions_required // max(self.sessions_per_week, 1))


class RecurringGroup(models.Model):
    """A group that meets weekly on one weekday and time; it generates its
    session occurrences ahead, each with the next topic of the cycle."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_groups",
        verbose_name=_("facilitator"),
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_facilitated_groups",
        verbose_name=_("co-facilitator"),
    )
    starts_on = models.DateField(_("first meeting on or after"))
    active = models.BooleanField(_("active"), default=True)
    # The topic number the next generated occurrence takes (rolling cycle).
    next_topic_number = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("recurring group")
        ordering = ["weekday", "start_time", "name"]

    def __str__(self):
        return self.name


class GroupSession(SignableNote):
    """One meeting of a recurring group, and its shared group note (written
    once: topic and summary). Signing it signs every participant's line."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(RecurringGroup, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    # The weekly slot the occurrence was generated for; a move changes
    # starts_at only, so generation never fills the vacated slot again.
    slot = models.DateTimeField(_("weekly slot"), null=True, blank=True, editable=False)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    room = models.CharField(_("room"), max_length=100, blank=True)
    summary = models.TextField(_("group note"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("group session")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "starts_at"], name="session_group_time_unique"
            ),
        ]
        indexes = [
            # My day and the unsigned list read sessions by time.
            models.Index(fields=["starts_at"], name="group_session_time_idx"),
        ]

    def __str__(self):
        return f"{self.group} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    # Attendance is taken as members arrive, from half an hour before the
    # start; the group note and the participation lines only once it started.
    ATTENDANCE_OPENS_BEFORE = timedelta(minutes=30)

    @property
    def attendance_is_open(self) -> bool:
        return timezone.now() >= self.starts_at - self.ATTENDANCE_OPENS_BEFORE

    @property
    def notes_are_open(self) -> bool:
        return timezone.now() >= self.starts_at


class Enrollment(models.Model):
    """An episode's place in a track, and in which recurring group, from when."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="enrollments")
    program_track = models.ForeignKey(ProgramTrack, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        RecurringGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrollment")
        ordering = ["start_date", "id"]
        indexes = [
            models.Index(fields=["group", "status"], name="enrollment_group_status_idx"),
        ]

    def __str__(self):
        return f"{self.episode} in {self.program_track.track}"


class Attendance(SignableNote):
    """A client's attendance at one session with their participation line."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    # What counts as attended (present or late): the attendance rate's
    # numerator (DOMAIN.md section 9), Matrix progress and hours.
    ATTENDED = (Status.PRESENT, Status.LATE)

    class Participation(models.TextChoices):
        ACTIVE = "active", _("Actively engaged")
        PROMPTED = "prompted", _("Participated when prompted")
        ATTENTIVE = "attentive", _("Attentive, little sharing")
        WITHDRAWN = "withdrawn", _("Withdrawn or distracted")
        DISRUPTIVE = "disruptive", _("Disruptive")

    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="attendance")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="group_attendance")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="group_attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes attended"), default=0)
    drop_in = models.BooleanField(_("drop-in"), default=False)
    participation = models.CharField(
        _("participation"), max_length=12, choices=Participation.choices, blank=True
    )
    remark = models.CharField(_("individual remark"), max_length=500, blank=True)
    objective = models.ForeignKey(
        "clients.Objective",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_lines",
        verbose_name=_("treatment-plan objective addressed"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "client__legal_last_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "client"], name="attendance_one_per_client"),
        ]
        indexes = [
            # Progress and hours per week read one episode's attendance.
            models.Index(fields=["episode", "status"], name="attendance_episode_status_idx"),
        ]

    def __str__(self):
        return f"{self.client_id} {self.status} at {self.session_id}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED
