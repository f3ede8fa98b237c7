"""A record as the classifier reads it: sentences with their roles, and fast pattern matching over them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from litwatch import lexicon as lx
from litwatch.models import Article


@dataclass(frozen=True)
class Sentence:
    where: str  # what the reason names: title | abstract | keyword
    role: str  # title, keyword, background, objective, methods, results, conclusions, unknown
    text: str  # what the user reads (markup stripped), quoted in reasons
    norm: str  # `text` with dashes and primes unified, same length, matched against


@dataclass(frozen=True)
class Doc:
    sentences: tuple[Sentence, ...]
    mesh: tuple[tuple[str, tuple[str, ...]], ...]  # (descriptor, qualifiers), lower case
    pubtypes: tuple[str, ...]

    @cached_property
    def plain(self) -> tuple[Sentence, ...]:
        """Sentences, or clauses, that state something: no "future studies are needed", no exclusions."""
        hedged = find_each(lx.HEDGE, [s.norm for s in self.sentences])
        clauses = [
            c for s, h in zip(self.sentences, hedged, strict=True) for c in (_clauses(s) if h else (s,))
        ]
        return tuple(
            c for c, h in zip(clauses, find_each(lx.HEDGE, [c.norm for c in clauses]), strict=True) if not h
        )

    @cached_property
    def study(self) -> tuple[Sentence, ...]:
        """Plain sentences about the study itself, not its background."""
        return tuple(s for s in self.plain if s.role != "background")

    def has_mesh(self, *names: str) -> str | None:
        return next((d for d, _ in self.mesh if d in names), None)


def _clauses(s: Sentence) -> list[Sentence]:
    """A hedged sentence split at "but", "however", ";" so its plain statements still count."""
    cuts = [0, *(m.end() for m in lx.CLAUSE_BREAK.finditer(s.norm)), len(s.norm)]
    spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return [replace(s, text=s.text[a:b], norm=s.norm[a:b]) for a, b in spans]


def clean_text(text: str | None) -> str:
    text = text or ""
    if "<" in text:
        text = lx.TAG.sub("", text)
    return " ".join(html.unescape(text).split())


@lru_cache(maxsize=8192)
def _term(name: str | None) -> str:
    """A MeSH name as matched (the vocabulary is small and every record repeats it)."""
    return clean_text(name).strip("* ").lower()


def normalise(text: str) -> str:
    return text if text.isascii() else text.translate(lx.SAME_LENGTH)  # the table maps non-ASCII only


def _sentence(where: str, role: str, text: str) -> Sentence:
    return Sentence(where, role, text, normalise(text))


def overlaps(m: re.Match, spans) -> bool:
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
    for m in find(lx.INLINE_LABEL, text) if ":" in text else ():  # lx.INLINE_LABEL.split(text), faster
        parts += [text[last : m.start()], m["label"]]
        last = m.end()
    parts.append(text[last:])
    head = [(None, parts[0])] if parts[0].strip() else []
    return head + [(_role(label, None), part) for label, part in zip(parts[1::2], parts[2::2], strict=True)]


def document(article: Article) -> Doc:
    chunks: list[tuple[str | None, str]] = []
    for sec in article.abstract or ():
        role = _role(sec.label, sec.category)
        chunks += _inline_sections(clean_text(sec.text)) if role is None else [(role, clean_text(sec.text))]
    body = [
        _sentence("abstract", role or "unknown", piece)
        for role, text in chunks
        for piece in lx.SENTENCE_END.split(text)
        if piece.strip()
    ]
    # Unlabelled: what comes before the study's first sentence is background.
    if not any(role for role, _ in chunks):
        first = next((i for i, s in enumerate(body) if find(lx.STUDY_MARKER, s.norm)), 0)
        body = [replace(s, role="background") if i < first else s for i, s in enumerate(body)]
    title = clean_text(article.title)
    head = [_sentence("title", "title", title)] if title else []
    keywords = [_sentence("keyword", "keyword", k) for k in map(clean_text, article.keywords or ()) if k]
    mesh = tuple(
        (_term(h.descriptor), tuple(_term(q.name) for q in h.qualifiers)) for h in article.mesh or ()
    )
    types = tuple((p or "").strip() for p in article.publication_types or ())
    return Doc(tuple(head + body + keywords), mesh, types)


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
INDEX = _index(
    [rx for rx in vars(lx).values() if isinstance(rx, re.Pattern)]
    + [rx for _, rx in lx.DESIGN_PATTERNS + lx.SIGNAL_PATTERNS]
)
find, find_each, find_all = INDEX.find, INDEX.find_each, INDEX.find_all


def hits(rx: re.Pattern[str], sentences, veto: re.Pattern[str] | None = None) -> list[tuple]:
    """Every match of `rx` in `sentences` outside matches of `veto` ("adolescent rats" is not youth)."""
    out = []
    for s, found in zip(sentences, find_each(rx, [s.norm for s in sentences]), strict=True):
        if found:
            blocked = [m.span() for m in find(veto, s.norm)] if veto else ()
            out += [(s, m) for m in found if not overlaps(m, blocked)] if blocked else [(s, m) for m in found]
    return out


def quote(hit: tuple[Sentence, re.Match], end: int | None = None) -> str:
    """A reason: 'abstract: "the matched words"', short enough for one digest line."""
    s, m = hit
    phrase, room = " ".join(s.text[m.start() : end or m.end()].split()), 76 - len(s.where)
    return f'{s.where}: "{phrase if len(phrase) <= room else phrase[: room - 1].rstrip() + "…"}"'
