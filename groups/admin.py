from django.contrib import admin

from groups.models import Program, ProgramTrack, RecurringGroup, Topic, Track
from iop import horizon


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 1
    fields = ("number", "title", "placeholder")


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    """Tracks and their curriculum. Add a track (e.g. SMART Recovery) with its
    topics here, then add it to a program and create recurring groups."""

    list_display = ("name", "code", "session_minutes", "capacity", "rolling", "for_family")
    prepopulated_fields = {"code": ("name",)}
    inlines = [TopicInline]


class ProgramTrackInline(admin.TabularInline):
    model = ProgramTrack
    extra = 1


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "weeks")
    inlines = [ProgramTrackInline]


@admin.register(RecurringGroup)
class RecurringGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "track", "weekday", "start_time", "room", "facilitator", "active")
    list_filter = ("track", "active", "weekday")
    list_select_related = ("track", "facilitator")
    readonly_fields = ("next_topic_number",)
    # A first day beyond the horizon stopped the nightly generation of every group.
    formfield_overrides = horizon.ADMIN_FORMFIELD_OVERRIDES
