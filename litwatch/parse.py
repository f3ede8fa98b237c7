"""PubMed XML (efetch responses, exported files) -> Article dataclasses, read on local DTDs, never the network."""

from __future__ import annotations

import codecs
import gzip
import html
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse
from xml.parsers import expat

from Bio.Entrez.Parser import CorruptedXMLError, DataHandler, NotXMLError

from litwatch.errors import ParseError
from litwatch.models import (
    MONTHS,
    AbstractSection,
    Article,
    Author,
    Classification,
    MeshHeading,
    MeshQualifier,
    PubDate,
)

_SHIPPED_DTDS = frozenset(os.listdir(DataHandler.global_dtd_dir))
_NEWEST_PUBMED_DTD = max(n for n in _SHIPPED_DTDS if re.fullmatch(r"pubmed_\d{6}\.dtd", n))
_DTD_URL = "https://dtd.nlm.nih.gov/ncbi/pubmed/out/"
_HEAD = 64 * 1024  # the prolog and root element of any real document start well inside this
_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle")
_RECORD_START = re.compile(rb"<(PubmedArticle|PubmedBookArticle)[\s>]")
_RECORD_END = re.compile(rb"</(?:PubmedArticle|PubmedBookArticle)>")
_CLOSE = b"\n</PubmedArticleSet>\n"
PIECE = 100  # records handed to Bio at once (memory, see _pieces)
_XML_DECL = re.compile(rb"<\?xml[^>]*\?>")
# Whatever may precede the root element (declaration, comments, processing instructions, DOCTYPE), then its name.
_ROOT = re.compile(
    rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*+<([A-Za-z_][\w.:-]*)", re.S
)
_UTF8_DECL = b'<?xml version="1.0" encoding="UTF-8"?>'
_TAG = re.compile(r"<[^<>]*>")
_WORD_TAG = re.compile(r"(?<=\w)</?[biu]>(?=\w)")  # italics glued to words stand for a space
_MATH = re.compile(r"<(?:mml:)?math\b.*?</(?:mml:)?math>", re.S)
_SPACE = re.compile(r"\s+")
_MONTH_WORD = re.compile(r"\b(" + "|".join(MONTHS) + r")[a-z]*\.?", re.I)


@dataclass(frozen=True)
class ParsedBatch:
    """The articles of one document, plus (pmid or None, reason) for each record that could not be converted.

    `labels` classifies the first len(labels) articles where the document was parsed (the parse worker takes a
    share of classifying off the process that stores); the rest are classified when stored.
    """

    articles: list[Article]
    skipped: list[tuple[str | None, str]]
    labels: tuple[Classification, ...] = ()


class _Skip(Exception):
    """A record lacks something an Article cannot do without."""


def parse_batch(xml: bytes) -> ParsedBatch:
    """One efetch response / PubmedArticleSet document -> Articles; ParseError if the document is not PubMed XML."""
    xml = xml.removeprefix(codecs.BOM_UTF8).lstrip()
    prolog, root_end = _prolog(xml, _check_prolog(xml))
    articles, skipped = [], []
    for piece in _pieces(xml, root_end):
        batch = _parse_document(prolog, piece)
        articles += batch.articles
        skipped += batch.skipped
    return ParsedBatch(articles, skipped)


def _pieces(xml: bytes, root_end: int) -> Iterator[bytes]:
    """The records after the root tag, PIECE at a time, each closed as a document of its own.

    Bio's tree costs ~100 KB a record while it is built: 500 at once would need 50 MB, 100 need 10 MB.
    A record's end tag cannot occur inside another record (text has `&lt;`), so cutting there is safe.
    """
    start, count = root_end, 0
    for m in _RECORD_END.finditer(xml, root_end):
        count += 1
        if count % PIECE == 0:
            yield xml[start : m.end()] + _CLOSE
            start = m.end()
    yield xml[start:]


