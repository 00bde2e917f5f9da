from outcomes.models.plan import DueMeasure, MeasurePlanEntry
from outcomes.models.rules import OnTrackRule
from outcomes.models.selfreport import KioskSession, SelfReportLink

__all__ = ["DueMeasure", "KioskSession", "MeasurePlanEntry", "OnTrackRule", "SelfReportLink"]
