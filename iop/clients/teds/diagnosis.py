"""DSMCRIT, the TEDS diagnosis category, from an ICD-10-CM code.

The codebook's categories are DSM-IV's (abuse, dependence). A DSM-5-TR use
disorder coded F1x.1x (mild) is reported as abuse and F1x.2x (moderate or
severe) as dependence, the crosswalk the ICD-10-CM codes themselves carry
("abuse", "dependence"). Codes the export cannot place are missing (-9),
which the codebook also uses for "no or deferred diagnosis"."""

from iop.clients.teds.codebook import MISSING

DSMCRIT_LABELS = {
    1: "Alcohol-induced disorder",
    2: "Substance-induced disorder",
    3: "Alcohol intoxication",
    4: "Alcohol dependence",
    5: "Opioid dependence",
    6: "Cocaine dependence",
    7: "Cannabis dependence",
    8: "Other substance dependence",
    9: "Alcohol abuse",
    10: "Cannabis abuse",
    11: "Other substance abuse",
    12: "Opioid abuse",
    13: "Cocaine abuse",
    14: "Anxiety disorders",
    15: "Depressive disorders",
    16: "Schizophrenia/other psychotic disorders",
    17: "Bipolar disorders",
    18: "Attention deficit/disruptive behavior disorders",
    19: "Other mental health condition",
}

# ICD-10-CM category (F10 alcohol, F11 opioid, F12 cannabis, F14 cocaine) to
# (abuse, dependence); every other F1x is "other substance".
_SUBSTANCE = {"F10": (9, 4), "F11": (12, 5), "F12": (10, 7), "F14": (13, 6)}
_OTHER_SUBSTANCE = (11, 8)
_INTOXICATION = ("F10.12", "F10.22", "F10.92")
# Mental health categories by the ICD-10-CM F chapter's blocks.
_MENTAL = (
    (("F40", "F41"), 14),
    (("F32", "F33", "F341"), 15),
    (tuple(f"F2{digit}" for digit in range(10)), 16),
    (("F30", "F31"), 17),
    (("F90", "F91"), 18),
)


def dsmcrit(icd10_code: str) -> int:
    """The DSMCRIT code of one ICD-10-CM code (F chapter), MISSING otherwise."""
    code = (icd10_code or "").strip().upper()
    if not code.startswith("F") or len(code) < 3:
        return MISSING
    category, compact = code[:3], code.replace(".", "")
    if category == "F17":
        # Nicotine dependence: not an item of TEDS.
        return MISSING
    if category.startswith("F1"):
        if code.startswith(_INTOXICATION):
            return 3
        kind = compact[3:4]
        if kind == "1":
            return _SUBSTANCE.get(category, _OTHER_SUBSTANCE)[0]
        if kind == "2":
            return _SUBSTANCE.get(category, _OTHER_SUBSTANCE)[1]
        if kind == "9":
            return 1 if category == "F10" else 2
        return MISSING
    for prefixes, value in _MENTAL:
        if compact.startswith(prefixes):
            return value
    return 19
