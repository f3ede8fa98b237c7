"""Search the saved studies: user text -> a safe FTS5 MATCH (phrases, AND/OR/NOT, prefix*), filters, bm25 ranking."""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from litwatch import store
from litwatch.errors import UsageError
from litwatch.lexicon import EVIDENCE_RANK
from litwatch.models import DESIGNS, POPULATIONS, StoredArticle

CATEGORIES = ("long-term-efficacy", "safety")
# bm25 weights per FTS column (title, abstract, mesh_terms, author_names, keywords_text): a title match counts most
WEIGHTS = (10.0, 1.0, 3.0, 2.0, 3.0)
# A search matching at least this share of the stored studies is "broad": bm25 gives so common a word an idf of
# ~0 (FTS5 clamps it), so its order says little, and ranking every match costs ~1 us each (100 ms at 100k).
# Broad searches are ordered as the digest is: best evidence first, then newest publication.
BROAD_SHARE = 0.5
_EVIDENCE_ORDER = (
    "CASE x.design "
    + " ".join(f"WHEN '{design}' THEN {rank}" for design, rank in EVIDENCE_RANK.items())
    + " ELSE 99 END"
)
HL_START, HL_END = "\x02", "\x03"  # snippet markers, turned into bold/`**` by the renderer
_TOKEN = re.compile(r'"([^"]*)"|(\()|(\))|([^\s()"]+)')
_WORD = re.compile(r"\w", re.UNICODE)
_FTS_TOKEN = re.compile(r'"(?:[^"]|"")*"\*?|[()]|AND|OR|NOT')  # the pieces to_fts() emits


@dataclass(frozen=True)
class Filters:
    """Narrowing shared by search and export; `include_all=False` hides off-topic studies."""

    category: str | None = None
    design: str | None = None
    population: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    query: str | None = None
    include_all: bool = False

    def validate(self) -> None:
        for value, choices, option in (
            (self.category, CATEGORIES, "--category"),
            (self.design, DESIGNS, "--design"),
            (self.population, POPULATIONS, "--population"),
        ):
            if value is not None and value not in choices:
                raise UsageError(f"{option} {value!r}: choose one of {', '.join(choices)}")
        if self.year_from and self.year_to and self.year_from > self.year_to:
            raise UsageError(f"--year-from {self.year_from} is after --year-to {self.year_to}")


@dataclass(frozen=True)
class Hit:
    stored: StoredArticle
    score: float | None  # bm25, lower is better; None when ranked by evidence
    snippet: str  # with HL_START/HL_END around matched words
    ranked_by: str = "relevance"  # or "evidence" for a broad search (see BROAD_SHARE)


def to_fts(text: str) -> str:
    """Translate PubMed-like search text into an FTS5 expression that cannot be a syntax error.

    Words and "quoted phrases" become FTS5 strings (so `-`, `:` or `*` inside them are literal), `word*` a prefix
    query, AND/OR/NOT (capitals, as in PubMed) and parentheses stay operators; adjacent terms mean AND.
    """
    out: list[str] = []
    depth = 0
    expect_term = True
    for m in _TOKEN.finditer(text):
        phrase, lpar, rpar, word = m.groups()
        if lpar:
            if not expect_term:
                out.append("AND")
            out.append("(")
            depth += 1
            expect_term = True
        elif rpar:
            if depth == 0 or expect_term:
                raise UsageError(f"search {text!r}: unbalanced or empty parentheses")
            out.append(")")
            depth -= 1
        elif word in ("AND", "OR", "NOT"):
            if expect_term:
                raise UsageError(
                    f"search {text!r}: {word} needs a term on both sides (e.g. ketamine {word} rats)"
                )
            out.append(word)
            expect_term = True
        else:
            term = phrase if phrase is not None else word
            prefix = phrase is None and term.endswith("*") and len(term.rstrip("*")) > 0
            term = term.rstrip("*") if prefix else term
            if not _WORD.search(term):
                if phrase is not None:
                    raise UsageError(f"search {text!r}: empty phrase")
                continue  # punctuation on its own means nothing
            if not expect_term:
                out.append("AND")
            out.append('"' + term.replace('"', '""') + '"' + ("*" if prefix else ""))
            expect_term = False
    if text.count('"') % 2:
        raise UsageError(f"search {text!r}: unbalanced double quote")
    if depth:
        raise UsageError(f"search {text!r}: unbalanced parentheses")
    if not out:
        raise UsageError("search: give at least one word to search for")
    if expect_term:
        raise UsageError(f"search {text!r}: ends with an operator; add a term after it")
    return " ".join(out)


