"""Classify a PubMed record: on topic (ketamine, psychiatric, youth)? long-term efficacy? safety? And why."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from litwatch import lexicon as lx
from litwatch.models import Article, Classification

# Bump whenever a rule or a term list changes: stored classifications are then recomputed.
CLASSIFIER_VERSION = "3"
_YOUTH_POPULATIONS = ("adolescent", "child", "youth_mixed", "mixed_all_ages")


@dataclass(frozen=True)
class _Sentence:
    where: str  # what the reason names: title | abstract | keyword
    role: str  # title, keyword, background, objective, methods, results, conclusions, unknown
    text: str  # what the user reads (markup stripped), quoted in reasons
    norm: str  # `text` with dashes and primes unified, same length, matched against


@dataclass(frozen=True)
class _Doc:
    sentences: tuple[_Sentence, ...]
    mesh: tuple[tuple[str, tuple[str, ...]], ...]  # (descriptor, qualifiers), lower case
    pubtypes: tuple[str, ...]

    @cached_property
    def plain(self) -> tuple[_Sentence, ...]:
        """Sentences, or clauses, that state something: no "future studies are needed", no exclusions."""
        hedged = _find_each(lx.HEDGE, [s.norm for s in self.sentences])
        clauses = [
            c for s, h in zip(self.sentences, hedged, strict=True) for c in (_clauses(s) if h else (s,))
        ]
        return tuple(
            c for c, h in zip(clauses, _find_each(lx.HEDGE, [c.norm for c in clauses]), strict=True) if not h
        )

    @cached_property
    def study(self) -> tuple[_Sentence, ...]:
        """Plain sentences about the study itself, not its background."""
        return tuple(s for s in self.plain if s.role != "background")

    def has_mesh(self, *names: str) -> str | None:
        return next((d for d, _ in self.mesh if d in names), None)


def _clauses(s: _Sentence) -> list[_Sentence]:
    """A hedged sentence split at "but", "however", ";" so its plain statements still count."""
    cuts = [0, *(m.end() for m in lx.CLAUSE_BREAK.finditer(s.norm)), len(s.norm)]
    spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return [replace(s, text=s.text[a:b], norm=s.norm[a:b]) for a, b in spans]


def _clean(text: str | None) -> str:
    text = text or ""
    if "<" in text:
        text = lx.TAG.sub("", text)
    return " ".join(html.unescape(text).split())


@lru_cache(maxsize=8192)
def _term(name: str | None) -> str:
    """A MeSH name as matched (the vocabulary is small and every record repeats it)."""
    return _clean(name).strip("* ").lower()


def _norm(text: str) -> str:
    return text if text.isascii() else text.translate(lx.SAME_LENGTH)  # the table maps non-ASCII only


def _sentence(where: str, role: str, text: str) -> _Sentence:
    return _Sentence(where, role, text, _norm(text))


def _overlaps(m: re.Match, spans) -> bool:
    return any(a < m.end() and m.start() < b for a, b in spans)


def _role(label: str | None, category: str | None) -> str | None:
    if (category or "").upper() in lx.NLM_CATEGORIES:
        return category.lower()
    if label:
        return next((role for role, rx in lx.SECTION_ROLE_PATTERNS if rx.search(label)), "unknown")
    return None


def _inline_sections(text: str) -> list[tuple[str | None, str]]:
    """'BACKGROUND: ... METHODS: ...' typed into an unlabelled abstract, split back into sections."""
    parts, last = [], 0
    for m in _find(lx.INLINE_LABEL, text) if ":" in text else ():  # lx.INLINE_LABEL.split(text), faster
        parts += [text[last : m.start()], m["label"]]
        last = m.end()
    parts.append(text[last:])
    head = [(None, parts[0])] if parts[0].strip() else []
    return head + [(_role(label, None), part) for label, part in zip(parts[1::2], parts[2::2], strict=True)]


def _document(article: Article) -> _Doc:
    chunks: list[tuple[str | None, str]] = []
    for sec in article.abstract or ():
        role = _role(sec.label, sec.category)
        chunks += _inline_sections(_clean(sec.text)) if role is None else [(role, _clean(sec.text))]
    body = [
        _sentence("abstract", role or "unknown", piece)
        for role, text in chunks
        for piece in lx.SENTENCE_END.split(text)
        if piece.strip()
    ]
    # Unlabelled: what comes before the study's first sentence is background.
    if not any(role for role, _ in chunks):
        first = next((i for i, s in enumerate(body) if _find(lx.STUDY_MARKER, s.norm)), 0)
        body = [replace(s, role="background") if i < first else s for i, s in enumerate(body)]
    title = _clean(article.title)
    head = [_sentence("title", "title", title)] if title else []
    keywords = [_sentence("keyword", "keyword", k) for k in map(_clean, article.keywords or ()) if k]
    mesh = tuple(
        (_term(h.descriptor), tuple(_term(q.name) for q in h.qualifiers)) for h in article.mesh or ()
    )
    types = tuple((p or "").strip() for p in article.publication_types or ())
    return _Doc(tuple(head + body + keywords), mesh, types)


class _Finditer:
    """What rxindex.Index does, done plainly: used where `re`'s internals are not what rxindex reads."""

    def reset(self) -> None:
        pass

    def find(self, rx: re.Pattern[str], text: str) -> list[re.Match]:
        return list(rx.finditer(text))

    def find_each(self, rx: re.Pattern[str], texts) -> list[list[re.Match]]:
        return [list(rx.finditer(t)) for t in texts]

    def find_all(self, rxs, text: str) -> list[list[re.Match]]:
        return [list(rx.finditer(text)) for rx in rxs]