def _parse_document(prolog: bytes, piece: bytes) -> ParsedBatch:
    document = prolog + piece
    try:
        tree = _bio_read(document)
    except ParseError:
        raise
    except (CorruptedXMLError, NotXMLError, expat.ExpatError) as exc:
        raise ParseError(f"truncated or malformed PubMed XML ({getattr(exc, 'msg', exc)})") from None
    except Exception:  # noqa: BLE001 - Bio choked on some record: read them one by one to isolate it
        return _parse_one_by_one(document, prolog)
    return _convert_all(_in_document_order(document, tree["PubmedArticle"], tree["PubmedBookArticle"]))


def iter_file_batches(path: Path, batch_size: int = 500) -> Iterator[ParsedBatch]:
    """Stream a PubMed XML file (plain or gzip, told by its magic bytes) in batches of `batch_size` records.

    Memory stays bounded by the batch, whatever the file size; ParseError names the file.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    path = Path(path)
    try:
        with _open(path) as stream:
            raw = stream.read(_HEAD)
            head = raw.removeprefix(codecs.BOM_UTF8).lstrip()
            stream.seek(len(raw) - len(head))  # expat wants the XML declaration first
            prolog, _ = _prolog(head, _check_prolog(head))
            batch: list[bytes] = []
            for record in _records(stream):
                batch.append(record)
                if len(batch) == batch_size:
                    yield parse_batch(_wrap(prolog, batch))
                    batch = []
            if batch:
                yield parse_batch(_wrap(prolog, batch))
    except ParseError as exc:
        raise ParseError(f"{path}: {exc}") from None
    except (expat.ExpatError, EOFError, zlib.error) as exc:
        raise ParseError(f"{path}: truncated or malformed ({exc})") from None
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}") from None


# --- reading the document -------------------------------------------------------------------------------------


def _open(path: Path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def _check_prolog(head: bytes) -> int:
    """Refuse anything but a PubmedArticleSet, quoting what came instead; return the root start tag's offset."""
    if not head.strip():
        raise ParseError("not PubMed XML: the document is empty")
    root = _ROOT.match(head)
    if root and root.group(1) == b"PubmedArticleSet":
        return root.start(1) - 1
    raise ParseError(_describe(head, root.group(1).decode("utf-8", "replace") if root else None))


def _describe(head: bytes, root: str | None) -> str:
    """One line saying what the document is instead of PubMed XML."""
    text = head[:_HEAD].decode("utf-8", "replace")
    error = re.search(r"<ERROR>(.*?)</ERROR>", text, re.S)
    if error:
        return f"not PubMed XML: NCBI answered with an error: {_snippet(error.group(1))}"
    start = text.lstrip()[:200].lower()
    if root == "html" or start.startswith(("<!doctype html", "<html")) or "<html" in start:
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.S | re.I)
        return f"not PubMed XML: got an HTML page: {_snippet(title.group(1) if title else text)}"
    if start.startswith(("{", "[")):
        return f"not PubMed XML: got JSON: {_snippet(text)}"
    if root is not None:
        return f"not PubMed XML: the root element is <{root}>, expected <PubmedArticleSet>"
    return f"not PubMed XML: {_snippet(text) or 'no root element'}"


def _snippet(text: str, limit: int = 160) -> str:
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _prolog(xml: bytes, root_offset: int) -> tuple[bytes, int]:
    """The document's XML declaration, a DOCTYPE naming a DTD Biopython ships, its root tag; where that tag ends.

    Biopython downloads any DTD it lacks in the middle of a parse (and refuses http:// URLs), so a missing,
    unknown or future pubmed_YYMMDD.dtd becomes the newest one it ships (tags that DTD lacks are skipped).
    """
    decl, named = _XML_DECL.match(xml), re.search(rb"<!DOCTYPE[^>]*?(pubmed_\d{6}\.dtd)", xml[:root_offset])
    dtd = named.group(1).decode() if named else ""
    dtd = dtd if dtd in _SHIPPED_DTDS else _NEWEST_PUBMED_DTD
    doctype = f'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" "{_DTD_URL}{dtd}">'.encode()
    root_end = xml.find(b">", root_offset) + 1
    prolog = b"\n".join([decl.group() if decl else _UTF8_DECL, doctype, xml[root_offset:root_end]])
    return prolog, root_end