def filter_sql(f: Filters, c: str = "c", a: str = "a") -> tuple[list[str], list]:
    """SQL conditions (with parameters) over classification columns on alias `c` and article columns on `a`.

    Search passes the same alias for both: article_facets holds them all on one row.
    """
    f.validate()
    where: list[str] = []
    params: list = []
    if not f.include_all:
        where.append(f"{c}.on_topic = 1")
    if f.category == "long-term-efficacy":
        where.append(f"{c}.long_term_efficacy = 1")
    elif f.category == "safety":
        where.append(f"{c}.safety = 1")
    if f.design:
        where.append(f"{c}.design = ?")
        params.append(f.design)
    if f.population:
        where.append(f"{c}.population = ?")
        params.append(f.population)
    if f.year_from:
        where.append(f"{a}.pub_year >= ?")
        params.append(f.year_from)
    if f.year_to:
        where.append(f"{a}.pub_year <= ?")
        params.append(f.year_to)
    if f.query:
        where.append(f"EXISTS (SELECT 1 FROM query_hits h WHERE h.query = ? AND h.pmid = {a}.pmid)")  # noqa: S608
        params.append(f.query)
    return where, params


def search(db: Database, text: str, filters: Filters = Filters(), limit: int = 20) -> list[Hit]:
    """Best matches first (bm25, title weighted; a broad search, see is_broad, by title, evidence and date), with
    a highlighted snippet from the best-matching column."""
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    match = to_fts(text)
    where, params = filter_sql(filters, "x", "x")
    try:
        broad = is_broad(db, match)
        rids = (
            _by_evidence(db, match, where, params, limit)
            if broad
            else _ranked(db, match, where, params, limit)
        )
        snippets = _snippets(db, match, [rid for rid, _ in rids])
    except sqlite3.OperationalError as exc:  # should not happen after to_fts; never show FTS internals raw
        raise UsageError(f"search {text!r}: cannot be searched ({exc}); simplify the query") from None
    rows = {r["rid"]: r for r in _rows(db, [rid for rid, _ in rids])}
    ranked_by = "evidence" if broad else "relevance"
    return [
        Hit(store.row_to_stored(rows[rid]), score, snippets.get(rid, ""), ranked_by)
        for rid, score in rids
        if rid in rows
    ]


def is_broad(db: Database, match: str) -> bool:
    """Is every word or phrase of the search (those after NOT too) in at least BROAD_SHARE of the stored studies?

    One rarer term keeps bm25, whose idf then ranks by it (`ketamine OR cystitis` puts cystitis first). Each count
    stops as soon as it is enough, and the first term short of it ends the check.
    """
    total = db.execute("SELECT count(*) FROM article_facets").fetchone()[0]
    enough = max(1, math.ceil(total * BROAD_SHARE))
    sql = "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)"
    terms = dict.fromkeys(t for t in _FTS_TOKEN.findall(match) if t.startswith('"'))
    return total > 0 and all(db.execute(sql, [t, enough]).fetchone()[0] >= enough for t in terms)


