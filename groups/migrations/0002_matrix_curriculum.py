from django.db import migrations

# The Matrix Model curriculum (SAMHSA/CSAT, Matrix Intensive Outpatient
# Treatment, Counselor's Treatment Manual, (SMA) 06-4152; DOMAIN.md section 2).
# Entries the manual leaves to the program are placeholders an administrator
# edits in the admin. Written out here so this migration never changes.

ERS = [
    "Stop the Cycle",
    "Identifying External Triggers",
    "Identifying Internal Triggers",
    "Twelve-Step or Other Spiritual Group Introduction",
    "Your Body Chemistry in Recovery",
    "Early Recovery Problems",
    "Thinking, Feeling, and Doing",
    "Keep It Simple",
]
RP = [
    "Alcohol: The Legal Drug",
    "Boredom",
    "Avoiding Relapse Drift",
    "Work and Recovery",
    "Guilt and Shame",
    "Staying Busy",
    "Motivation for Recovery",
    "Truthfulness",
    "Total Abstinence",
    "Sex and Recovery",
    "Relapse Prevention",
    "Trust",
    "Be Smart, Not Strong",
]
RP_THEMES = [
    "Relapse justification",
    "Emotional triggers",
    "Managing stress",
    "Dealing with anger",
    "Repairing relationships",
    "Compulsive behaviors",
    "Recognizing depression",
    "Twelve-step programs",
]
FAMILY = [
    "Triggers and Cravings",
    "AA/Matrix Model Panel",
    "Road Map for Recovery",
    "Avoiding/Coping with Relapse",
    "Families in Recovery",
    "Living with an Addiction",
]
SOCIAL = [
    "Anger",
    "Codependence",
    "Cravings",
    "Depression",
    "Friendship",
    "Grief",
    "Honesty",
    "Intimacy",
    "Isolation",
    "Relaxation",
    "Spirituality",
    "Thought stopping",
    "Triggers",
    "Trust",
    "Work",
]


def _topics(fixed, total, open_titles=(), open_label="Program-defined topic"):
    rows = [(number, title, False) for number, title in enumerate(fixed, start=1)]
    number = len(rows)
    for title in open_titles:
        number += 1
        rows.append((number, title, True))
    while number < total:
        number += 1
        rows.append((number, f"{open_label} {number}", True))
    return rows


TRACKS = [
    # code, name, minutes, capacity, for_family, topics, (start week, required, per week)
    ("ers", "Early Recovery Skills", 60, 12, False, _topics(ERS, 8), (1, 8, 2)),
    ("rp", "Relapse Prevention", 90, 12, False, _topics(RP, 32, RP_THEMES), (1, 32, 2)),
    ("family", "Family Education", 90, 24, True, _topics(FAMILY, 12, (), "Family topic"), (1, 12, 1)),
    ("social", "Social Support", 90, 10, False, _topics(SOCIAL, len(SOCIAL)), (13, 36, 1)),
]


def load(apps, schema_editor):
    Track = apps.get_model("groups", "Track")
    Topic = apps.get_model("groups", "Topic")
    Program = apps.get_model("groups", "Program")
    ProgramTrack = apps.get_model("groups", "ProgramTrack")
    program, _ = Program.objects.get_or_create(
        name="Matrix 16-week IOP", defaults={"is_default": True, "weeks": 16}
    )
    for code, name, minutes, capacity, for_family, topics, plan in TRACKS:
        track, _ = Track.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "session_minutes": minutes,
                "capacity": capacity,
                "for_family": for_family,
                "rolling": True,
            },
        )
        for number, title, placeholder in topics:
            Topic.objects.get_or_create(
                track=track, number=number, defaults={"title": title, "placeholder": placeholder}
            )
        start_week, required, per_week = plan
        ProgramTrack.objects.get_or_create(
            program=program,
            track=track,
            defaults={
                "start_week": start_week,
                "sessions_required": required,
                "sessions_per_week": per_week,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("groups", "Program").objects.filter(name="Matrix 16-week IOP").delete()
    apps.get_model("groups", "Track").objects.filter(code__in=[t[0] for t in TRACKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
