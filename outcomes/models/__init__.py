from outcomes.models.plan import DueMeasure, MeasurePlanEntry
from outcomes.models.selfreport import KioskSession, SelfReportLink

__all__ = ["DueMeasure", "KioskSession", "MeasurePlanEntry", "SelfReportLink"]