def _index(patterns: list[re.Pattern[str]]):
    try:
        from litwatch import rxindex  # reads re._parser, private to CPython: a later Python may change it

        return rxindex.Index(patterns)
    except Exception:  # noqa: BLE001
        return _Finditer()


# Every term list, tried only where one of its words starts: the same matches as finditer, found ~20 times
# faster. The index remembers each sentence's matches while one record is classified (a pattern meets the same
# sentence several times: title, study, every sentence...) and forgets them when the next one starts.
_INDEX = _index(
    [rx for rx in vars(lx).values() if isinstance(rx, re.Pattern)]
    + [rx for _, rx in lx.DESIGN_PATTERNS + lx.SIGNAL_PATTERNS]
)
_find, _find_each, _find_all = _INDEX.find, _INDEX.find_each, _INDEX.find_all
_BEFORE_DURATION = (
    lx.DURATION_LASTING,
    lx.DURATION_SKIP_BEFORE,
    lx.DURATION_AT_LEAST,
    lx.DURATION_AGE_BEFORE,
)
_SIGNALS = (lx.NOT_SAFETY, *(rx for _, rx in lx.SIGNAL_PATTERNS))


def _hits(rx: re.Pattern[str], sentences, veto: re.Pattern[str] | None = None) -> list[tuple]:
    """Every match of `rx` in `sentences` outside matches of `veto` ("adolescent rats" is not youth)."""
    out = []
    for s, found in zip(sentences, _find_each(rx, [s.norm for s in sentences]), strict=True):
        if found:
            blocked = [m.span() for m in _find(veto, s.norm)] if veto else ()
            out += (
                [(s, m) for m in found if not _overlaps(m, blocked)] if blocked else [(s, m) for m in found]
            )
    return out


def _q(hit: tuple[_Sentence, re.Match], end: int | None = None) -> str:
    """A reason: 'abstract: "the matched words"', short enough for one digest line."""
    s, m = hit
    phrase, room = " ".join(s.text[m.start() : end or m.end()].split()), 76 - len(s.where)
    return f'{s.where}: "{phrase if len(phrase) <= room else phrase[: room - 1].rstrip() + "…"}"'


