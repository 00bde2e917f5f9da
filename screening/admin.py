from django.contrib import admin

from screening.models import LevelOfCareRule


@admin.register(LevelOfCareRule)
class LevelOfCareRuleAdmin(admin.ModelAdmin):
    """The placement table: administrators adjust the caps per level. Empty
    cap = any rating. Safety gates are not editable: they come first always."""

    list_display = (
        "code",
        "label",
        "order",
        "d1_max",
        "d2_max",
        "d3_max",
        "d4_max",
        "d5_max",
        "d6_max",
        "active",
    )
    list_editable = ("d1_max", "d2_max", "d3_max", "d4_max", "d5_max", "d6_max", "active")
    ordering = ("order",)
