"""axe-core in a real page: the WCAG 2.2 AA rules, and a failure that lists what is wrong."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="  # from the package's sri-history.json
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def check_file() -> None:
    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode()
    assert digest == AXE_SHA256, "tests/browser/vendor/axe.min.js is not the axe-core release it claims to be"


def violations(page) -> list[dict]:
    """Run axe on the page as it is now (the context must allow JavaScript and bypass the CSP)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return {version: axe.version, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))};
        }""",
        TAGS,
    )
    assert result["version"] == AXE_VERSION
    return result["violations"]


def assert_accessible(page, where: str, *, allow: dict[str, str] | None = None) -> None:
    """No violations; ``allow`` names a rule to let through on this page, with the reason why."""
    found = [v for v in violations(page) if v["id"] not in (allow or {})]
    report = "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)
    assert not found, f"axe-core found problems on {where} ({page.url}):\n{report}"