# --- follow-up ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _durations(norm: str) -> list[tuple[float, re.Match]]:
    out = []
    durations, timepoints = _find_all((lx.DURATION, lx.TIMEPOINT), norm)
    for m in [*durations, *timepoints]:
        unit, nums = m["unit"], m["nums"]
        before, after = norm[max(0, m.start() - 45) : m.start()], norm[m.end() : m.end() + 30]
        key = "m" if unit.lower().startswith("mo") else unit.lower()[0]
        lasting, skip, at_least, age = _find_all(_BEFORE_DURATION, before)
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
    found = _durations(_norm(_clean(text)))
    return max(w for w, _ in found) if found else None


# --- safety signals -----------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _signal_hits(norm: str) -> list[tuple[str, re.Match]]:
    not_safety, *signals = _find_all(_SIGNALS, norm)
    blocked = [m.span() for m in not_safety]
    hits = ((name, m) for (name, _), found in zip(lx.SIGNAL_PATTERNS, signals, strict=True) for m in found)
    return sorted((h for h in hits if not _overlaps(h[1], blocked)), key=lambda h: h[1].start())


def find_safety_signals(text: str) -> tuple[tuple[str, str], ...]:
    """Every (signal, matched phrase) in `text`, in reading order; "no dizziness" is a finding too."""
    clean = _clean(text)
    hits = _signal_hits(_norm(clean))
    return tuple((name, clean[m.start() : m.end()]) for name, m in hits)


# --- design, animals, population ----------------------------------------------------------------------------
def _design(doc: _Doc) -> tuple[str, tuple[str, ...]]:
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
            hit = next(iter(_hits(rx, part)), None) if design in allowed else None
            if design == "narrative_review" and not hit and design in allowed:
                hit = next(iter(_hits(lx.TITLE_REVIEW, title)), None)
            if hit:
                return design, (_q(hit),)
    if generic:
        name = next(t for t in types.values() if t.lower().startswith(generic[0]))
        return generic[1], (f"publication type: {name}",)
    return "other", ("no design named in publication types or text",)


def _animal(doc: _Doc, design: str) -> tuple[str, ...]:
    """Why this is an animal study, or (): rats and mice outnumber people in what the study itself says."""
    if doc.has_mesh("animals") and not doc.has_mesh("humans"):
        return ("MeSH: Animals (no Humans)",)
    title = [s for s in doc.sentences if s.role == "title"]
    if _hits(lx.ANIMAL, title) and not _hits(lx.HUMAN, title):
        return (_q(_hits(lx.ANIMAL, title)[0]),)
    body = [s for s in doc.study if s.role != "title"]
    animal, human = _hits(lx.ANIMAL, body), _hits(lx.HUMAN, body, lx.NOT_YOUTH)
    reviewing = design in ("meta_analysis", "systematic_review", "narrative_review")
    if animal and (not human or (len(animal) >= 2 and len(animal) > len(human) and not reviewing)):
        return (_q(animal[0]),)
    return ()


def _floor(hi: float) -> float:
    """Where "under 18" starts (adolescents), or "under 12" (children)."""
    return 10 if hi > 12 else 0


def _from_range(lo: float | None, hi: float | None) -> str:
    """The population an age range stands for; youth means up to 25 ("transitional-age youth")."""
    if hi is None:
        return "adult" if lo is not None and lo >= 18 else "mixed_all_ages"
    lo = _floor(hi) if lo is None else lo
    if hi <= 12 or (lo < 10 and hi <= 19):
        return "child"
    if hi <= 26:  # "up to about 25": youth services often say 12-25, 16-26
        return "adolescent" if hi <= 19 else "youth_mixed"
    return "mixed_all_ages" if lo < 18 else "adult"


