"""Plain, frozen data passed between litwatch's modules (no Bio.Entrez or sqlite objects escape their module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Author:
    """One author; a collective (group) author has only `collective_name`."""

    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None
    affiliation: str | None = None  # the first affiliation given, if any

    @property
    def display(self) -> str:
        """'Smith JA' as PubMed shows it, or the group's name."""
        if self.collective_name:
            return self.collective_name
        return " ".join(p for p in (self.last_name, self.initials) if p) or (self.fore_name or "")

    @property
    def full(self) -> str:
        """'Smith, Jane A' for reference managers, or the group's name."""
        if self.collective_name:
            return self.collective_name
        if self.last_name and self.fore_name:
            return f"{self.last_name}, {self.fore_name}"
        return self.last_name or self.fore_name or ""


@dataclass(frozen=True)
class AbstractSection:
    """One paragraph of an abstract; structured abstracts carry a label (e.g. 'METHODS')."""

    text: str
    label: str | None = None
    category: str | None = (
        None  # NlmCategory: BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS, UNASSIGNED
    )


@dataclass(frozen=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True)
class MeshHeading:
    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()

    @property
    def is_major(self) -> bool:
        """Major topic if the descriptor or any of its qualifiers is starred."""
        return self.major or any(q.major for q in self.qualifiers)


@dataclass(frozen=True)
class PubDate:
    """A publication date as precise as PubMed gives it.

    `medline_date` keeps free-text forms such as '2019 Nov-Dec' or '1998 Dec-1999 Jan'; `year`/`month`
    are still filled from it when they can be read. `season` keeps 'Spring', 'Summer', ...
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None
    medline_date: str | None = None

    def iso(self) -> str | None:
        """'2019', '2019-11' or '2019-11-05': only as precise as known."""
        if self.year is None:
            return None
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    def display(self) -> str:
        """'2019 Nov 5', '2019 Nov-Dec', '2020 Spring' or ''."""
        if self.medline_date:
            return self.medline_date
        parts = [str(self.year)] if self.year else []
        if self.month:
            parts.append(MONTHS[self.month - 1])
            if self.day:
                parts.append(str(self.day))
        elif self.season:
            parts.append(self.season)
        return " ".join(parts)


@dataclass(frozen=True)
class Article:
    """One PubMed record (journal article or book/chapter), text without XML markup."""

    pmid: str
    title: str
    abstract: tuple[AbstractSection, ...] = ()
    journal: str | None = None  # full journal title, or the book title for a book record
    journal_abbrev: str | None = None  # ISOAbbreviation / MedlineTA
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    issn: str | None = None
    pub_date: PubDate = field(default_factory=PubDate)
    authors: tuple[Author, ...] = ()
    doi: str | None = None
    pmcid: str | None = None  # 'PMC1234567'
    language: tuple[str, ...] = ()  # three-letter codes as PubMed gives them: ('eng',)
    publication_types: tuple[str, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    is_book: bool = False
    publisher: str | None = None  # books only
    entrez_date: str | None = None  # ISO date PubMed added the record (PubMedPubDate PubStatus="entrez")
    status: str | None = None  # MedlineCitation Status: MEDLINE, PubMed-not-MEDLINE, In-Data-Review, ...

    @property
    def abstract_text(self) -> str:
        """The abstract as one string, 'LABEL: text' per structured section, sections on their own lines."""
        return "\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract)

    @property
    def year(self) -> int | None:
        return self.pub_date.year

    @property
    def url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"


@dataclass(frozen=True)
class SavedQuery:
    """A saved PubMed search, one TOML file; its name is the file stem."""

    name: str
    term: str
    title: str | None = None
    description: str | None = None
    focus: tuple[str, ...] = ()
    backfill_from: dt.date | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Classification:
    """What litwatch decided about one article, and why (`reasons` maps a label to the phrases/fields that decided it).

    `reasons` keys: 'on_topic', 'long_term_efficacy', 'safety', 'design', 'population', 'excluded'.
    `excluded` is None for on-topic studies, else one of EXCLUSION_REASONS.
    """

    pmid: str
    version: str
    on_topic: bool
    long_term_efficacy: bool
    safety: bool
    design: str
    evidence_rank: int  # 1 = strongest (meta-analysis) ... larger = weaker
    population: str
    follow_up_weeks: float | None = None
    safety_signals: tuple[str, ...] = ()
    excluded: str | None = None
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict)


DESIGNS = (
    "meta_analysis",
    "systematic_review",
    "rct",
    "controlled_trial",
    "open_label_trial",
    "cohort",
    "case_series",
    "case_report",
    "narrative_review",
    "protocol",
    "animal",
    "other",
)
POPULATIONS = ("adolescent", "child", "youth_mixed", "adult", "animal", "mixed_all_ages", "unknown")
EXCLUSION_REASONS = (
    "animal",
    "adult_only",
    "anaesthesia_or_analgesia",
    "recreational_use",
    "other_treatment",
    "not_psychiatric",
    "off_topic",
)


@dataclass(frozen=True)
class SearchResult:
    """What one esearch answered."""

    count: int
    ids: tuple[str, ...] = ()
    webenv: str | None = None
    query_key: str | None = None
    query_translation: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class QueryRunResult:
    """The outcome of running one saved query once (filled in as the run goes)."""

    query: str
    run_id: int | None = None
    status: str = "running"  # running | ok | failed
    window_start: str | None = None
    window_end: str | None = None
    count: int = 0  # what esearch said
    matched: int = 0  # distinct PMIDs retrieved from esearch
    new: int = 0  # matched PMIDs not stored before this run
    fetched: int = 0  # records downloaded by efetch for this query
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # PMIDs whose record could not be parsed


@dataclass(frozen=True)
class StoredArticle:
    """An article as read back from the database: the record plus what litwatch knows about it."""

    article: Article
    classification: Classification | None = None
    queries: tuple[str, ...] = ()  # names of saved queries that matched it
    first_seen: str | None = None  # ISO timestamp (UTC) it was first stored
    updated: str | None = None  # ISO timestamp (UTC) it was last rewritten
    seq: int = 0  # order of first storage; the digest ledger counts in it


@dataclass(frozen=True)
class Digest:
    """What is new between two points of the digest ledger, already sorted best evidence first, then newest."""

    generated_at: str  # ISO timestamp (UTC)
    since: str  # ISO timestamp the window starts at (exclusive)
    until: str  # ISO timestamp the window ends at (inclusive)
    since_label: str  # what the user asked for: 'last-digest', '7d', '2026-11-01'
    long_term_efficacy: tuple[StoredArticle, ...] = ()
    safety: tuple[StoredArticle, ...] = ()
    other_on_topic: tuple[StoredArticle, ...] = ()
    excluded: dict[str, int] = field(default_factory=dict)  # reason -> count
    from_seq: int = 0  # ledger: articles with from_seq < seq <= to_seq
    to_seq: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.long_term_efficacy or self.safety or self.other_on_topic)
