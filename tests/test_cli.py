"""The command line as users and cron meet it: exit codes, one-line errors, pipes, config, overlapping runs."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat

import pytest
from records import ANIMAL_ABSTRACT, SAFETY_ABSTRACT, article_set, record

from litwatch import store
from litwatch.cli import app

TERM = '"Ketamine"[Mesh] AND adolescen*[tiab]'


@pytest.fixture
def qdir(tmp_path):
    d = tmp_path / "queries"
    d.mkdir()
    (d / "core.toml").write_text(f"term = '{TERM}'\ntitle = 'Core'\n", encoding="utf-8")
    return d


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_help_lists_every_command(runner):
    out = runner.invoke(app, ["--help"])
    assert out.exit_code == 0
    for cmd in [
        "run",
        "import",
        "digest",
        "weekly",
        "demo",
        "search",
        "show",
        "export",
        "stats",
        "reclassify",
        "queries",
        "config",
    ]:
        assert cmd in out.stdout


def test_run_fills_the_database_and_prints_a_summary(runner, eutils, qdir, db_path):
    for p in ["101", "102", "103"]:
        eutils.add_record(p, record(p), edat="2026-11-20", terms=[TERM])
    out = runner.invoke(app, ["run", "--queries", str(qdir), "--format", "json"])
    assert out.exit_code == 0, out.stderr
    [summary] = json.loads(out.stdout)
    assert summary["query"] == "core" and summary["status"] == "ok" and summary["new"] == 3
    assert store.open_db(db_path)["articles"].count == 3
    # tool and email reach NCBI
    assert all(r.params.get("tool") == "litwatch" for r in eutils.requests)
    again = runner.invoke(app, ["run", "--queries", str(qdir), "--quiet"])
    assert again.exit_code == 0 and again.stdout == ""


def test_ncbi_email_and_api_key_are_sent_but_never_printed(runner, eutils, qdir, monkeypatch):
    monkeypatch.setenv("NCBI_EMAIL", "me@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "sekrit-key-123")
    eutils.add_record("101", record("101"), edat="2026-11-20", terms=[TERM])
    out = runner.invoke(app, ["run", "--queries", str(qdir)])
    assert out.exit_code == 0, out.stderr
    assert {r.params.get("email") for r in eutils.requests} == {"me@example.org"}
    assert {r.params.get("api_key") for r in eutils.requests} == {"sekrit-key-123"}
    assert "sekrit" not in out.stdout + out.stderr


def test_a_failed_query_exits_1_with_one_line_naming_it(runner, eutils, qdir):
    eutils.set_error(TERM, "Invalid query syntax near [Mesh]")
    out = runner.invoke(app, ["run", "--queries", str(qdir)])
    assert out.exit_code == 1
    line = one_error_line(out)
    assert "query 'core' failed" in line and "Invalid query syntax" in line and "core.toml" in line


def test_unreachable_ncbi_exits_1_with_one_line(runner, qdir, monkeypatch):
    monkeypatch.setenv("LITWATCH_EUTILS_URL", "http://127.0.0.1:9/eutils/")
    monkeypatch.setenv("LITWATCH_MAX_RETRIES", "0")  # no backoff waits in this test
    out = runner.invoke(app, ["run", "--queries", str(qdir)])
    assert out.exit_code == 1
    line = one_error_line(out)
    assert "query 'core' failed" in line and "127.0.0.1:9" in line and "Connection refused" in line


@pytest.mark.parametrize(
    "content, expected",
    [
        ("term = \n", "invalid TOML"),
        ("title = 'x'\n", "missing required field 'term'"),
        ("term = 'x'\ntrem = 'y'\n", "unknown field 'trem'"),
    ],
)
def test_bad_query_files_exit_2_with_one_line_and_touch_no_database(
    runner, tmp_path, db_path, content, expected
):
    d = tmp_path / "q"
    d.mkdir()
    (d / "bad.toml").write_text(content, encoding="utf-8")
    out = runner.invoke(app, ["run", "--queries", str(d)])
    assert out.exit_code == 2
    line = one_error_line(out)
    assert expected in line and "bad.toml" in line
    assert not db_path.exists()


def test_a_queries_folder_without_queries_exit_2(runner, tmp_path, db_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = runner.invoke(app, ["run", "--queries", str(empty)])
    assert out.exit_code == 2 and "no saved queries" in one_error_line(out)
    assert not db_path.exists()


def test_queries_validate_reports_every_problem_and_exits_2(runner, tmp_path):
    d = tmp_path / "q"
    d.mkdir()
    (d / "a.toml").write_text("title = 'x'\n", encoding="utf-8")
    (d / "b.toml").write_text("term = 'x'\nfoo = 1\n", encoding="utf-8")
    out = runner.invoke(app, ["queries", "validate", "--queries", str(d)])
    assert out.exit_code == 2
    assert "a.toml" in out.stderr and "b.toml" in out.stderr


def test_packaged_queries_list_and_validate(runner):
    out = runner.invoke(app, ["queries", "list", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["origin"] == "packaged" and len(doc["queries"]) >= 5
    assert runner.invoke(app, ["queries", "validate"]).exit_code == 0


def test_import_then_export_jsonl(runner, tmp_path):
    f = tmp_path / "export.xml"
    f.write_text(
        article_set(record("1"), record("2", abstract=SAFETY_ABSTRACT), record("3", abstract=ANIMAL_ABSTRACT))
    )
    out = runner.invoke(app, ["import", str(f)])
    assert out.exit_code == 0, out.stderr
    assert "3 new" in out.stdout
    lines = runner.invoke(app, ["export", "--format", "jsonl"]).stdout.splitlines()
    docs = [json.loads(x) for x in lines]
    assert [d["pmid"] for d in docs] == ["1", "2", "3"]
    for d in docs:
        assert {
            "pmid",
            "title",
            "abstract",
            "journal",
            "pub_date",
            "year",
            "doi",
            "pmcid",
            "authors",
            "mesh",
            "publication_types",
            "keywords",
            "queries",
            "first_seen",
            "on_topic",
            "long_term_efficacy",
            "safety",
            "design",
            "population",
            "follow_up_weeks",
            "safety_signals",
            "reasons",
        } <= set(d)
    assert docs[0]["pub_date"] == "2026-11" and docs[0]["doi"] == "10.5555/lw.1"
    assert docs[2]["on_topic"] is False


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"<html><body>Not found</body></html>", "not PubMed XML"),
        (b"pmid,title\n1,foo\n", "not PubMed XML"),
        (b"", "empty"),
    ],
)
def test_import_of_a_non_pubmed_file_is_one_line_exit_2_database_unchanged(
    runner, tmp_path, db_path, content, expected
):
    good = tmp_path / "good.xml"
    good.write_text(article_set(record("1")))
    runner.invoke(app, ["import", str(good)])
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    out = runner.invoke(app, ["import", str(bad)])
    assert out.exit_code == 2
    line = one_error_line(out)
    assert "bad.xml" in line and expected.lower() in line.lower()
    assert store.open_db(db_path)["articles"].count == 1


def test_import_of_a_truncated_file_stores_nothing_from_it(runner, tmp_path, db_path):
    text = article_set(*[record(str(i)) for i in range(1, 40)])
    bad = tmp_path / "cut.xml"
    bad.write_text(text[: len(text) * 2 // 3])
    out = runner.invoke(app, ["import", str(bad)])
    assert out.exit_code == 2 and "cut.xml" in one_error_line(out)
    assert store.open_db(db_path)["articles"].count == 0


def test_missing_import_file_is_a_usage_error(runner, tmp_path):
    out = runner.invoke(app, ["import", str(tmp_path / "nope.xml")])
    assert out.exit_code == 2 and "no such file" in one_error_line(out)


def test_database_from_a_newer_litwatch_exit_2(runner, db_path):
    db = store.open_db(db_path)
    db["_sqlite_migrations"].insert({"migration_set": "litwatch", "name": "m999_x", "applied_at": "x"})
    db.close()
    out = runner.invoke(app, ["digest"])
    assert out.exit_code == 2 and "newer litwatch" in one_error_line(out)


def test_corrupt_database_exit_2(runner, db_path):
    db_path.write_bytes(b"garbage" * 100)
    out = runner.invoke(app, ["stats"])
    assert out.exit_code == 2 and "not a SQLite database" in one_error_line(out)


def test_show_and_stats_before_any_run_say_what_to_do(runner):
    out = runner.invoke(app, ["stats"])
    assert out.exit_code == 2 and "litwatch run" in one_error_line(out)


def _hold(path, ready, release):
    with store.write_lock(path, timeout=0, what="litwatch run"):
        ready.set()
        release.wait(20)


def test_a_second_run_on_a_busy_database_waits_then_exits_1_clearly(runner, qdir, db_path, eutils):
    store.open_db(db_path).close()
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(db_path), ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        out = runner.invoke(app, ["run", "--queries", str(qdir), "--wait", "0.5"])
    finally:
        release.set()
        holder.join(10)
    assert out.exit_code == 1
    line = one_error_line(out)
    assert "busy" in line and "litwatch run" in line and "--wait" in line
    assert eutils.count() == 0


def test_config_show_masks_secrets_and_names_sources(runner, tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[smtp]\nhost = "mail.example.org"\npassword = "hunter2"\n', encoding="utf-8")
    os.chmod(cfg, 0o600)
    monkeypatch.setenv("LITWATCH_CONFIG", str(cfg))
    monkeypatch.setenv("NCBI_API_KEY", "abc123secret")
    out = runner.invoke(app, ["config", "show", "--format", "json"])
    assert out.exit_code == 0, out.stderr
    assert "hunter2" not in out.stdout and "abc123secret" not in out.stdout
    doc = json.loads(out.stdout)
    assert (
        doc["settings"]["smtp_password"] == "********" and doc["settings"]["smtp_host"] == "mail.example.org"
    )
    assert doc["sources"]["api_key"] == "NCBI_API_KEY" and "config.toml" in doc["sources"]["smtp_host"]
    assert out.stderr == ""


def test_a_config_file_with_a_password_readable_by_others_gets_a_warning(runner, tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[smtp]\npassword = "hunter2"\n', encoding="utf-8")
    os.chmod(cfg, 0o644)
    monkeypatch.setenv("LITWATCH_CONFIG", str(cfg))
    out = runner.invoke(app, ["config", "show"])
    assert out.exit_code == 0
    assert "readable by others" in out.stderr and "chmod 600" in out.stderr


def test_env_overrides_the_config_file(runner, tmp_path, monkeypatch):
    cfg = tmp_path / "config.toml"
    cfg.write_text('db = "from-file.db"\n', encoding="utf-8")
    monkeypatch.setenv("LITWATCH_CONFIG", str(cfg))
    doc = json.loads(runner.invoke(app, ["config", "show", "--format", "json"]).stdout)
    assert doc["sources"]["db"] == "LITWATCH_DB"
    monkeypatch.delenv("LITWATCH_DB")
    doc = json.loads(runner.invoke(app, ["config", "show", "--format", "json"]).stdout)
    assert doc["settings"]["db"] == "from-file.db"


@pytest.mark.parametrize(
    "content, expected",
    [
        ("[smtp\n", "invalid TOML"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ('[smtp]\nsecurity = "tls"\n', "security"),
    ],
)
def test_bad_config_file_exit_2_one_line(runner, tmp_path, monkeypatch, content, expected):
    cfg = tmp_path / "config.toml"
    cfg.write_text(content, encoding="utf-8")
    monkeypatch.setenv("LITWATCH_CONFIG", str(cfg))
    out = runner.invoke(app, ["config", "show"])
    assert out.exit_code == 2 and expected in one_error_line(out)


def test_output_has_no_colour_codes_when_piped(runner, eutils, qdir):
    eutils.add_record("101", record("101"), edat="2026-11-20", terms=[TERM])
    out = runner.invoke(
        app, ["run", "--queries", str(qdir)], env={"NO_COLOR": None, "TERM": "xterm-256color"}
    )
    assert out.exit_code == 0
    assert "\x1b[" not in out.stdout + out.stderr


def test_log_file_keeps_one_line_per_run(runner, eutils, qdir, tmp_path):
    log = tmp_path / "litwatch.log"
    eutils.add_record("101", record("101"), edat="2026-11-20", terms=[TERM])
    runner.invoke(app, ["run", "--queries", str(qdir), "--log-file", str(log), "--quiet"])
    runner.invoke(app, ["run", "--queries", str(qdir), "--log-file", str(log), "--quiet"])
    lines = log.read_text().splitlines()
    assert len(lines) == 2
    assert "queries=core new=1 requests=2 outcome=ok" in lines[0]
    assert "new=0 requests=1 outcome=ok" in lines[1]
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_demo_works_offline_and_prints_a_digest(runner):
    out = runner.invoke(app, ["demo", "--format", "text"])
    assert out.exit_code == 0, out.stderr
    assert "Long-term efficacy" in out.stdout and "Safety" in out.stdout
    assert "https://pubmed.ncbi.nlm.nih.gov/" in out.stdout