def _bio_read(document: bytes):
    """Bio.Entrez.read(escape=True, validate=False), with DTD downloads refused rather than attempted."""
    handler = DataHandler(validate=False, escape=True, ignore_errors=False)
    load_dtd = handler.externalEntityRefHandler

    def local_only(context, base, system_id, public_id):
        name = os.path.basename(urlparse(system_id).path)
        stream = handler.open_dtd_file(name)
        if stream is None:
            raise ParseError(f"the DTD {name} is not available locally (litwatch never downloads DTDs)")
        stream.close()
        return load_dtd(context, base, system_id, public_id)

    handler.externalEntityRefHandler = local_only
    try:
        return handler.read(io.BytesIO(document))
    finally:  # the handler refers to itself (bound methods, expat): drop all so each batch is freed at once
        vars(handler).clear()


def _records(stream) -> Iterator[bytes]:
    """The bytes of each PubmedArticle/PubmedBookArticle under the root, cut from the stream as expat passes them.

    Only the record being read is buffered, so memory does not grow with the file; DeleteCitation is ignored.
    """
    parser, buffer, base = expat.ParserCreate(), bytearray(), 0  # base: the stream offset of buffer[0]
    depth, start, done = 0, None, []

    def on_start(tag, attrs):
        nonlocal depth, start
        depth += 1
        if depth == 2 and tag in _RECORD_TAGS:
            start = parser.CurrentByteIndex

    def on_end(tag):
        nonlocal depth, start
        depth -= 1
        if depth == 1 and start is not None:
            done.append(bytes(buffer[start - base : buffer.index(b">", parser.CurrentByteIndex - base) + 1]))
            start = None

    parser.StartElementHandler, parser.EndElementHandler = on_start, on_end
    while chunk := stream.read(1 << 16):
        buffer += chunk
        parser.Parse(chunk, False)
        yield from done
        done.clear()
        # Keep the record being read, or else from the last '<': a record's start tag may be cut by the chunk.
        keep = start if start is not None else base + max(buffer.rfind(b"<"), 0)
        del buffer[: keep - base]
        base = keep
    parser.Parse(b"", True)
    yield from done


def _wrap(prolog: bytes, records: list[bytes]) -> bytes:
    return b"".join([prolog, *records, b"\n</PubmedArticleSet>\n"])


def _parse_one_by_one(document: bytes, prolog: bytes) -> ParsedBatch:
    articles, skipped = [], []
    try:
        records = list(_records(io.BytesIO(document)))
    except expat.ExpatError as exc:
        raise ParseError(f"truncated or malformed PubMed XML ({exc})") from None
    for record in records:
        try:
            tree = _bio_read(_wrap(prolog, [record]))
        except Exception as exc:  # noqa: BLE001 - reported per record, the rest of the batch still counts
            pmid = re.search(rb"<PMID[^>]*>\s*(\d+)", record)
            skipped.append((pmid.group(1).decode() if pmid else None, f"unreadable record: {exc}"))
            continue
        one = _convert_all(tree["PubmedArticle"] + tree["PubmedBookArticle"])
        articles += one.articles
        skipped += one.skipped
    return ParsedBatch(articles, skipped)


def _in_document_order(document: bytes, articles: list, books: list) -> list:
    """Bio files articles and books under separate keys; interleave them back as the document had them."""
    if not books or not articles:
        return [*articles, *books]
    kinds = [m.group(1) for m in _RECORD_START.finditer(document)]
    if len(kinds) != len(articles) + len(books):
        return [*articles, *books]
    queues = {b"PubmedArticle": iter(articles), b"PubmedBookArticle": iter(books)}
    return [next(queues[kind]) for kind in kinds]


# --- converting one record -----------------------------------------------------------------------------------


