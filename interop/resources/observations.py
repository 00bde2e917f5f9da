"""Observation: screening scores (category survey, observations_survey) and
drug-test results (category laboratory, observations_lab), one type read
from their sources; US Core's search parameters (patient, category, code,
date, status) work on every source, so patient + category + date narrows
to the right rows of the right table."""

from interop.api.registry import ResourceType, SearchParam, register
from interop.resources import observations_lab, observations_survey

OBSERVATION = register(
    ResourceType(
        name="Observation",
        profiles=[observations_survey.PROFILE, observations_lab.PROFILE],
        sources=[*observations_survey.sources(), observations_lab.source()],
        params=[
            SearchParam("patient", "reference", "The client (Patient/<id>)."),
            SearchParam("category", "token", "survey or laboratory (observation-category)."),
            SearchParam(
                "code",
                "token",
                "LOINC for instrument totals; local codes for BAM composites and "
                "drug-test substances.",
            ),
            SearchParam("date", "date", "When administered, or when the specimen was collected."),
            SearchParam("status", "token", "Always final."),
        ],
    )
)
