"""Stored articles as RIS, BibTeX, MEDLINE (.nbib), CSV, JSONL or Markdown text, one record at a time."""

from __future__ import annotations

import csv
import json
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import TextIO

from litwatch.errors import UsageError
from litwatch.formats import doi_url, humanize_design, humanize_follow_up, humanize_signal, md_escape
from litwatch.models import Article, Author, MeshHeading, PubDate, StoredArticle

FORMATS = ("ris", "bibtex", "medline", "csv", "jsonl", "markdown")
CSV_COLUMNS = (
    "pmid", "title", "authors", "journal", "year", "pub_date", "doi", "pmcid", "url", "publication_types", "mesh",
    "keywords", "queries", "on_topic", "long_term_efficacy", "safety", "design", "population", "follow_up_weeks",
    "safety_signals", "first_seen", "abstract",
)  # fmt: skip
# The classification fields CSV and JSONL carry (empty or null while a record is not classified).
_VERDICT = (
    "on_topic", "long_term_efficacy", "safety", "design", "evidence_rank", "population", "follow_up_weeks", "excluded",
)  # fmt: skip
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# PubMed's ISO 639-2 codes -> biblatex language keys, so styles can localise or drop the document's own language.
_BIBLATEX_LANGUAGES = {
    "eng": "english", "fre": "french", "ger": "german", "spa": "spanish", "ita": "italian", "por": "portuguese",
    "dut": "dutch", "rus": "russian", "pol": "polish", "swe": "swedish", "nor": "norwegian", "dan": "danish",
    "fin": "finnish", "tur": "turkish", "gre": "greek", "cze": "czech", "hun": "hungarian", "jpn": "japanese",
    "chi": "chinese", "kor": "korean", "heb": "hebrew",
}  # fmt: skip
_BIB_SPECIALS = {
    "\\": r"\textbackslash{}", "%": r"\%", "&": r"\&", "$": r"\$", "_": r"\_", "#": r"\#",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "œ": "oe"}
)
_RANGE = re.compile(r"([A-Za-z]*)(\d+)\s*[-\u2013]\s*([A-Za-z]*)(\d+)")
_WORDS = re.compile(r"([^\W_]+)")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _one_line(text: str | None) -> str:
    """Collapse every kind of whitespace (newlines, tabs, U+2028) to single spaces: tagged formats are line based."""
    return " ".join((text or "").split())


def _abstract_line(a: Article) -> str:
    return _one_line(" ".join(f"{s.label}: {s.text}" if s.label else s.text for s in a.abstract))


def _book_kind(a: Article) -> str | None:
    """None for a journal article; 'chapter' when a book record names a book other than itself, else 'book'."""
    chapter = a.is_book and a.journal and _one_line(a.journal) != _one_line(a.title)
    return ("chapter" if chapter else "book") if a.is_book else None


def full_pages(pages: str, dash: str = "-") -> str:
    """'123-9' -> '123-129' (PubMed abbreviates page ranges); 'S12-9' -> 'S12-S19'; other text kept as given."""

    def expand(m: re.Match) -> str:
        p1, start, p2, end = m.groups()
        if len(end) < len(start) and p2 in ("", p1):
            longer = start[: len(start) - len(end)] + end
            end = longer if int(longer) >= int(start) else end
        return f"{p1}{start}{dash}{p2 or p1}{end}"

    return _RANGE.sub(expand, _one_line(pages))


def _subjects(a: Article) -> list[str]:
    """Author keywords, then MeSH descriptors, without repeats: what reference managers keep as tags."""
    seen, out = set(), []
    for term in (*a.keywords, *(h.descriptor for h in a.mesh)):
        term = _one_line(term)
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            out.append(term)
    return out


def mesh_string(h: MeshHeading) -> str:
    """'Ketamine/*therapeutic use' as PubMed writes a heading: '*' marks a major topic."""
    star = "*" if h.major else ""
    return "/".join([star + h.descriptor, *(("*" if q.major else "") + q.name for q in h.qualifiers)])