def _ranked(db: Database, match: str, where: list[str], params: list, limit: int) -> list[tuple[int, float]]:
    """(rowid, bm25) of the best `limit` matches that pass the filters, in one pass over the full-text matches.

    Each match is filtered by an integer-key lookup in article_facets (no wide article row, no text key), bm25 is
    computed only for those that pass, and the sorter keeps `limit` of them. bm25 is the floor: about 1 us a
    ranked match. CROSS JOIN pins the loops: full text outside, facets inside.
    """
    weights = ", ".join(str(w) for w in WEIGHTS)
    facets = " CROSS JOIN article_facets x ON x.rid = f.rowid" if where else ""
    conditions = "".join(" AND " + w for w in where)
    sql = (
        f"SELECT f.rowid, bm25(articles_fts, {weights}) AS score FROM articles_fts f{facets} "  # noqa: S608 (constant SQL fragments; values are ? parameters)
        f"WHERE articles_fts MATCH ?{conditions} ORDER BY score, f.rowid LIMIT ?"
    )
    return db.execute(sql, [match, *params, limit]).fetchall()


def _by_evidence(
    db: Database, match: str, where: list[str], params: list, limit: int
) -> list[tuple[int, None]]:
    """(rowid, None) of the first `limit` matches passing the filters: those matching in the title first (bm25's
    strongest signal), then the digest's order (best evidence, newest publication, last stored), from
    article_facets alone: no bm25 over every match.

    Title matches are sorted on their own first; only when there are fewer than `limit` of them are the other
    matches sorted (each sort keeps `limit` rows), so a common word is scanned once or twice, never probed per row.
    """
    conditions = "".join(" AND " + w for w in where)
    base = (
        "SELECT f.rowid, NULL FROM articles_fts f CROSS JOIN article_facets x ON x.rid = f.rowid "  # noqa: S608 (constant SQL fragments; values are ? parameters)
        f"WHERE articles_fts MATCH ?{conditions}"
    )
    order = f" ORDER BY {_EVIDENCE_ORDER}, coalesce(x.pub_date, '') DESC, f.rowid DESC LIMIT ?"
    # title : (a NOT b) lets b stand elsewhere in the study; the whole expression must hold too
    titled = (
        f"title : ({match})"
        if "NOT" not in _FTS_TOKEN.findall(match)
        else f"(title : ({match})) AND ({match})"
    )
    top = db.execute(base + order, [titled, *params, limit]).fetchall()
    if len(top) == limit:
        return top
    shown = [rid for rid, _ in top]
    rest = f" AND f.rowid NOT IN ({','.join('?' * len(shown))})" if shown else ""
    return top + db.execute(base + rest + order, [match, *params, *shown, limit - len(top)]).fetchall()


def _snippets(db: Database, match: str, rids: list[int]) -> dict[int, str]:
    """rowid -> snippet for the shown rows only (snippet() reads and re-tokenizes the article text)."""
    if not rids:
        return {}
    marks = ",".join("?" * len(rids))
    snip = f"snippet(articles_fts, -1, '{HL_START}', '{HL_END}', '…', 16)"
    if '"*' in match:
        # A prefix term is expanded and merged afresh for every rowid looked up (5 ms each for adolesc* at
        # 100k), so scan the matches once over the shown rows' rowid span; the `+` keeps the IN list from
        # being used as a lookup.
        sql = (
            f"SELECT rowid, {snip} FROM articles_fts WHERE articles_fts MATCH ? "  # noqa: S608 (constant SQL fragments; values are ? parameters)
            f"AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
        )
        params = [match, min(rids), max(rids), *rids]
    else:
        sql = f"SELECT rowid, {snip} FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({marks})"  # noqa: S608
        params = [match, *rids]
    return {rid: text or "" for rid, text in db.execute(sql, params)}


def _rows(db: Database, rids: list[int]) -> list[dict]:
    if not rids:
        return []
    marks = ",".join("?" * len(rids))
    sql = f"SELECT a.rowid AS rid, {store.STORED_COLUMNS} FROM articles a {store.STORED_JOIN} "  # noqa: S608
    return list(db.query(sql + f"WHERE a.rowid IN ({marks})", rids))


def filtered(db: Database, filters: Filters) -> Iterator[StoredArticle]:
    """Stored articles matching `filters`, in the order they were stored (a stream: exports can be large)."""
    where, params = filter_sql(filters)
    return store.stored_articles(db, " AND ".join(where), params)
