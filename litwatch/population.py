"""Who was studied: animals or people, and which ages (adolescents, children, youth, adults)."""

from __future__ import annotations

import re

from litwatch import lexicon as lx
from litwatch.sentences import Doc, hits, quote


def animal_study(doc: Doc, design: str) -> tuple[str, ...]:
    """Why this is an animal study, or (): rats and mice outnumber people in what the study itself says."""
    if doc.has_mesh("animals") and not doc.has_mesh("humans"):
        return ("MeSH: Animals (no Humans)",)
    title = [s for s in doc.sentences if s.role == "title"]
    if hits(lx.ANIMAL, title) and not hits(lx.HUMAN, title):
        return (quote(hits(lx.ANIMAL, title)[0]),)
    body = [s for s in doc.study if s.role != "title"]
    animal, human = hits(lx.ANIMAL, body), hits(lx.HUMAN, body, lx.NOT_YOUTH)
    reviewing = design in ("meta_analysis", "systematic_review", "narrative_review")
    if animal and (not human or (len(animal) >= 2 and len(animal) > len(human) and not reviewing)):
        return (quote(animal[0]),)
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
    for s, m in hits(lx.AGE_RANGE, sentences, lx.AGE_NEGATED):
        a, b = (int(x) for x in m.groups() if x is not None)
        out.append((min(a, b), max(a, b), quote((s, m))))
    for rx, kind in ((lx.AGE_MIN, "min"), (lx.AGE_MAX, "max"), (lx.AGE_SINGLE, "one")):
        for s, m in hits(rx, sentences, lx.AGE_NEGATED):
            n = int(next(x for x in m.groups() if x is not None))
            if kind == "max" and re.search(r"under|younger|below|<(?!=)|less", m[0], re.I):
                n -= 1
            out.append((_floor(n) if kind == "max" else n, n if kind != "min" else None, quote((s, m))))
    return out


def _child_words(sentences) -> list[tuple]:
    return [h for h in hits(lx.YOUTH, sentences, lx.NOT_YOUTH) if re.search("child|ediatric", h[1][0], re.I)]


def _adult_title(doc: Doc) -> bool:
    title = [s for s in doc.sentences if s.role == "title"]
    return bool(hits(lx.ADULT, title, lx.YOUNG_ADULT)) and not hits(lx.YOUTH, title, lx.NOT_YOUTH)


def population_of(doc: Doc, groups=None) -> tuple[str, tuple[str, ...]]:
    """Stated ages decide, then words (adolescents, adults), then MeSH; the study's own sentences first."""
    title = [s for s in doc.study if s.role == "title"]
    title_ages = _ages(title)  # the title names the population; the abstract may add comparison groups
    for group in groups or (doc.study, [s for s in doc.plain if s.role == "background"]):
        youth = hits(lx.YOUTH, group, lx.NOT_YOUTH)
        young_adult = hits(lx.YOUNG_ADULT, group, lx.NOT_YOUTH)
        ages = title_ages or _ages(group)
        if ages:
            lows, highs = [a[0] for a in ages], [a[1] for a in ages]
            pop = _from_range(min(lows), None if None in highs else max(highs))
            if pop == "adolescent" and min(lows) < 12 and _child_words(group):
                pop = "child"  # 10- or 11-year-olds are children if the study calls them so, else adolescents
            if pop in ("adolescent", "child") and hits(lx.ADULT_YOUTH, group, lx.NOT_YOUTH):
                pop = "youth_mixed"
            elif pop == "youth_mixed" and min(lows) >= 18 and _adult_title(doc):
                pop = "adult"  # an adult study that enrolled some 18-25-year-olds
            return pop, tuple(dict.fromkeys(a[2] for a in ages))[:2]
        means = hits(lx.AGE_MEAN, group)
        if means:
            mean = float(means[0][1]["a"])
            pop = _from_range(mean, mean) if mean < 26 or not youth else "mixed_all_ages"
            return pop, (quote(means[0]),)
        mixed = hits(lx.MIXED_AGES, group)
        if mixed:
            return "mixed_all_ages", (quote(mixed[0]),)
        if youth:
            # without ages, a title that names its young people says who was studied; the abstract's other
            # groups ("misused by adolescents and young adults") may be context
            words = title if hits(lx.YOUTH, title, lx.NOT_YOUTH) and group is doc.study else group
            youth = hits(lx.YOUTH, words, lx.NOT_YOUTH)
            young_adult = hits(lx.YOUNG_ADULT, words, lx.NOT_YOUTH)
            adolescent = hits(lx.ADOLESCENT_WORD, words, lx.NOT_YOUTH)
            child = _child_words(words)
            adult_ish = hits(lx.ADULT_YOUTH, words, lx.NOT_YOUTH)
            first = quote((adolescent or child or youth)[0])
            if adult_ish and (adolescent or child):
                return "youth_mixed", (first, quote(adult_ish[0]))
            pop = "child" if child and not adolescent else "adolescent"
            return "youth_mixed" if young_adult and not (adolescent or child) else pop, (first,)
        adults = hits(lx.ADULT, group)
        if adults:
            return "adult", (quote(adults[0]),)
    mesh = [(d, ages) for d, ages in lx.MESH_AGES.items() if doc.has_mesh(d)]  # new records have none yet
    if mesh and not groups:
        lo, hi = min(a[0] for _, a in mesh), max(a[1] for _, a in mesh)
        return _from_range(lo, hi), tuple(f"MeSH: {d.title()}" for d, _ in mesh)[:3]
    return "unknown", ("no ages or age groups stated",)
