"""Figures about the saved studies: per query, category, design and year, and each query's last run."""

from __future__ import annotations

from sqlite_utils import Database


def _pairs(db: Database, sql: str, params=()) -> list[tuple[str, int]]:
    return [(str(k) if k is not None else "unknown", n) for k, n in db.execute(sql, list(params)).fetchall()]


def collect(db: Database) -> dict:
    """Everything `litwatch stats` shows, as plain data (also its JSON output)."""
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    cat = db.execute(
        "SELECT coalesce(sum(on_topic), 0), coalesce(sum(on_topic AND long_term_efficacy), 0), "
        "coalesce(sum(on_topic AND safety), 0), coalesce(sum(NOT on_topic), 0) FROM classifications"
    ).fetchone()
    last_runs = list(
        db.query(
            "SELECT r.query, r.status, r.finished_at, r.started_at, r.new, r.matched, r.error FROM runs r "
            "WHERE r.command = 'run' AND r.id = (SELECT max(id) FROM runs r2 WHERE r2.query = r.query) ORDER BY r.query"
        )
    )
    marks = {r["query"]: r for r in db.query("SELECT query, covered_until, last_success_at FROM query_state")}
    for r in last_runs:
        r["covered_until"] = (marks.get(r["query"]) or {}).get("covered_until")
        r["last_success_at"] = (marks.get(r["query"]) or {}).get("last_success_at")
    return {
        "articles": total,
        "categories": {
            "on_topic": cat[0],
            "long_term_efficacy": cat[1],
            "safety": cat[2],
            "off_topic": cat[3],
        },
        "per_query": dict(
            _pairs(db, "SELECT query, count(DISTINCT pmid) FROM query_hits GROUP BY query ORDER BY query")
        ),
        "per_design": dict(
            _pairs(
                db,
                "SELECT design, count(*) FROM classifications WHERE on_topic = 1 GROUP BY design ORDER BY 2 DESC",
            )
        ),
        "excluded": dict(
            _pairs(
                db,
                "SELECT excluded, count(*) FROM classifications WHERE on_topic = 0 GROUP BY excluded ORDER BY 2 DESC",
            )
        ),
        "per_year": dict(
            _pairs(
                db,
                "SELECT a.pub_year, count(*) FROM articles a JOIN classifications c ON c.pmid = a.pmid "
                "WHERE c.on_topic = 1 GROUP BY a.pub_year ORDER BY a.pub_year",
            )
        ),
        "last_runs": last_runs,
        "digests_sent": db.execute("SELECT count(*) FROM digests WHERE sent_at IS NOT NULL").fetchone()[0],
    }