def _last_first(au: Author) -> str:
    """'García-López, María José'; initials stand in for a missing fore name; a group keeps its own name."""
    if au.collective_name:
        return _one_line(au.collective_name)
    first = au.fore_name or au.initials
    return _one_line(f"{au.last_name}, {first}" if au.last_name and first else au.last_name or first)


# --- RIS ---------------------------------------------------------------------------------------------------


def _ris_date(d: PubDate) -> str | None:
    """RIS 'YYYY/MM/DD/' with unknown parts left empty, e.g. '2019/11//'."""
    month, day = f"{d.month:02d}" if d.month else "", f"{d.day:02d}" if d.month and d.day else ""
    return f"{d.year:04d}/{month}/{day}/" if d.year else None


def to_ris(rec: StoredArticle) -> str:
    """One RIS record for Zotero, EndNote and Mendeley, ending 'ER  - '.

    Tags follow Zotero's RIS translator: T2 journal (or book title), J2 abbreviation, SP/EP expanded pages.
    JO is left out because Zotero reads JO as the abbreviation and turns a second value into a stray note.
    The PMID goes in AN (EndNote's Accession Number, Zotero's 'Loc. in Archive' next to DB 'PubMed' as
    'Archive'), the PMCID in C2 (EndNote's PMCID field for journal articles).
    """
    a, kind = rec.article, _book_kind(rec.article)
    tags: list[tuple[str, str | None]] = [("TY", {"book": "BOOK", "chapter": "CHAP"}.get(kind or "", "JOUR"))]
    tags.append(("TI", a.title))
    tags += [("AU", _last_first(au)) for au in a.authors]
    tags += [("PY", str(a.year) if a.year else None), ("DA", _ris_date(a.pub_date))]
    if kind != "book":
        tags.append(("T2", a.journal))
    if kind is None:
        tags.append(("J2", a.journal_abbrev))
    else:
        tags.append(("PB", a.publisher))
    tags += [("VL", a.volume), ("IS", a.issue)]
    if a.pages:
        span = full_pages(a.pages)
        single = re.fullmatch(r"([^\s,;-]+)-([^\s,;-]+)", span)
        tags += [("SP", single[1]), ("EP", single[2])] if single else [("SP", span)]
    tags += [("SN", a.issn), ("AB", _abstract_line(a))]
    tags += [("KW", term) for term in _subjects(a)]
    tags += [("DO", a.doi), ("UR", a.url), ("AN", a.pmid), ("C2", a.pmcid), ("LA", "; ".join(a.language))]
    tags += [("DB", "PubMed"), ("ER", "")]
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in tags if value or tag == "ER"]
    return "\n".join(lines) + "\n"


# --- BibTeX ------------------------------------------------------------------------------------------------


def _bib_escape(text: str | None, protect: bool = False) -> str:
    """LaTeX-escape record text; a brace without a partner gets a \\vphantom twin so the field stays balanced
    (BibTeX counts braces even after a backslash: the trick Zotero's exporter uses).

    `protect` (titles) braces every word holding a capital, acronyms (MDD) and names alike, so sentence-case
    styles keep them; the first word only when a capital follows its first letter, as Zotero does.
    """
    text = _one_line(text)
    stack: list[int] = []
    paired: set[int] = set()
    for i, c in enumerate(text):
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            paired.update((stack.pop(), i))
    braces = {"{": (r"\{", r"\{\vphantom{\}}"), "}": (r"\}", r"\vphantom{\{}\}")}
    out = [braces[c][i not in paired] if c in braces else _BIB_SPECIALS.get(c, c) for i, c in enumerate(text)]
    for m in _WORDS.finditer(text) if protect else ():
        if any(c.isupper() for c in m[0][1 if m.start() == 0 else 0 :]):
            out[m.start()] = "{" + out[m.start()]
            out[m.end() - 1] += "}"  # after the line above: a one-letter word gets both braces
    return "".join(out)


def _bib_name(au: Author) -> str:
    """'Müller, Jürgen' (UTF-8 kept); a group is braced so BibTeX neither splits it on 'and' nor inverts it."""
    if au.collective_name:
        return "{" + _bib_escape(au.collective_name) + "}"

    def part(s: str) -> str:
        s = _bib_escape(s)
        return "{" + s + "}" if re.search(r"\band\b|,", s, re.IGNORECASE) else s

    first = au.fore_name or " ".join(au.initials or "")
    if au.last_name and first:
        return f"{part(au.last_name)}, {part(first)}"
    return "{" + _bib_escape(au.last_name or first) + "}"