def _convert_all(records: Iterable) -> ParsedBatch:
    articles, skipped = [], []
    for record in records:
        pmid = _text((record.get("BookDocument") or record.get("MedlineCitation") or {}).get("PMID"))
        try:
            articles.append(_article(record, pmid))
        except _Skip as exc:
            skipped.append((pmid, str(exc)))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            skipped.append((pmid, f"could not convert the record: {type(exc).__name__}: {exc}"))
    return ParsedBatch(articles, skipped)


def _article(record, pmid: str | None) -> Article:
    """A PubmedArticle, or a PubmedBookArticle (whose BookDocument plays both MedlineCitation and Article)."""
    book = record.get("BookDocument")
    citation = book or record["MedlineCitation"]
    art = book or citation.get("Article") or {}
    source = (book.get("Book") if book else art.get("Journal")) or {}
    issue = source if book else source.get("JournalIssue") or {}
    data = record.get("PubmedBookData" if book else "PubmedData") or {}
    ids = [*(citation.get("ArticleIdList") or []), *(data.get("ArticleIdList") or [])]
    titles = (art.get("ArticleTitle"), art.get("VernacularTitle"), source.get("BookTitle"))
    title = next((t for t in map(_text, titles) if t), None)
    if not pmid or not title:
        raise _Skip("the record has no PMID" if not pmid else "the record has no title")
    author_lists = (
        [*art.get("AuthorList", []), *source.get("AuthorList", [])] if book else [art.get("AuthorList") or []]
    )
    info = citation.get("MedlineJournalInfo") or {}
    return Article(
        pmid=pmid,
        title=title,
        abstract=_abstract(art.get("Abstract")),
        journal=_text(source.get("BookTitle") if book else source.get("Title")),
        journal_abbrev=_text(source.get("ISOAbbreviation")) or _text(info.get("MedlineTA")),
        volume=_text(issue.get("Volume")),
        issue=_text(issue.get("Issue")),
        pages=_pages(art.get("Pagination")),
        issn=_text(source.get("ISSN")),
        pub_date=_pub_date(issue.get("PubDate"), art.get("ArticleDate") or []),
        authors=_authors(author_lists),
        doi=_doi(art.get("ELocationID") or [], ids),
        pmcid=_pmcid(ids),
        language=_texts(art.get("Language")),
        publication_types=_texts(art.get("PublicationType" if book else "PublicationTypeList")),
        mesh=_mesh(citation.get("MeshHeadingList") or []),
        keywords=_keywords(citation.get("KeywordList") or []),
        is_book=book is not None,
        publisher=_text((source.get("Publisher") or {}).get("PublisherName")),
        entrez_date=_entrez_date(data.get("History") or []),
        status=_attr(citation, "Status"),
    )