def _ages(sentences) -> list[tuple[float | None, float | None, str]]:
    """(lowest, highest, reason) of every age stated; None where the range is open ("18 years or older")."""
    out = []
    for s, m in _hits(lx.AGE_RANGE, sentences):
        a, b = (int(x) for x in m.groups() if x is not None)
        out.append((min(a, b), max(a, b), _q((s, m))))
    for rx, kind in ((lx.AGE_MIN, "min"), (lx.AGE_MAX, "max"), (lx.AGE_SINGLE, "one")):
        for s, m in _hits(rx, sentences):
            n = int(next(x for x in m.groups() if x is not None))
            if kind == "max" and re.search(r"under|younger|below|<(?!=)|less", m[0], re.I):
                n -= 1
            out.append((_floor(n) if kind == "max" else n, n if kind != "min" else None, _q((s, m))))
    return out


def _adult_title(doc: _Doc) -> bool:
    title = [s for s in doc.sentences if s.role == "title"]
    return bool(_hits(lx.ADULT, title, lx.YOUNG_ADULT)) and not _hits(lx.YOUTH, title, lx.NOT_YOUTH)


def _population(doc: _Doc, groups=None) -> tuple[str, tuple[str, ...]]:
    """Stated ages decide, then words (adolescents, adults), then MeSH; the study's own sentences first."""
    title = [s for s in doc.study if s.role == "title"]
    title_ages = _ages(title)  # the title names the population; the abstract may add comparison groups
    for group in groups or (doc.study, [s for s in doc.plain if s.role == "background"]):
        youth = _hits(lx.YOUTH, group, lx.NOT_YOUTH)
        young_adult = _hits(lx.YOUNG_ADULT, group, lx.NOT_YOUTH)
        ages = title_ages or _ages(group)
        if ages:
            lows, highs = [a[0] for a in ages], [a[1] for a in ages]
            pop = _from_range(min(lows), None if None in highs else max(highs))
            if pop in ("adolescent", "child") and _hits(lx.ADULT_YOUTH, group, lx.NOT_YOUTH):
                pop = "youth_mixed"
            elif pop == "youth_mixed" and min(lows) >= 18 and _adult_title(doc):
                pop = "adult"  # an adult study that enrolled some 18-25-year-olds
            return pop, tuple(dict.fromkeys(a[2] for a in ages))[:2]
        means = _hits(lx.AGE_MEAN, group)
        if means:
            mean = float(means[0][1]["a"])
            pop = _from_range(mean, mean) if mean < 26 or not youth else "mixed_all_ages"
            return pop, (_q(means[0]),)
        mixed = _hits(lx.MIXED_AGES, group)
        if mixed:
            return "mixed_all_ages", (_q(mixed[0]),)
        if youth:
            adolescent = _hits(lx.ADOLESCENT_WORD, group, lx.NOT_YOUTH)
            child = [h for h in youth if re.search("child|ediatric", h[1][0], re.I)]
            adult_ish = _hits(lx.ADULT_YOUTH, group, lx.NOT_YOUTH)
            first = _q((adolescent or child or youth)[0])
            if adult_ish and (adolescent or child):
                return "youth_mixed", (first, _q(adult_ish[0]))
            pop = "child" if child and not adolescent else "adolescent"
            return "youth_mixed" if young_adult and not (adolescent or child) else pop, (first,)
        adults = _hits(lx.ADULT, group)
        if adults:
            return "adult", (_q(adults[0]),)
    mesh = [(d, ages) for d, ages in lx.MESH_AGES.items() if doc.has_mesh(d)]  # new records have none yet
    if mesh and not groups:
        lo, hi = min(a[0] for _, a in mesh), max(a[1] for _, a in mesh)
        return _from_range(lo, hi), tuple(f"MeSH: {d.title()}" for d, _ in mesh)[:3]
    return "unknown", ("no ages or age groups stated",)


# --- topic --------------------------------------------------------------------------------------------------
def _score(hits, title: int = 2) -> int:
    """Sentences that mention something; a title counts more (it states what the study is about)."""
    sentences = {id(s): s for s, _ in hits}
    return sum(title if s.role == "title" else 1 for s in sentences.values())


