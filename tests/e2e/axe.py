"""Run axe-core (vendored in ``vendor/``) in a Playwright page.

axe is evaluated through the DevTools protocol rather than added as a
``<script>`` element, so it runs on our pages without weakening their
Content-Security-Policy.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

VENDOR = Path(__file__).parent / "vendor"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"[{self.impact}] {self.rule}: {self.help} ({where}) {self.help_url}"


def axe_violations(page: Page, tags: list[str] = WCAG_21_AA) -> list[Violation]:
    """The serious and critical violations of the WCAG 2.1 A/AA rules on the
    page as it is now. A click that navigates has only started the next
    page: wait until it has loaded, or axe reads a document being replaced."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        tags,
    )
    return [
        Violation(
            rule=found["id"],
            impact=found["impact"],
            help=found["help"],
            help_url=found["helpUrl"],
            targets=tuple(" ".join(map(str, node["target"])) for node in found["nodes"]),
        )
        for found in result["violations"]
        if found["impact"] in BLOCKING_IMPACTS
    ]


def format_violations(violations_by_page: dict[str, list[Violation]]) -> str:
    lines = []
    for url, violations in violations_by_page.items():
        lines.append(url)
        lines.extend(f"  {violation}" for violation in violations)
    return "\n".join(lines)
