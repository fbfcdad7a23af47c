"""The check contract and the one registry that knows every check.

A check declares once, in the module that implements it, its stable id, family, scope, default
severity, references and documentation (ruff-style: what, why, example, how to fix). The same
declaration feeds `govscan checks`, the reports and the exports; nothing is written twice.

Checks are pure functions of evidence:
- page checks: ``(capture: PageCapture, context: CheckContext) -> Iterable[Finding]``
- host checks: ``(probe: HostProbeResult, context: CheckContext) -> Iterable[Finding]``
- site checks: ``(site: SiteEvidence, context: CheckContext) -> Iterable[Finding]``

A check may also yield ``Record``s: what it judged beyond single findings (a grade, a profile's
outcome), stored by the scan so that reports only read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from scanner.evidence import HostProbeResult, PageCapture, PageKind, Scenario
from scanner.evidence.tls import DEFAULT_TLS_PROFILE
from scanner.families import import_modules

if TYPE_CHECKING:
    from scanner.config.accessibility import AccessibilitySettings
    from scanner.crawl.scope import FirstPartySet


class Family(StrEnum):
    ACCESSIBILITY = "accessibility"
    PRIVACY = "privacy"
    SECURITY = "security"


class Scope(StrEnum):
    PAGE = "page"
    SITE = "site"
    HOST = "host"


class Severity(StrEnum):
    """Worst first: the order of the members is the severity order everywhere (``SEVERITY_ORDER``)."""

    CRITICAL = "critical"
    SERIOUS = "serious"
    MODERATE = "moderate"
    MINOR = "minor"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for sorting and for `--fail-on` thresholds."""
        return len(SEVERITY_ORDER) - 1 - SEVERITY_ORDER.index(self.value)


SEVERITY_ORDER: tuple[str, ...] = tuple(severity.value for severity in Severity)  # worst first


class Result(StrEnum):
    FAIL = "fail"  # a defect the evidence proves
    REVIEW = "review"  # a person must look: the evidence is suggestive, not conclusive


@dataclass(frozen=True)
class Text:
    """A sentence in the report languages. German is the default language of the reports."""

    de: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.de


@dataclass(frozen=True)
class References:
    wcag: tuple[str, ...] = ()  # success criteria, e.g. "3.1.1"
    en301549: tuple[str, ...] = ()  # clauses, e.g. "9.3.1.1"
    bitv: tuple[str, ...] = ()  # BIK BITV-Test Prüfschritt ids (ids only), e.g. "9.3.1.1"
    law: tuple[str, ...] = ()  # e.g. "TDDDG §25", "DSGVO Art. 44"
    standards: tuple[str, ...] = ()  # e.g. "RFC 9116", "MDN HTTP Observatory"

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(values) for name, values in self.__dict__.items() if values}


@dataclass(frozen=True)
class CheckDoc:
    title: Text
    what: Text  # what it detects
    why: Text  # why it matters, with the norm
    how_to_fix: Text
    example: str = ""  # a short snippet of what is detected (language neutral)


REVIEW_NOTE_KEY = "review_note"  # not "review": exports use that for the review decision


@dataclass(frozen=True)
class ReviewNote:
    """What a ``review`` finding asks of a person (``scanner.findings.review`` says more)."""

    reason: str  # stable key of the kind of doubt; never page values (they would split groups)
    look_at: Text  # what a person has to look at, and what decides it
    why: Text  # why the automated check could not decide

    def message(self, what: Text) -> Text:
        """The finding's own sentence, then what to look at and why it is left to a person."""
        return Text(
            de=f"{what.de}\nPrüfen: {self.look_at.de}\nWarum nicht automatisch: {self.why.de}",
            en=f"{what.en}\nLook at: {self.look_at.en}\nWhy not automatic: {self.why.en}",
        )

    def evidence(self) -> dict[str, Any]:
        return {
            REVIEW_NOTE_KEY: {
                "reason": self.reason,
                "look_at": {"de": self.look_at.de, "en": self.look_at.en},
                "why": {"de": self.why.de, "en": self.why.en},
            }
        }


@dataclass(frozen=True)
class Finding:
    """What a check reports. The runner adds the scan, page and fingerprint when it stores it.

    ``subject`` names what the finding is about when it is not an element (a host, a cookie, a
    header); ``selector`` and ``snippet`` locate an element. Both feed the fingerprint, so keep
    them free of values that change on every visit (session ids, timestamps).
    """

    result: Result
    message: Text
    severity: Severity | None = None  # None: the check's default severity
    subject: str | None = None
    selector: str | None = None
    snippet: str | None = None
    frame_url: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    """A judged result a check stores beside its findings: a host's header grade, a profile's outcome.

    Checks yield records like findings; the store writes each to the table its family registered
    for ``kind`` (``scanner.store.check_records``), so reports read what the scan judged instead of
    judging again. ``data`` is plain JSON.
    """

    kind: str
    data: dict[str, Any]


CheckItem = Finding | Record  # what a check function yields


@dataclass(frozen=True)
class CheckContext:
    """Facts about the scanned target that checks may need (never the network)."""

    target_name: str
    first_party: FirstPartySet
    authority_level: str | None = None
    tags: tuple[str, ...] = ()
    tls_profile: str = DEFAULT_TLS_PROFILE  # the TLS profile whose deviations are findings
    start_urls: tuple[str, ...] = ()  # the target's homepages
    accessibility: AccessibilitySettings | None = None


class SiteEvidence(Protocol):
    """Read access to what a whole scan collected; implemented over the database."""

    def pages(
        self, scenario: Scenario = Scenario.FIRST_VISIT, *, with_dom: bool = False
    ) -> Iterator[PageCapture]:
        """Every stored page of a scenario, one at a time; ``dom_html`` is empty unless ``with_dom``."""
        ...


