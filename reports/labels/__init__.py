"""The report's strings, one module per language (``de``, ``en``), and the helpers that read them.

German is the default language of the reports. Every language has the same keys; the template reads
the dict of its language directly, the view builder goes through ``Texts``.
"""

from __future__ import annotations

from typing import Any

from reports.labels import de, en

LANGUAGES = ("de", "en")

# One dict of strings per language: the report's own, shared by every view.
LABELS: dict[str, dict[str, Any]] = {"de": de.REPORT, "en": en.REPORT}
VIEW_LABELS: dict[str, dict[str, Any]] = {"de": de.VIEWS, "en": en.VIEWS}
CLI_LABELS: dict[str, dict[str, Any]] = {"de": de.CLI, "en": en.CLI}


def cli_text(language: str = "de") -> dict[str, Any]:
    """The command line's table titles and headers; German unless asked otherwise."""
    return CLI_LABELS["en" if language == "en" else "de"]


class Texts:
    """The label dict of one language, with plural and number formatting."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.labels: dict[str, Any] = LABELS[language]

    def __getitem__(self, key: str) -> Any:
        return self.labels[key]

    def number(self, value: int) -> str:
        return f"{value:,}".replace(",", self.labels["thousands"])

    def plural(self, key: str, count: int, **values: Any) -> str:
        singular, plural = self.labels[key]
        return (singular if count == 1 else plural).format(n=self.number(count), **values)

    def reason(self, failure_class: str | None) -> str:
        """A failure class in words, with the class itself so it can be looked up; unknown ones as is."""
        if not failure_class:
            return self.labels["unknown_reason"]
        label = self.labels["failure_classes"].get(failure_class)
        return f"{label} ({failure_class})" if label else failure_class

    def decimal(self, value: float, digits: int = 1) -> str:
        return f"{value:.{digits}f}".replace(".", self.labels["decimal"])

    def size(self, length: int | None) -> str:
        if length is None:
            return self.labels["none"]
        if length < 1024:
            return f"{self.number(length)} B"
        if length < 1024 * 1024:
            return f"{self.decimal(length / 1024)} KiB"
        return f"{self.decimal(length / (1024 * 1024))} MiB"


class ViewTexts(Texts):
    """The report's strings plus those of the history views (web team, trend, portfolio, diff)."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.labels = {**LABELS[language], **VIEW_LABELS[language]}