def _laboratory(doc: _Doc) -> tuple[tuple[str, ...], list[_Sentence]]:
    """(why this is laboratory work, the sentences where people were given something): cells are nobody."""
    lab_title = _hits(lx.LABORATORY, [s for s in doc.sentences if s.role == "title"])
    lab = lab_title or _hits(lx.LABORATORY, doc.study)
    treated = _hits(lx.TREATED, doc.study) if lab else []
    if lab_title or (lab and not treated):
        return ("laboratory study: nobody was treated", _q(lab[0])), [s for s, _ in treated]
    return (), []


def _topic(doc: _Doc, population: str, population_why, animal_why, lab_why) -> tuple[str | None, dict]:
    """None (on topic) or the exclusion, with the reasons for either."""
    every = list(doc.sentences)
    if animal_why:
        return "animal", {"excluded": animal_why}
    # "Unlike ketamine, ...", "none had received ketamine", "trials of ketamine are needed": not about ketamine
    stated = [s for s in every if s.where != "abstract"] + [s for s in doc.plain if s.where == "abstract"]
    ketamine = _hits(lx.KETAMINE, stated, lx.KETAMINE_ASIDE)
    mesh_ketamine = doc.has_mesh(*lx.MESH_KETAMINE)
    central = [h for h in ketamine if h[0].role in ("title", "keyword")]
    central += _hits(lx.KETAMINE, doc.study, lx.KETAMINE_ASIDE)
    psych = _hits(lx.PSYCH, every, lx.NOT_PSYCH)
    psych_population = _hits(lx.PSYCH_POPULATION, every)
    anaesthesia = _hits(lx.ANAESTHESIA, every)
    if ketamine or mesh_ketamine:
        recreational, therapeutic = _hits(lx.RECREATIONAL, doc.study), _hits(lx.THERAPEUTIC, every)
        in_title = [h for h in recreational if h[0].role == "title"]
        # misuse that began with a prescription for a psychiatric condition is a harm of treatment (safety)
        prescribed = any(s.role == "title" for s, _ in therapeutic) and _hits(
            lx.PSYCH, [s for s, _ in in_title]
        )
        if (
            recreational
            and not prescribed
            and (in_title or not therapeutic or len(recreational) > len(therapeutic))
        ):
            return "recreational_use", {"excluded": (_q((in_title or recreational)[0]),)}
    psych_score = _score(psych, title=3) + (2 if _hits(lx.ECT, every) and len(psych) > 1 else 0)
    psych_title = any(s.role == "title" for s, _ in psych)
    title = [s for s in every if s.role == "title"]
    # Asthma, status epilepticus: a condition treated (whatever the ward), unless the title is about sedation.
    medical = _hits(lx.MEDICAL, every)
    sedation = _hits(lx.SEDATION_OR_PAIN, every) if medical else []
    sedation_title = any(s.role == "title" for s, _ in sedation)
    if medical and (ketamine or mesh_ketamine) and not (psych_title or sedation_title):
        if _score(medical) > max(psych_score, _score(sedation)):
            return "not_psychiatric", {"excluded": (_q(medical[0]),)}
    if anaesthesia and (_score(anaesthesia), not psych_title) > (psych_score, False):
        return "anaesthesia_or_analgesia", {"excluded": (_q(anaesthesia[0]),)}
    if lab_why:
        return "off_topic", {"excluded": lab_why}
    # Another treatment named in the title, ketamine only in one sentence of the abstract: a comparison or an
    # aside ("unlike ketamine, ..."), not a study of ketamine.
    other_in_title = _hits(lx.OTHER_TREATMENT, title)
    named = {s.text for s, _ in ketamine}  # the sentences that say ketamine was given or studied
    headline = mesh_ketamine or any(s.role in ("title", "keyword") for s, _ in ketamine)
    in_passing = len(named) <= 1 and not headline
    if other_in_title and in_passing:
        return "other_treatment", {"excluded": (_q(other_in_title[0]), "ketamine only in passing")}
    if (
        central and in_passing
    ):  # one sentence names ketamine; title, keywords and MeSH are about something else
        return "off_topic", {"excluded": ("ketamine only in passing", _q(central[0]))}
    if not central and not mesh_ketamine:
        other = _hits(lx.OTHER_TREATMENT, doc.study)
        if other and psych:
            return "other_treatment", {"excluded": (_q(other[0]),)}
        aside = ketamine or _hits(lx.KETAMINE, every)
        why = ("ketamine only in passing", _q(aside[0])) if aside else ("no ketamine mentioned",)
        return "off_topic", {"excluded": why}
    if not psych and not psych_population:
        return "not_psychiatric", {"excluded": ("no psychiatric condition mentioned",)}
    if population not in _YOUTH_POPULATIONS:
        if population == "adult":
            return "adult_only", {"excluded": population_why}
        return "off_topic", {"excluded": ("no adolescents, children or youth mentioned",)}
    k = _q(central[0]) if central else f"MeSH: {mesh_ketamine.title()}"
    return None, {"on_topic": (k, _q((psych or psych_population)[0]), population_why[0])}