def _fold(text: str) -> str:
    """'García-López' -> 'garcialopez': ASCII letters and digits only, safe in any citation key."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def bibtex_key(rec: StoredArticle) -> str:
    """'{first author's last name}{year}_{pmid}', e.g. 'garcialopez2019_31234567'.

    Built from the record alone, so a record keeps its key across exports (documents citing it keep working),
    and the PMID makes it unique by construction even when two records share author and year.
    A group author contributes its first word; no author gives 'anon', no year 'nd'.
    """
    a = rec.article
    au = a.authors[0] if a.authors else Author()
    name = _fold((au.collective_name or "").split(" ")[0] or au.last_name or au.fore_name or "")
    return f"{name or 'anon'}{a.year or 'nd'}_{_fold(a.pmid) or 'nopmid'}"


def bibtex_keys(records: Iterable[StoredArticle]) -> Iterator[tuple[str, StoredArticle]]:
    """Pair each record with its key, lazily; a PMID repeated in the stream gets '_2', '_3', ... to stay unique."""
    seen: set[str] = set()
    for rec in records:
        key = base = bibtex_key(rec)
        n = 1
        while key in seen:
            n += 1
            key = f"{base}_{n}"
        seen.add(key)
        yield key, rec


def to_bibtex(rec: StoredArticle, key: str) -> str:
    """One @article, @book or @incollection entry, UTF-8 as is.

    UTF-8 rather than LaTeX accents: biber/biblatex, Zotero, JabRef and bibtexparser read it, and accent macros
    cannot spell every name PubMed holds. Text is LaTeX-escaped; doi and url are left verbatim (biblatex reads
    them verbatim), with braces percent-encoded.
    """
    a, kind = rec.article, _book_kind(rec.article)
    verbatim = {"doi": a.doi, "url": a.url}
    fields: list[tuple[str, str | None]] = [
        ("author", " and ".join(_bib_name(au) for au in a.authors)),
        ("title", _bib_escape(a.title, protect=True)),
        ("journal", _bib_escape(a.journal) if kind is None else None),
        ("booktitle", _bib_escape(a.journal, protect=True) if kind == "chapter" else None),
        ("publisher", _bib_escape(a.publisher) if kind else None),
        ("year", str(a.year) if a.year else None),
        ("volume", _bib_escape(a.volume)),
        ("number", _bib_escape(a.issue)),
        ("pages", _bib_escape(full_pages(a.pages, "--")) if a.pages else None),
        ("issn", _bib_escape(a.issn)),
        *((k, _one_line(v).replace("{", "%7B").replace("}", "%7D")) for k, v in verbatim.items() if v),
        ("pmid", _bib_escape(a.pmid)),
        ("pmcid", _bib_escape(a.pmcid)),
        ("language", " and ".join(_bib_escape(_BIBLATEX_LANGUAGES.get(x, x)) for x in a.language)),
        ("keywords", ", ".join(f"{{{k}}}" if "," in k else k for k in map(_bib_escape, _subjects(a)))),
        ("abstract", _bib_escape(_abstract_line(a))),
    ]
    entry_type = {"book": "book", "chapter": "incollection"}.get(kind or "", "article")
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields:
        if value:
            lines.append(f"  {name} = {{{value}}},")
        if name == "year" and a.pub_date.month:
            lines.append(f"  month = {_MONTH_MACROS[a.pub_date.month - 1]},")
    return "\n".join(lines) + "\n}\n"


# --- MEDLINE -----------------------------------------------------------------------------------------------


def _medline_field(tag: str, value: str | None) -> list[str]:
    """'TI  - text' wrapped at 80 columns, continuation lines indented six spaces, as PubMed writes them."""
    text = _one_line(value)
    if not text:
        return []
    lines = textwrap.wrap(text, width=74, break_long_words=False, break_on_hyphens=False)
    return [f"{tag:<4}- {lines[0]}", *(f"      {line}" for line in lines[1:])]


def to_medline(rec: StoredArticle) -> str:
    """One record in PubMed's MEDLINE text format (.nbib), which Zotero, EndNote and Mendeley import."""
    a, kind = rec.article, _book_kind(rec.article)
    f: list[tuple[str, str | None]] = [("PMID", a.pmid), ("OWN", None if kind else "NLM"), ("STAT", a.status)]
    f += [("IS", a.issn), ("VI", a.volume), ("IP", a.issue), ("DP", a.pub_date.display()), ("TI", a.title)]
    if kind:
        f += [("BTI", a.journal if kind == "chapter" else a.title), ("PB", a.publisher)]
    f += [("PG", a.pages), ("LID", f"{a.doi} [doi]" if a.doi else None), ("AB", _abstract_line(a))]
    for au in a.authors:
        if au.collective_name:
            f.append(("CN", au.collective_name))
        else:
            f += [("FAU", _last_first(au)), ("AU", au.display), ("AD", au.affiliation)]
    f += [("LA", lang) for lang in a.language]
    types = list(a.publication_types)
    book_type = {"book": "Book", "chapter": "Book Chapter"}.get(kind or "")
    if book_type and book_type not in types:
        types.append(book_type)  # Zotero picks the item type from the last PT it knows
    f += [("PT", t) for t in types]
    if not kind:
        f += [("TA", a.journal_abbrev), ("JT", a.journal)]
    f += [("MH", mesh_string(h)) for h in a.mesh]
    f += [("OTO", "NOTNLM")] * bool(a.keywords) + [("OT", k) for k in a.keywords]
    f += [("PMC", a.pmcid), ("AID", f"{a.doi} [doi]" if a.doi else None)]
    if not kind and (a.journal_abbrev or a.journal):
        f.append(
            ("SO", f"{a.journal_abbrev or a.journal}. {_citation(a)}." + (f" doi: {a.doi}." if a.doi else ""))
        )
    return "\n".join(line for tag, value in f for line in _medline_field(tag, value)) + "\n"


