"""The words that make a piece of free text carry the content of another
disclosure category: the one list the release of information checks
treatment-plan text against (family.release).

A plan objective such as "Take buprenorphine daily and provide weekly
negative fentanyl screens" is treatment-plan text, but it also tells the
reader about the client's medications and drug tests. A consent covers only
the categories it names (42 CFR 2.31(a)(3): "how much and what kind of
information"), so such a text is released only when the consent covers those
categories too.

The match is on words (case-insensitive, whole words, with -s, -es, -ed and
-ing endings) and errs toward withholding: a text is withheld when in doubt.
The words are English (drug names are the same in Spanish; "prueba de
orina" is not caught).

- Medications: the MAT drugs of the medication list (iop.clients Medication
  choices, their values and English labels), their usual brand names, the
  names of the medications recorded for this client, and words about
  prescribing.
- Drug tests: words about testing (test, screen, UDS, urine, tox, ...), and a
  drug-test substance (the test panel's names and labels) named together with
  a result word (negative, positive, clean, dirty). A substance named alone
  ("Sleep without alcohol") is what the plan treats, not a test result, and
  stays plan content.
"""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from family.models import DisclosureCategory
from iop.clients.models import DrugTest, Medication, Substance

# Brand names of the MAT drugs (FDA labels) and words about prescribing.
MEDICATION_WORDS = (
    "Suboxone",
    "Subutex",
    "Zubsolv",
    "Sublocade",
    "Brixadi",
    "Methadose",
    "Dolophine",
    "Vivitrol",
    "Revia",
    "Campral",
    "Antabuse",
    "naloxone",
    "Narcan",
    "medication",
    "medicine",
    "prescription",
    "prescribe",
    "prescriber",
    "dose",
    "dosing",
    "pharmacy",
    "MAT",
    "MOUD",
    "MAUD",
)
# Words about drug testing, whatever the substance.
DRUG_TEST_WORDS = (
    "test",
    "drug test",
    "screen",
    "tox",
    "toxicology",
    "UDS",
    "UA",
    "urine",
    "urinalysis",
    "specimen",
    "breathalyzer",
    "EtG",
)
# With a drug-test substance in the same text, these make it a result.
RESULT_WORDS = ("negative", "positive", "clean", "dirty")

WITHHELD = _("[withheld: mentions medications/drug tests, not covered by this consent]")


def _choice_terms(choices: Iterable[tuple[str, str]]) -> set[str]:
    """A choice list's values and English labels, lower-cased, a label's
    part in parentheses apart: "Cannabis (THC)" gives "cannabis" and "thc"."""
    terms = set()
    with translation.override("en"):
        for value, label in choices:
            if value == "other":
                continue
            terms.add(value.replace("_", " "))
            parts = re.split(r"[()]", str(label))
            terms.update(part.strip().casefold() for part in parts if part.strip())
    return terms


def _pattern(terms: Iterable[str]) -> re.Pattern:
    words = sorted({term.casefold() for term in terms if term.strip()}, key=len, reverse=True)
    alternatives = (r"[\s-]+".join(re.escape(part) for part in word.split()) for word in words)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")(?:s|es|ed|ing)?\b", re.IGNORECASE)


@functools.cache
def _shared() -> dict[str, re.Pattern | tuple[str, ...]]:
    """Built once, on first use (the labels are translatable, read in English)."""
    drugs = {value.split("_")[0] for value in Medication.Drug.values if value != "other"}
    # "breath" alone would catch "breathing exercises": the specimen is
    # named by "breathalyzer" and the substance by "breath alcohol".
    specimens = _choice_terms(DrugTest.Specimen.choices) - {"breath"}
    return {
        "medication_terms": (*MEDICATION_WORDS, *drugs, *_choice_terms(Medication.Drug.choices)),
        "drug_tests": _pattern([*DRUG_TEST_WORDS, *specimens]),
        "substances": _pattern(_choice_terms(Substance.choices)),
        "results": _pattern(RESULT_WORDS),
    }


def _medication_names(medications: Iterable[Medication]) -> set[str]:
    """What a client's medication rows are called: the name of an "other"
    medication and its longer words ("Gabapentin (Neurontin)")."""
    names = set()
    for medication in medications:
        if medication.other_name:
            names.add(medication.other_name)
            names.update(re.findall(r"[^\W\d_]{4,}", medication.other_name))
    return names


@dataclass(frozen=True)
class Vocabulary:
    """The words of one client's release (their own medications included)."""

    medications: re.Pattern

    def categories_in(self, text: str) -> set[str]:
        """The categories (medications, drug tests) whose content `text` carries."""
        shared = _shared()
        found = set()
        if self.medications.search(text):
            found.add(DisclosureCategory.MEDICATIONS)
        if shared["drug_tests"].search(text) or (
            shared["substances"].search(text) and shared["results"].search(text)
        ):
            found.add(DisclosureCategory.DRUG_TESTS)
        return found

    def released(self, text: str, consented: Iterable[str]) -> str:
        """`text` as it may be released under a consent covering `consented`."""
        if self.categories_in(text) - set(consented):
            return str(WITHHELD)
        return text


def vocabulary_for(medications: Iterable[Medication]) -> Vocabulary:
    """The vocabulary of a client whose medication rows are `medications`."""
    terms = [*_shared()["medication_terms"], *_medication_names(medications)]
    return Vocabulary(medications=_pattern(terms))