# --- what an on-topic study reports -------------------------------------------------------------------------
def _findings(doc: _Doc, protocol: bool) -> list[_Sentence]:
    """Sentences that report what happened: a protocol's plans and a background's worries are not findings."""
    out = [s for s in doc.study if s.role != "keyword"]
    out = [
        s for s, future in zip(out, _find_each(lx.FUTURE, [s.norm for s in out]), strict=True) if not future
    ]
    return [s for s in out if s.role == "results"] if protocol else out


def _efficacy(s: _Sentence) -> tuple[bool, bool, bool]:
    """(strong, weak, harm) words in a sentence; in "urinary symptoms" the "symptoms" are not efficacy."""
    harms = [m.span() for _, m in _signal_hits(s.norm)]
    strong, weak = (
        any(not _overlaps(m, harms) for m in found)
        for found in _find_all((lx.EFFICACY, lx.EFFICACY_WEAK), s.norm)
    )
    return strong, weak, bool(harms)


def _long_term(doc: _Doc, protocol: bool) -> tuple[str, ...]:
    """Efficacy at 4 weeks or later, or a study, protocol or review about maintenance, relapse, durability."""
    why: list[str] = []
    sentences = [s for s in doc.study if s.role != "keyword"]
    efficacy_anywhere = bool(_hits(lx.EFFICACY, sentences))
    for s in sentences if protocol else _findings(doc, False):
        strong, weak, harm = _efficacy(s)
        if harm and not (strong or weak):
            continue  # "urinary symptoms at 6 months" is follow-up of harm, not of benefit
        times = _durations(s.norm)
        long = [(w, m) for w, m in times if w >= 4]
        if long or not times:  # "relapsed within 2 weeks" is not durability
            why += [_q((s, m)) for m in _find(lx.LONG_TERM, s.norm)][:1]
        if long and not protocol and (strong or (weak and efficacy_anywhere)):
            m = max(long, key=lambda d: d[0])[1]
            tail = lx.FOLLOW_UP_TAIL.match(s.norm, m.end())  # quote "6-month follow-up", not just "6-month"
            why.append(_q((s, m), tail.end() if tail else None))
    return tuple(dict.fromkeys(why))[:3]


def _safety(doc: _Doc, protocol: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(signals, reasons): harms the study reports, and MeSH or publication types that say so."""
    found = [(name, _q((s, m))) for s in _findings(doc, protocol) for name, m in _signal_hits(s.norm)]
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
    _INDEX.reset()
    doc = _document(article)
    design, design_why = _design(doc)
    animal_why = _animal(doc, design)
    design, design_why = ("animal", animal_why) if animal_why else (design, design_why)
    lab_why, treated = _laboratory(doc)
    if animal_why:
        population, population_why = "animal", animal_why
    elif lab_why and not treated:
        population, population_why = "unknown", ("laboratory study: nobody was treated",)
    else:  # in laboratory work, the people who were given a dose are the population
        population, population_why = _population(doc, [treated] if lab_why else None)
    excluded, topic_why = _topic(doc, population, population_why, animal_why, lab_why)
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
