"""Classify a PubMed record: on topic (ketamine, psychiatric, youth)? long-term efficacy? safety? And why."""

from __future__ import annotations

import re
from functools import lru_cache

from litwatch import lexicon as lx
from litwatch.models import Article, Classification
from litwatch.population import animal_study, population_of
from litwatch.sentences import (
    INDEX,
    Doc,
    Sentence,
    clean_text,
    document,
    find,
    find_all,
    find_each,
    hits,
    normalise,
    overlaps,
    quote,
)
from litwatch.topic import exclusion, laboratory_work

# Bump whenever a rule or a term list changes: stored classifications are then recomputed.
CLASSIFIER_VERSION = "5"
_INDEX = INDEX  # the pattern index every module matches through (tests check it is the fast one)
_BEFORE_DURATION = (
    lx.DURATION_LASTING,
    lx.DURATION_SKIP_BEFORE,
    lx.DURATION_AT_LEAST,
    lx.DURATION_AGE_BEFORE,
)
_HARM_TAIL = re.compile(r"(?:[ -][\w-]+){0,3}")  # the words after a harm: its scale, its score
_SIGNALS = (lx.NOT_SAFETY, *(rx for _, rx in lx.SIGNAL_PATTERNS))


# --- follow-up ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _durations(norm: str) -> list[tuple[float, re.Match]]:
    out = []
    durations, timepoints = find_all((lx.DURATION, lx.TIMEPOINT), norm)
    for m in [*durations, *timepoints]:
        unit, nums = m["unit"], m["nums"]
        before, after = norm[max(0, m.start() - 45) : m.start()], norm[m.end() : m.end() + 30]
        key = "m" if unit.lower().startswith("mo") else unit.lower()[0]
        lasting, skip, at_least, age = find_all(_BEFORE_DURATION, before)
        if lx.DURATION_SKIP_AFTER.search(after) or skip:
            continue
        age = key == "y" and age  # "(12-17 years)", "mean 15.2 years"
        if not lasting and (at_least or age):  # "at least 6 weeks": entry criterion
            continue
        tokens = lx.NUMBER_TOKEN.findall(nums)
        values = [lx.NUMBER_WORDS.get(t.lower(), 0) if t[0].isalpha() else float(t) for t in tokens]
        weeks = max(values, default=0) * lx.UNIT_WEEKS[key]
        if 0 < weeks <= 520:
            out.append((round(weeks, 4), m))
    return out


def extract_follow_up_weeks(text: str) -> float | None:
    """The longest follow-up or time point in `text`, in weeks ("6-month" = 26, "day 30" = 30/7), or None."""
    found = _durations(normalise(clean_text(text)))
    return max(w for w, _ in found) if found else None


# --- safety signals -----------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _signal_hits(norm: str) -> list[tuple[str, re.Match]]:
    not_safety, *signals = find_all(_SIGNALS, norm)
    blocked = [m.span() for m in not_safety]
    hits = ((name, m) for (name, _), found in zip(lx.SIGNAL_PATTERNS, signals, strict=True) for m in found)
    return sorted((h for h in hits if not overlaps(h[1], blocked)), key=lambda h: h[1].start())


def find_safety_signals(text: str) -> tuple[tuple[str, str], ...]:
    """Every (signal, matched phrase) in `text`, in reading order; "no dizziness" is a finding too."""
    clean = clean_text(text)
    hits = _signal_hits(normalise(clean))
    return tuple((name, clean[m.start() : m.end()]) for name, m in hits)


# --- design -----------------------------------------------------------------------------------------------
def _design(doc: Doc) -> tuple[str, tuple[str, ...]]:
    """Publication types first (they are curated), then wording; a generic type limits what text may say."""
    types = {p.lower(): p for p in doc.pubtypes}
    for key, design in lx.PUBTYPE_DESIGN:
        if key in types:
            return design, (f"publication type: {types[key]}",)
    generic = next((g for g in lx.PUBTYPE_GENERIC if any(t.startswith(g[0]) for t in types)), None)
    allowed = generic[2] if generic else tuple(lx.EVIDENCE_RANK)
    text = [s for s in doc.study if s.role != "keyword"]
    title = [s for s in text if s.role == "title"]
    for part in (title, text):  # a title says what kind of paper it is better than the abstract's mentions
        for design, rx in lx.DESIGN_PATTERNS:
            hit = next(iter(hits(rx, part)), None) if design in allowed else None
            if design == "narrative_review" and not hit and design in allowed:
                hit = next(iter(hits(lx.TITLE_REVIEW, title)), None)
            if hit:
                return design, (quote(hit),)
    if generic:
        name = next(t for t in types.values() if t.lower().startswith(generic[0]))
        return generic[1], (f"publication type: {name}",)
    mesh = doc.has_mesh(*lx.MESH_DESIGN)  # "Retrospective Studies": indexers name what the text left implicit
    if mesh:
        return lx.MESH_DESIGN[mesh], (f"MeSH: {mesh.title()}",)
    return "other", ("no design named in publication types or text",)