def _citation(a: Article) -> str:
    """'2019 Nov-Dec;12(3):123-9', the date-volume-issue-pages part of a Vancouver/PubMed citation."""
    out = a.pub_date.display() + (f";{a.volume}" if a.volume else "") + (f"({a.issue})" if a.issue else "")
    return out + (f":{a.pages}" if a.pages else "")


# --- CSV, JSONL, Markdown ----------------------------------------------------------------------------------


def _cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula ('=', '+', '-', '@') gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    text = _one_line(str(value))
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


def csv_row(rec: StoredArticle) -> list[str]:
    """One row in CSV_COLUMNS order; lists joined with '; '; classification cells empty when not classified."""
    a, c = rec.article, rec.classification
    row = {
        **{k: getattr(a, k) for k in ("pmid", "title", "journal", "year", "doi", "pmcid", "url")},
        "authors": "; ".join(au.display for au in a.authors),
        "pub_date": a.pub_date.iso(),
        "publication_types": "; ".join(a.publication_types),
        "mesh": "; ".join(mesh_string(h) for h in a.mesh),
        "keywords": "; ".join(a.keywords),
        "queries": "; ".join(rec.queries),
        "first_seen": rec.first_seen,
        "abstract": _abstract_line(a),
    }
    if c is not None:
        row |= {k: getattr(c, k) for k in _VERDICT} | {"safety_signals": "; ".join(c.safety_signals)}
    return [_cell(row.get(col)) for col in CSV_COLUMNS]