def collected(name: str) -> Callable[[PageCapture], bool]:
    """For ``@check(requires=...)``: the collector ``name`` left evidence on the page, not an error."""

    def has_evidence(capture: PageCapture) -> bool:
        return capture.has_evidence(name)

    return has_evidence


PageCheckFn = Callable[[PageCapture, CheckContext], Iterable[CheckItem]]
HostCheckFn = Callable[[HostProbeResult, CheckContext], Iterable[CheckItem]]
SiteCheckFn = Callable[[SiteEvidence, CheckContext], Iterable[CheckItem]]

CHECK_ID = re.compile(r"^[a-z]+(\.[a-z0-9][a-z0-9-]*)+$")  # "<family>.<name>", family first


@dataclass(frozen=True)
class Check:
    id: str
    family: Family
    scope: Scope
    severity: Severity
    references: References
    doc: CheckDoc
    run: Callable[..., Iterable[CheckItem]]
    scenarios: frozenset[Scenario] = frozenset({Scenario.FIRST_VISIT})  # page checks only
    page_kinds: frozenset[PageKind] = frozenset({PageKind.HTML})  # page checks only
    probe: str | None = None  # host checks: the host probe whose result they judge
    # page checks: whether a capture holds the evidence the check judges (a sampled collector ran
    # there, an axe rule ran there). Pages without it are not evaluated, so coverage counts only what
    # was tested; a collector's failure is reported by a check of its own.
    requires: Callable[[PageCapture], bool] | None = None
    # page checks: the severity of a finding in a consent scenario, where it differs from ``severity``
    # (pairs, not a dict: a Check stays hashable)
    scenario_severities: tuple[tuple[Scenario, Severity], ...] = ()
    # what a person looks at, and why the check cannot decide, for its ``review`` findings that do
    # not carry a note of their own (``scanner.findings.review``)
    review: ReviewNote | None = None

    def severity_in(self, scenario: Scenario) -> Severity:
        """The default severity of this check's findings in ``scenario``.

        Processing the visitor agreed to is a fact to record, not a defect: after "accept" a
        finding is ``info`` unless the check declares otherwise (session recording on a public
        body's site stays a concern with consent).
        """
        declared = dict(self.scenario_severities)
        if scenario in declared:
            return declared[scenario]
        return Severity.INFO if scenario == Scenario.ACCEPTED else self.severity

    def run_on_page(self, capture: PageCapture, context: CheckContext) -> Iterator[CheckItem]:
        """Run a page check; findings without a severity of their own get the scenario's."""
        default = self.severity_in(capture.scenario)
        for item in self.run(capture, context):
            if isinstance(item, Finding) and item.severity is None and default != self.severity:
                item = replace(item, severity=default)
            yield item

    @property
    def module(self) -> str:
        """The module that implements the check (``govscan checks ID`` prints it)."""
        return self.run.__module__

    def applies_to(self, capture: PageCapture) -> bool:
        if self.requires is not None and not self.requires(capture):
            return False
        return capture.scenario in self.scenarios and capture.kind in self.page_kinds


class CheckRegistry:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, check: Check) -> Check:
        if not CHECK_ID.match(check.id) or not check.id.startswith(check.family.value + "."):
            raise ValueError(f"check id {check.id!r} must look like '<family>.<name>' for {check.family}")
        if check.id in self._checks:
            raise ValueError(f"check id {check.id!r} is registered twice")
        if check.scope is Scope.HOST and not check.probe:
            raise ValueError(f"host check {check.id!r} must name the probe it reads")
        self._checks[check.id] = check
        return check

    def get(self, check_id: str) -> Check:
        return self._checks[check_id]

    def __contains__(self, check_id: object) -> bool:
        return check_id in self._checks

    def __iter__(self) -> Iterator[Check]:
        return iter(sorted(self._checks.values(), key=lambda check: check.id))

    def __len__(self) -> int:
        return len(self._checks)

    def of_scope(self, scope: Scope) -> list[Check]:
        return [check for check in self if check.scope is scope]

    def probes_needed(self) -> set[str]:
        return {check.probe for check in self.of_scope(Scope.HOST) if check.probe}


REGISTRY = CheckRegistry()


def check(
    *,
    id: str,
    family: Family,
    scope: Scope,
    severity: Severity,
    doc: CheckDoc,
    references: References = References(),
    scenarios: Iterable[Scenario] = (Scenario.FIRST_VISIT,),
    page_kinds: Iterable[PageKind] = (PageKind.HTML,),
    probe: str | None = None,
    requires: Callable[[PageCapture], bool] | None = None,
    scenario_severities: Mapping[Scenario, Severity] | None = None,
    review: ReviewNote | None = None,
    registry: CheckRegistry = REGISTRY,
) -> Callable[[Callable[..., Iterable[CheckItem]]], Callable[..., Iterable[CheckItem]]]:
    """Declare and register a check; decorates the function that implements it."""

    def register(function: Callable[..., Iterable[CheckItem]]) -> Callable[..., Iterable[CheckItem]]:
        declared = Check(
            id=id,
            family=family,
            scope=scope,
            severity=severity,
            references=references,
            doc=doc,
            run=function,
            scenarios=frozenset(scenarios),
            page_kinds=frozenset(page_kinds),
            probe=probe,
            requires=requires,
            scenario_severities=tuple((scenario_severities or {}).items()),
            review=review,
        )
        registry.add(declared)
        return function

    return register


def load_all_checks() -> CheckRegistry:
    """Import every family's check modules so that their declarations run; returns the registry."""
    import_modules("checks")
    return REGISTRY
