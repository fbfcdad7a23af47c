"""Why an axe result is a review, and what a person has to look at: the ``ReviewNote`` of axe findings.

axe-core leaves a node "incomplete" when one of its checks cannot decide, and says why in the
check's ``data.messageKey`` (color-contrast: ``bgImage``, ``bgOverlap``, ``pseudoContent``, ...).
After ``finishRun`` the messages axe attaches to such nodes are its *fail* texts ("contrast of 0"),
so govscan words the reason itself from the key (``data/axe_review_reasons.toml``), and falls back
to the incomplete message of axe's German locale for a key it does not know. Best-practice rules
are reviews for another reason: they are no WCAG requirement.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from checks.accessibility.mapping import AxeRule
from scanner.capture.axe.source import german_locale
from scanner.evidence.axe import AxeCheck, AxeNode
from scanner.findings.registry import Text
from scanner.findings.review import ReviewNote

REASONS_FILE = Path(__file__).parent / "data" / "axe_review_reasons.toml"
ANY_KEY = "*"
_PLACEHOLDER = re.compile(r"\$\{data\.([A-Za-z]+)\}")
_SUMMARY_HEAD = re.compile(r"^(Korrigiere|Fix) [^:\n]*:\s*", re.IGNORECASE)


@cache
def reasons() -> dict[str, Any]:
    with REASONS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def review_note(rule: AxeRule, node: AxeNode, outcome: str) -> ReviewNote:
    """The note of one axe review: an incomplete node, or a best-practice rule's violation."""
    if outcome != "incomplete":
        return _best_practice(rule, node)
    table = reasons()
    values = _values(node)
    if rule.id in table.get("rule", {}):
        return _note(f"axe:{rule.id}", table["rule"][rule.id], values)
    checks = node.checks or (AxeCheck(rule.id, str(node.data.get("messageKey") or "")),)
    for axe_check in checks:
        texts = table.get("check", {}).get(axe_check.id, {})
        if axe_check.message_key in texts:
            key = f"axe:{axe_check.id}:{axe_check.message_key}"
            return _note(key, texts[axe_check.message_key], values)
        if ANY_KEY in texts:
            return _note(f"axe:{axe_check.id}", texts[ANY_KEY], values)
    return _from_locale(rule, checks[0], node)


def _values(node: AxeNode) -> dict[str, str]:
    value = next((check.value for check in node.checks if check.value), "")
    return {"expected": str(node.data.get("expectedContrastRatio") or "4.5:1"), "value": value}


def _note(reason: str, texts: dict[str, str], values: dict[str, str]) -> ReviewNote:
    def fill(text: str) -> str:
        return text.format_map(values)

    return ReviewNote(
        reason=reason,
        look_at=Text(de=fill(texts["look_de"]), en=fill(texts["look_en"])),
        why=Text(de=fill(texts["why_de"]), en=fill(texts["why_en"])),
    )


def _from_locale(rule: AxeRule, axe_check: AxeCheck, node: AxeNode) -> ReviewNote:
    """A check or key the table does not word: axe's own German incomplete message, placeholders filled."""
    message = german_locale().get("checks", {}).get(axe_check.id, {}).get("incomplete")
    if isinstance(message, dict):
        message = message.get(axe_check.message_key) or message.get("default")
    german = message if isinstance(message, str) else german_locale().get("incompleteFallbackMessage", "")
    german = _PLACEHOLDER.sub(lambda match: str(node.data.get(match.group(1), "…")), german)
    key = f" ({axe_check.message_key})" if axe_check.message_key else ""
    reason = f"axe:{axe_check.id}" + (f":{axe_check.message_key}" if axe_check.message_key else "")
    requirement = rule.help_de.rstrip(".")
    return ReviewNote(
        reason=reason,
        look_at=Text(
            de=f"Das Element, gemessen an der Anforderung „{requirement}“. axe sagt dazu: {german}",
            en=f"The element, against the requirement '{rule.help_en}'; axe's check '{axe_check.id}'{key} "
            "left it open.",
        ),
        why=Text(
            de="axe-core meldet das Ergebnis als unvollständig: die Regel braucht eine Angabe, die der Code "
            "der Seite nicht verrät.",
            en="axe-core reported the result as incomplete: the rule needs a fact the page's code does not "
            "reveal.",
        ),
    )


def _best_practice(rule: AxeRule, node: AxeNode) -> ReviewNote:
    found = _SUMMARY_HEAD.sub("", node.summary.strip()).strip()
    found_de = " ".join(line.strip() for line in found.splitlines() if line.strip())
    return ReviewNote(
        reason=f"axe:best-practice:{rule.id}",
        look_at=Text(
            de=f"Ob das Element Nutzerinnen und Nutzer behindert: {rule.help_de.rstrip('.')}."
            + (f" axe fand: {found_de}" if found_de else ""),
            en=f"Whether the element hinders users: {rule.help_en}.",
        ),
        why=Text(
            de="Bewährte Praxis von axe-core, keine Anforderung der WCAG: govscan meldet sie nie als Mangel, "
            "ob sie hier stört, entscheidet ein Mensch.",
            en="A best practice of axe-core, not a WCAG requirement: govscan never reports it as a defect; "
            "whether it matters here is for a person to decide.",
        ),
    )
