"""axe-core in the browser tests: inject the vendored copy into a page, check
it against WCAG 2.1 A and AA, and keep what is serious or critical.

The source is evaluated through the DevTools protocol, which the page's
Content-Security-Policy does not govern, so the app's CSP stays as strict as
it is in production (no test-only exception for an inline script)."""

from dataclasses import dataclass
from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# The tags axe gives the success criteria of WCAG 2.0 and 2.1, levels A and AA
# (https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#axe-core-tags).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
# Colours are measured once transitions have ended (a button that has just
# opened its menu is still fading to its active colour). Endless animations
# (spinners, striped progress bars) are left running.
SETTLED_JS = """() => Promise.all(document.getAnimations()
  .filter((animation) => animation.effect.getComputedTiming().endTime !== Infinity)
  .map((animation) => animation.finished.catch(() => null)))"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    selector: str
    summary: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}) at {self.selector}: {self.summary}"


def axe_run(page, context=None) -> dict:
    """axe's result for the page as it is on the screen now, or for one
    element of it (`context`: a Playwright element handle)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    page.evaluate(SETTLED_JS)
    return page.evaluate(
        """([context, tags]) => axe.run(context || document, {
          runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [context, WCAG_21_AA],
    )


def axe_violations(page, *, label: str, context=None) -> list[Violation]:
    """The serious and critical violations on the page (or in `context`),
    one per element; `label` names the page and its state in the report."""
    found = []
    for rule in axe_run(page, context)["violations"]:
        for node in rule["nodes"]:
            impact = node.get("impact") or rule.get("impact") or ""
            if impact not in BLOCKING:
                continue
            selector = " ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = (node.get("failureSummary") or rule["help"]).replace("\n", " ")
            found.append(Violation(label, rule["id"], impact, selector, summary))
    return found


def report(violations: list[Violation]) -> str:
    return "\n".join(str(violation) for violation in violations)
