"""The schema, as append-only migrations: the only place tables are defined. Never edit a migration that has shipped."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("litwatch")

FTS_COLUMNS = ["title", "abstract", "mesh_terms", "author_names", "keywords_text"]


@migrations()
def m001_initial(db: Database) -> None:
    db["articles"].create(
        {
            "pmid": str,
            "seq": int,  # order of first storage: the digest ledger counts in it
            "title": str,
            "abstract": str,  # plain text, 'LABEL: text' lines for structured abstracts
            "abstract_sections": str,  # JSON [{label, category, text}]
            "journal": str,
            "journal_abbrev": str,
            "volume": str,
            "issue": str,
            "pages": str,
            "issn": str,
            "pub_year": int,
            "pub_month": int,
            "pub_day": int,
            "pub_season": str,
            "medline_date": str,
            "pub_date": str,  # ISO, as precise as known
            "authors": str,  # JSON [{last_name, fore_name, initials, collective_name, affiliation}]
            "author_names": str,  # 'Smith JA; Jones B; ...' for search
            "doi": str,
            "pmcid": str,
            "language": str,  # JSON list
            "publication_types": str,  # JSON list
            "mesh": str,  # JSON [{descriptor, ui, major, qualifiers: [{name, ui, major}]}]
            "mesh_terms": str,  # 'Ketamine/therapeutic use; Adolescent; ...' for search
            "keywords": str,  # JSON list
            "keywords_text": str,
            "is_book": int,
            "publisher": str,
            "entrez_date": str,
            "status": str,
            "first_seen": str,
            "updated": str,
        },
        pk="pmid",
        not_null={"seq", "title", "first_seen", "updated"},
    )
    db["articles"].create_index(["seq"], unique=True)
    db["articles"].create_index(["first_seen"])
    db["articles"].create_index(["pub_year"])
    db["articles"].enable_fts(FTS_COLUMNS, create_triggers=True, tokenize="porter")

    db["classifications"].create(
        {
            "pmid": str,
            "version": str,
            "on_topic": int,
            "long_term_efficacy": int,
            "safety": int,
            "design": str,
            "evidence_rank": int,
            "population": str,
            "follow_up_weeks": float,
            "safety_signals": str,  # JSON list
            "excluded": str,
            "reasons": str,  # JSON {label: [phrases]}
            "classified_at": str,
        },
        pk="pmid",
        foreign_keys=[("pmid", "articles", "pmid")],
    )
    for cols in (["on_topic"], ["long_term_efficacy"], ["safety"], ["design"], ["population"]):
        db["classifications"].create_index(cols)

    db["runs"].create(
        {
            "id": int,
            "command": str,  # run | import
            "query": str,  # saved query name (NULL for import)
            "term": str,  # the PubMed term, or the imported file's path
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | failed
            "window_start": str,
            "window_end": str,
            "count": int,  # what esearch said
            "matched": int,
            "new": int,
            "fetched": int,
            "requests": int,
            "seconds": float,
            "error": str,
            "warnings": str,  # JSON list
            "skipped": str,  # JSON list of PMIDs whose record could not be parsed
            "refresh": int,
        },
        pk="id",
    )
    db["runs"].create_index(["query", "status"])

    db["query_hits"].create(
        {"run_id": int, "query": str, "pmid": str, "new": int},
        pk=("run_id", "pmid"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["query_hits"].create_index(["pmid"])
    db["query_hits"].create_index(["query", "pmid"])

    db["query_state"].create(
        {
            "query": str,
            "term": str,  # the term the mark belongs to: a changed term starts a new backfill
            "covered_until": str,  # Entrez date (YYYY-MM-DD) up to which every match is stored
            "last_success_run_id": int,
            "last_success_at": str,
        },
        pk="query",
    )

    db["digests"].create(
        {
            "id": int,
            "created_at": str,
            "since": str,
            "until": str,
            "since_label": str,
            "from_seq": int,
            "to_seq": int,
            "sent_at": str,  # NULL until delivered (printed with --mark-sent, or accepted by SMTP)
            "channel": str,  # mark-sent | email
            "recipients": str,  # JSON list
            "counts": str,  # JSON {section: n}
        },
        pk="id",
    )

    db["meta"].create({"key": str, "value": str}, pk="key")


@migrations()
def m002_article_facets(db: Database) -> None:
    """What search filters on, one small row per article keyed by the rowid articles_fts uses (issue 7).

    Ranking then filters each full-text match with one integer-key lookup instead of joining the wide articles
    row and classifications by text key. Triggers keep it equal to articles joined with classifications on every
    write path: ingest, re-fetch, `reclassify`, or an edit made in Datasette.
    """
    db.execute(
        """CREATE TABLE article_facets (
            rid INTEGER PRIMARY KEY,  -- articles.rowid, as in articles_fts
            pmid TEXT NOT NULL UNIQUE,
            pub_year INTEGER,
            on_topic INTEGER,  -- NULL while unclassified
            long_term_efficacy INTEGER,
            safety INTEGER,
            design TEXT,
            population TEXT
        )"""
    )
    of_article = """INSERT OR REPLACE INTO article_facets
            (rid, pmid, pub_year, on_topic, long_term_efficacy, safety, design, population)
            SELECT new.rowid, new.pmid, new.pub_year, c.on_topic, c.long_term_efficacy, c.safety, c.design,
                c.population
            FROM (SELECT 1) LEFT JOIN classifications c ON c.pmid = new.pmid;"""
    of_classification = """UPDATE article_facets SET on_topic = new.on_topic,
            long_term_efficacy = new.long_term_efficacy, safety = new.safety, design = new.design,
            population = new.population WHERE pmid = new.pmid;"""
    cleared = """UPDATE article_facets SET on_topic = NULL, long_term_efficacy = NULL, safety = NULL,
            design = NULL, population = NULL WHERE pmid = old.pmid"""
    # one statement per execute: executescript would commit the migration's transaction half-way
    for trigger in (
        "article_facets_ai AFTER INSERT ON articles BEGIN " + of_article + " END",
        "article_facets_au AFTER UPDATE ON articles BEGIN DELETE FROM article_facets WHERE rid = old.rowid; "  # noqa: S608 (constant SQL)
        + of_article
        + " END",
        "article_facets_ad AFTER DELETE ON articles BEGIN DELETE FROM article_facets WHERE rid = old.rowid; END",
        "classification_facets_ai AFTER INSERT ON classifications BEGIN " + of_classification + " END",
        "classification_facets_au AFTER UPDATE ON classifications BEGIN "
        + cleared
        + " AND old.pmid IS NOT new.pmid; "
        + of_classification
        + " END",
        "classification_facets_ad AFTER DELETE ON classifications BEGIN " + cleared + "; END",
    ):
        db.execute("CREATE TRIGGER " + trigger)
    db.execute(
        """INSERT INTO article_facets (rid, pmid, pub_year, on_topic, long_term_efficacy, safety, design,
            population)
        SELECT a.rowid, a.pmid, a.pub_year, c.on_topic, c.long_term_efficacy, c.safety, c.design, c.population
        FROM articles a LEFT JOIN classifications c ON c.pmid = a.pmid"""
    )


@migrations()
def m003_facets_pub_date(db: Database) -> None:
    """Publication date on article_facets, so a broad search can order its matches newest first without the
    wide articles row. The two article triggers of m002 are replaced by ones that also copy pub_date."""
    db.execute("ALTER TABLE article_facets ADD COLUMN pub_date TEXT")
    db.execute("UPDATE article_facets SET pub_date = (SELECT a.pub_date FROM articles a WHERE a.rowid = rid)")
    of_article = """INSERT OR REPLACE INTO article_facets
            (rid, pmid, pub_year, pub_date, on_topic, long_term_efficacy, safety, design, population)
            SELECT new.rowid, new.pmid, new.pub_year, new.pub_date, c.on_topic, c.long_term_efficacy, c.safety,
                c.design, c.population
            FROM (SELECT 1) LEFT JOIN classifications c ON c.pmid = new.pmid;"""
    for name in ("article_facets_ai", "article_facets_au"):
        db.execute(f"DROP TRIGGER {name}")
    db.execute("CREATE TRIGGER article_facets_ai AFTER INSERT ON articles BEGIN " + of_article + " END")
    refresh = "DELETE FROM article_facets WHERE rid = old.rowid; "  # noqa: S608 (constant SQL)
    db.execute(
        "CREATE TRIGGER article_facets_au AFTER UPDATE ON articles BEGIN " + refresh + of_article + " END"
    )