# --- what an on-topic study reports -------------------------------------------------------------------------
def _findings(doc: Doc, protocol: bool) -> list[Sentence]:
    """Sentences that report what happened: a protocol's plans and a background's worries are not findings."""
    out = [s for s in doc.study if s.role != "keyword"]
    out = [
        s for s, future in zip(out, find_each(lx.FUTURE, [s.norm for s in out]), strict=True) if not future
    ]
    if not protocol:
        return out
    # a protocol may report its pilot or vanguard phase under any heading: events that happened are findings
    return [s for s in out if s.role == "results" or find(lx.EVENTS_REPORTED, s.norm)]


def _efficacy(s: Sentence) -> tuple[bool, bool, bool]:
    """(strong, weak, harm) words in a sentence; in "urinary symptoms" the "symptoms" are not efficacy.

    A harm's own measure follows it: in "Cystitis Symptom Index scores" or "dizziness scores" the words are harm.
    """
    found = [m for _, m in _signal_hits(s.norm)]
    harms = [m.span() for m in found]
    tails = [(m.start(), _HARM_TAIL.match(s.norm, m.end()).end()) for m in found]
    strong_hits, weak_hits = find_all((lx.EFFICACY, lx.EFFICACY_WEAK), s.norm)
    strong = any(not overlaps(m, harms) for m in strong_hits)
    weak = any(not overlaps(m, tails) for m in weak_hits)
    return strong, weak, bool(harms)


def _long_term(doc: Doc, protocol: bool) -> tuple[str, ...]:
    """Efficacy at 4 weeks or later, or a study, protocol or review about maintenance, relapse, durability."""
    why: list[str] = []
    sentences = [s for s in doc.study if s.role != "keyword"]
    efficacy_anywhere = bool(hits(lx.EFFICACY, sentences))
    for s in sentences if protocol else _findings(doc, False):
        strong, weak, harm = _efficacy(s)
        if harm and not (strong or weak):
            continue  # "urinary symptoms at 6 months" is follow-up of harm, not of benefit
        times = _durations(s.norm)
        long = [(w, m) for w, m in times if w >= 4]
        if long or not times:  # "relapsed within 2 weeks" is not durability
            why += [quote((s, m)) for m in find(lx.LONG_TERM, s.norm)][:1]
        if long and not protocol and (strong or (weak and efficacy_anywhere)):
            m = max(long, key=lambda d: d[0])[1]
            tail = lx.FOLLOW_UP_TAIL.match(s.norm, m.end())  # quote "6-month follow-up", not just "6-month"
            why.append(quote((s, m), tail.end() if tail else None))
    return tuple(dict.fromkeys(why))[:3]


def _safety(doc: Doc, protocol: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(signals, reasons): harms the study reports, and MeSH or publication types that say so."""
    found = [(name, quote((s, m))) for s in _findings(doc, protocol) for name, m in _signal_hits(s.norm)]
    for d, qualifiers in doc.mesh:  # curated evidence: "Ketamine/adverse effects", "Cystitis"
        found += [(lx.MESH_SIGNALS[d], f"MeSH: {d.title()}")] if d in lx.MESH_SIGNALS else []
        harmful = [q for q in qualifiers if q in lx.MESH_SAFETY_QUALIFIERS] if d in lx.MESH_KETAMINE else []
        found += [("adverse_events_general", f"MeSH: {d.title()}/{q}") for q in harmful]
    adverse = [p for p in doc.pubtypes if "adverse" in p.lower()]  # e.g. "Adverse Drug Event"
    found += [("adverse_events_general", f"publication type: {p}") for p in adverse]
    first: dict[str, str] = {}
    for name, reason in found:
        first.setdefault(name, reason)
    order = list(lx.SAFETY_SIGNALS)
    return tuple(sorted(first, key=order.index)), tuple(dict.fromkeys(first.values()))[:4]


def classify(article: Article) -> Classification:
    """Topic, long-term efficacy, safety, design and population of one record, with the reasons for each."""
    INDEX.reset()
    doc = document(article)
    design, design_why = _design(doc)
    animal_why = animal_study(doc, design)
    design, design_why = ("animal", animal_why) if animal_why else (design, design_why)
    lab_why, treated = laboratory_work(doc)
    if animal_why:
        population, population_why = "animal", animal_why
    elif lab_why and not treated:
        population, population_why = "unknown", ("laboratory study: nobody was treated",)
    else:  # in laboratory work, the people who were given a dose are the population
        population, population_why = population_of(doc, [treated] if lab_why else None)
    excluded, topic_why = exclusion(doc, population, population_why, animal_why, lab_why)
    weeks = [w for s in doc.study if s.role != "keyword" for w, _ in _durations(s.norm)]
    on_topic, protocol = excluded is None, design == "protocol"
    lte_why = _long_term(doc, protocol) if on_topic else ()
    signals, safety_why = _safety(doc, protocol) if on_topic else ((), ())
    why = {
        "long_term_efficacy": lte_why,
        "safety": safety_why,
        "design": design_why,
        "population": population_why,
    }
    return Classification(
        pmid=article.pmid,
        version=CLASSIFIER_VERSION,
        on_topic=on_topic,
        long_term_efficacy=bool(lte_why),
        safety=bool(signals),
        design=design,
        evidence_rank=lx.EVIDENCE_RANK[design],
        population=population,
        follow_up_weeks=max(weeks) if weeks else None,
        safety_signals=signals,
        excluded=excluded,
        reasons={"on_topic": (), "excluded": (), **topic_why, **why},
    )