def _text(value) -> str | None:
    """Plain text: inline markup (<i>, <sup>, MathML) dropped, entities decoded, whitespace collapsed.

    'H<sub>2</sub>O' -> 'H2O', but 'the<i>TERT</i>gene' -> 'the TERT gene'; MathML layout whitespace goes.
    """
    if value is None:
        return None
    text = str(value)
    if "<" in text:
        text = _MATH.sub(lambda m: _TAG.sub("", re.sub(r">\s+<", "><", m.group())), text)
        text = _TAG.sub("", _WORD_TAG.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    if "  " in text or not text.isprintable():  # most fields are already clean: skip the regex
        text = _SPACE.sub(" ", text)
    text = text.strip()
    return text or None


def _texts(values) -> tuple[str, ...]:
    return tuple(t for t in (_text(v) for v in values or []) if t)


def _attr(element, name: str, default: str | None = None) -> str | None:
    return getattr(element, "attributes", {}).get(name, default)


def _abstract(abstract) -> tuple[AbstractSection, ...]:
    parts = (abstract or {}).get("AbstractText") or []
    return tuple(
        AbstractSection(_text(p), _text(_attr(p, "Label")), _attr(p, "NlmCategory"))
        for p in parts
        if _text(p)
    )


def _pages(pagination) -> str | None:
    pagination = pagination or {}
    start, end = _text(pagination.get("StartPage")), _text(pagination.get("EndPage"))
    return _text(pagination.get("MedlinePgn")) or (f"{start}-{end}" if start and end else start)


def _int(value, low: int, high: int) -> int | None:
    text = _text(value)
    return int(text) if text and text.isdigit() and low <= int(text) <= high else None


def _month(value) -> int | None:
    """'11', '1', 'Nov', 'November', or the first month named in a MedlineDate such as '1998 Dec-1999 Jan'."""
    text = _text(value) or ""
    if text.isdigit():
        return _int(text, 1, 12)
    match = _MONTH_WORD.search(text)
    return MONTHS.index(match.group(1).title()) + 1 if match else None


def _pub_date(date, electronic: list) -> PubDate:
    """JournalIssue/PubDate as precise as given; ArticleDate (electronic) when the issue has no year."""
    date = date or {}
    medline, season = _text(date.get("MedlineDate")), _text(date.get("Season"))
    if medline:
        years = re.findall(r"\b\d{4}\b", medline)
        year, month, day = (int(years[0]) if years else None), _month(medline), None
    else:
        year, month = _int(date.get("Year"), 1000, 9999), _month(date.get("Month"))
        day = _int(date.get("Day"), 1, 31) if month else None
    if year is None and electronic:
        return replace(_pub_date(electronic[0], []), season=season, medline_date=medline)
    return PubDate(year=year, month=month, day=day, season=season, medline_date=medline)


def _authors(author_lists: list) -> tuple[Author, ...]:
    """Authors of the record; a book's editors only stand in when it names no authors."""
    authors = [a for lst in author_lists if _attr(lst, "Type", "authors") == "authors" for a in lst]
    if not authors:
        authors = [a for lst in author_lists for a in lst]
    out = []
    for person in authors:
        infos = person.get("AffiliationInfo") or []
        affiliation = _text(infos[0].get("Affiliation")) if infos else _text(person.get("Affiliation"))
        names = [_text(person.get(k)) for k in ("LastName", "ForeName", "Initials", "CollectiveName")]
        if _attr(person, "ValidYN", "Y") != "N" and (names[0] or names[1] or names[3]):
            out.append(Author(*names, affiliation=affiliation))
    return tuple(out)


def _doi(locations: list, ids: list) -> str | None:
    """The record's own DOI; DOIs under ReferenceList belong to cited works and are never looked at."""
    own = [e for e in locations if _attr(e, "EIdType") == "doi" and _attr(e, "ValidYN", "Y") != "N"]
    for value in own + [i for i in ids if _attr(i, "IdType") == "doi"]:
        doi = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", _text(value) or "", flags=re.I)
        if doi:
            return doi
    return None


def _pmcid(ids: list) -> str | None:
    pmc = next((_text(i) for i in ids if _attr(i, "IdType") == "pmc" and _text(i)), None)
    return pmc if pmc is None or pmc.upper().startswith("PMC") else f"PMC{pmc}"


def _mesh(headings: list) -> tuple[MeshHeading, ...]:
    out = []
    for heading in headings:
        name, qualifiers = heading.get("DescriptorName"), heading.get("QualifierName") or []
        if _text(name):
            quals = tuple(MeshQualifier(_text(q), _attr(q, "UI"), _major(q)) for q in qualifiers if _text(q))
            out.append(MeshHeading(_text(name), _attr(name, "UI"), _major(name), quals))
    return tuple(out)


def _major(element) -> bool:
    return _attr(element, "MajorTopicYN") == "Y"


def _keywords(keyword_lists: list) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for keyword in (k for lst in keyword_lists for k in lst):
        text = _text(keyword)
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return tuple(seen.values())


def _entrez_date(history: list) -> str | None:
    """The day PubMed added the record, as 'YYYY-MM-DD'."""
    entrez = [d for d in history if _attr(d, "PubStatus") == "entrez"]
    date = _pub_date(entrez[0], []) if entrez else None
    return date.iso() if date and date.day else None
