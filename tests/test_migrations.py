"""The schema lives in migrations: a blank DB gets it, an old one upgrades in place, a newer one is refused."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from litwatch import store
from litwatch.errors import ConfigError
from litwatch.migrations import FTS_COLUMNS, migrations


def test_blank_database_gets_every_table_column_and_fts_trigger(db_path):
    db = store.open_db(db_path)
    assert {"articles", "classifications", "runs", "query_hits", "query_state", "digests", "meta"} <= set(
        db.table_names()
    )
    cols = set(db["articles"].columns_dict)
    assert {"pmid", "seq", "title", "abstract", "doi", "pmcid", "mesh", "first_seen", "updated"} <= cols
    assert db["articles"].detect_fts() == "articles_fts"
    triggers = {t.name for t in db["articles"].triggers}
    assert {"articles_ai", "articles_ad", "articles_au"} <= triggers
    assert set(db["articles_fts"].columns_dict) == set(FTS_COLUMNS)
    assert store.schema_version(db) == migrations._migrations[-1].name
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_applies_nothing_twice(db_path):
    store.open_db(db_path).close()
    db = store.open_db(db_path)
    names = [m.name for m in migrations.applied(db)]
    assert len(names) == len(set(names)) == len(migrations._migrations)


def test_database_from_a_newer_litwatch_is_refused_untouched(db_path):
    db = store.open_db(db_path)
    db["_sqlite_migrations"].insert({"migration_set": "litwatch", "name": "m999_future", "applied_at": "x"})
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(ConfigError, match="newer litwatch") as info:
        store.open_db(db_path)
    assert info.value.exit_code == 2
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"this is not a database at all, just text" * 10, "not a SQLite database"),
        (b"SQLite format 3\x00" + b"\x00\xff" * 600, "cannot open database"),
    ],
)
def test_non_sqlite_or_corrupt_file_gives_one_line_and_is_not_modified(db_path, content, message):
    db_path.write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        store.open_db(db_path)
    assert db_path.read_bytes() == content


def test_database_in_missing_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        store.open_db(tmp_path / "nope" / "x.db")


def test_a_database_stopped_before_the_newest_migration_upgrades_with_its_rows(db_path):
    """When m002 lands, this test keeps an m001 database with rows upgrading in place."""
    db = sqlite_utils.Database(db_path)
    last = migrations._migrations[-1].name
    if len(migrations._migrations) == 1:
        migrations.apply(db)  # only m001 so far: an m001 database with rows must reopen unchanged
    else:
        migrations.apply(db, stop_before=last)
    db["meta"].insert({"key": "probe", "value": "kept"})
    db.close()
    upgraded = store.open_db(db_path)
    assert store.get_meta(upgraded, "probe") == "kept"
    assert store.schema_version(upgraded) == last


def test_two_processes_opening_a_new_database_at_once_both_succeed(db_path):
    import threading

    errors = []

    def opener():
        try:
            store.open_db(db_path).close()
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sqlite3.connect(db_path).execute("select count(*) from _sqlite_migrations").fetchone()[0] == len(
        migrations._migrations
    )