def to_json(rec: StoredArticle) -> dict:
    """The JSONL object: every field by its code name; classification fields are null when not classified."""
    a, c = rec.article, rec.classification
    plain = ("journal", "journal_abbrev", "volume", "issue", "pages", "issn", "year", "doi", "pmcid", "url")
    return {
        "pmid": a.pmid,
        "title": a.title,
        "abstract": a.abstract_text,
        "abstract_sections": [asdict(s) for s in a.abstract],  # {text, label, category}
        **{k: getattr(a, k) for k in plain},
        "pub_date": a.pub_date.iso(),
        "pub_date_text": a.pub_date.display(),
        "authors": [au.display for au in a.authors],
        "authors_full": [asdict(au) for au in a.authors],
        "mesh": [asdict(h) for h in a.mesh],  # {descriptor, ui, major, qualifiers: [{name, ui, major}]}
        **{k: list(getattr(a, k)) for k in ("publication_types", "keywords", "language")},
        **{k: getattr(a, k) for k in ("is_book", "publisher", "status", "entrez_date")},
        "queries": list(rec.queries),
        "first_seen": rec.first_seen,
        "updated": rec.updated,
        **{k: getattr(c, k, None) for k in _VERDICT},
        "safety_signals": list(c.safety_signals) if c else None,
        "reasons": {k: list(v) for k, v in c.reasons.items()} if c else None,
        "classifier_version": c.version if c else None,
    }


def _md(text: str) -> str:
    """Markdown-escape record text, '$' included (GitHub and many editors render $...$ as math)."""
    return md_escape(text).replace("$", r"\$")


def to_markdown(rec: StoredArticle, n: int) -> str:
    """'n. **Title.** Authors. *Journal* Date;Vol(Issue):Pages. [PubMed](url) · [DOI](url)', study details below."""
    a, c = rec.article, rec.classification
    title = _one_line(a.title) or f"(untitled record {a.pmid})"
    title += "" if title.endswith((".", "?", "!")) else "."
    names = [au.display for au in a.authors if au.display]
    byline = ", ".join(names[:3]) + (", et al." if len(names) > 3 else ".") if names else ""
    where = "" if _book_kind(a) == "book" else a.journal_abbrev or a.journal or ""
    cite = "; ".join(p for p in (a.publisher, a.pub_date.display()) if p) if a.is_book else _citation(a)
    source = (f"*{_md(where)}* " if where else "") + _md(cite + "." if cite else "")
    links = [f"[PubMed]({a.url})"] + ([f"[DOI]({doi_url(a.doi)})"] if a.doi else [])
    head = " ".join(p for p in (f"**{_md(title)}**", _md(byline), source.strip(), " · ".join(links)) if p)
    details = []
    if c is not None:
        details = [humanize_design(c.design), humanize_follow_up(c.follow_up_weeks)]
        if c.safety_signals:
            details.append("safety signals: " + ", ".join(humanize_signal(s) for s in c.safety_signals))
    pad = " " * (len(str(n)) + 2)
    extra = _md(" · ".join(d for d in details if d))
    return f"{n}. {head}" + (f"  \n{pad}{extra[:1].upper()}{extra[1:]}" if extra else "") + "\n"


# --- streaming ---------------------------------------------------------------------------------------------


def export(records: Iterable[StoredArticle], fmt: str, out: TextIO, *, bom: bool = True) -> int:
    """Write `records` to `out` in `fmt` one at a time (nothing is held, so 100,000 records cost no memory);
    return how many were written.

    CSV starts with a UTF-8 byte-order mark (`bom=False` drops it) because Excel otherwise misreads UTF-8 names;
    Python's 'utf-8-sig', pandas and readr skip it. Rows end in CRLF as RFC 4180 says: open files with newline="".
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    n = 0
    if fmt == "csv":
        writer = csv.writer(out)
        out.write("\ufeff" if bom else "")
        writer.writerow(CSV_COLUMNS)
        for rec in records:
            writer.writerow(csv_row(rec))
            n += 1
        return n
    if fmt == "bibtex":
        texts: Iterable[str] = (to_bibtex(rec, key) for key, rec in bibtex_keys(records))
    elif fmt == "jsonl":
        texts = (json.dumps(to_json(rec), ensure_ascii=False) + "\n" for rec in records)
    elif fmt == "markdown":
        texts = (to_markdown(rec, i) for i, rec in enumerate(records, 1))
    else:
        texts = map(to_ris if fmt == "ris" else to_medline, records)
    gap = "\n" if fmt in ("ris", "bibtex", "medline") else ""  # a blank line between tagged records
    for text in texts:
        out.write((gap if n else "") + text)
        n += 1
    return n
