"""Unattended weekly runs: fetch, compose and email the digest to a real SMTP server on 127.0.0.1, exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from records import SAFETY_ABSTRACT, record
from smtp_server import PASSWORD, SENDER, USER, free_port

from litwatch import store
from litwatch.cli import app

TERM = "ketamine[tiab] AND adolescen*[tiab]"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()


@pytest.fixture
def setup(tmp_path, monkeypatch, eutils, smtp_server):
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "core.toml").write_text(f"term = '{TERM}'\n", encoding="utf-8")
    monkeypatch.setenv("LITWATCH_QUERIES", str(qdir))
    server = smtp_server()
    monkeypatch.setenv("LITWATCH_SMTP_HOST", server.host)
    monkeypatch.setenv("LITWATCH_SMTP_PORT", str(server.port))
    monkeypatch.setenv("LITWATCH_SMTP_SECURITY", "none")
    monkeypatch.setenv("LITWATCH_MAIL_FROM", SENDER)
    return server


def add(eutils, pmid, title, abstract=None, edat=TODAY):
    kw = {"abstract": abstract} if abstract else {}
    eutils.add_record(pmid, record(pmid, title, edat=edat, **kw), edat=edat, terms=[TERM])


def sent_digests(db_path):
    return list(store.open_db(db_path).query("select * from digests where sent_at is not null"))


def weekly(runner, *extra):
    return runner.invoke(app, ["weekly", "--email-to", "team@example.org", "--quiet", *extra])


def test_weekly_emails_the_new_studies_with_both_parts_and_moves_the_mark(runner, eutils, setup, db_path):
    add(
        eutils, "201", "Six-month outcomes of ketamine infusions in adolescent treatment-resistant depression"
    )
    add(eutils, "202", "Adverse events of esketamine nasal spray in adolescents", SAFETY_ABSTRACT)
    out = weekly(runner)
    assert out.exit_code == 0, out.stderr
    assert out.stdout == "" and out.stderr == ""  # --quiet: nothing on success
    [mail] = setup.handler.received
    msg = mail.message
    assert mail.rcpt_tos == ["team@example.org"]
    assert msg["Subject"].startswith("litwatch: 1 long-term efficacy, 1 safety (")
    assert msg["From"] == SENDER and msg["Auto-Submitted"] == "auto-generated"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Six-month outcomes of ketamine infusions" in part
        assert "Adverse events of esketamine nasal spray" in part
        assert (
            "https://pubmed.ncbi.nlm.nih.gov/201/" in part and "https://pubmed.ncbi.nlm.nih.gov/202/" in part
        )
    [d] = sent_digests(db_path)
    assert d["channel"] == "email" and "team@example.org" in d["recipients"]


def test_two_weekly_runs_the_second_mail_holds_exactly_what_was_added_between(runner, eutils, setup):
    add(eutils, "301", "Maintenance ketamine infusions and relapse in adolescents: 12-month follow-up")
    assert weekly(runner).exit_code == 0
    add(eutils, "302", "Dissociation and blood pressure after esketamine in adolescents", SAFETY_ABSTRACT)
    out = weekly(runner)
    assert out.exit_code == 0, out.stderr
    first, second = setup.handler.received
    first_text = first.message.get_body(("plain",)).get_content()
    second_text = second.message.get_body(("plain",)).get_content()
    assert "pubmed.ncbi.nlm.nih.gov/301/" in first_text and "/302/" not in first_text
    assert "pubmed.ncbi.nlm.nih.gov/302/" in second_text and "/301/" not in second_text


def test_nothing_new_sends_a_short_note_unless_skip_empty(runner, eutils, setup, db_path):
    out = weekly(runner)
    assert out.exit_code == 0, out.stderr
    [note] = setup.handler.received
    assert "nothing new" in note.message["Subject"]
    assert weekly(runner, "--skip-empty").exit_code == 0
    assert len(setup.handler.received) == 1
    assert len(sent_digests(db_path)) == 1


@pytest.mark.parametrize("fault", ["refused_connection", "bad_password", "rejected_recipient"])
def test_a_refused_mail_exits_1_keeps_the_mark_and_the_next_run_sends_it(
    runner, eutils, setup, smtp_server, monkeypatch, db_path, fault
):
    add(eutils, "401", "Ketamine for adolescent depression: six-month durability")
    if fault == "refused_connection":
        monkeypatch.setenv("LITWATCH_SMTP_PORT", str(free_port()))
        expected = "cannot connect"
    elif fault == "bad_password":
        server = smtp_server(login=True)
        monkeypatch.setenv("LITWATCH_SMTP_PORT", str(server.port))
        monkeypatch.setenv("LITWATCH_SMTP_USER", USER)
        monkeypatch.setenv("LITWATCH_SMTP_PASSWORD", "wrong-password")
        expected = "refused the login"
    else:
        server = smtp_server(refuse=("team@example.org",))
        monkeypatch.setenv("LITWATCH_SMTP_PORT", str(server.port))
        expected = "team@example.org"
    out = weekly(runner)
    assert out.exit_code == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in out.stderr
    assert "wrong-password" not in out.stderr
    assert sent_digests(db_path) == []
    # the mail server is fixed: the next run sends the same study
    monkeypatch.setenv("LITWATCH_SMTP_PORT", str(setup.port))
    for name in ("LITWATCH_SMTP_USER", "LITWATCH_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert weekly(runner).exit_code == 0
    [mail] = setup.handler.received
    assert "pubmed.ncbi.nlm.nih.gov/401/" in mail.message.get_body(("plain",)).get_content()


def test_login_with_the_right_password_delivers(runner, eutils, smtp_server, setup, monkeypatch):
    server = smtp_server(login=True)
    monkeypatch.setenv("LITWATCH_SMTP_PORT", str(server.port))
    monkeypatch.setenv("LITWATCH_SMTP_USER", USER)
    monkeypatch.setenv("LITWATCH_SMTP_PASSWORD", PASSWORD)
    assert weekly(runner).exit_code == 0
    assert server.handler.received and server.handler.received[0].authenticated


def test_a_failed_run_sends_a_failure_notice_not_a_digest(runner, eutils, setup, db_path):
    add(eutils, "501", "Ketamine for adolescent depression")
    eutils.set_error(TERM, "Search Backend failed")
    out = weekly(runner)
    assert out.exit_code == 1
    assert "query 'core' failed" in out.stderr and "Search Backend failed" in out.stderr
    [notice] = setup.handler.received
    assert "FAILED" in notice.message["Subject"]
    body = notice.message.get_body(("plain",)).get_content()
    assert "Search Backend failed" in body and "never" in body  # no good run yet
    assert sent_digests(db_path) == []


def test_weekly_without_email_prints_the_digest_and_marks_only_when_asked(runner, eutils, setup, db_path):
    add(eutils, "601", "Ketamine infusions in adolescents: one-year follow-up of remission")
    out = runner.invoke(app, ["weekly", "--format", "text"])
    assert out.exit_code == 0, out.stderr
    assert "pubmed.ncbi.nlm.nih.gov/601/" in out.stdout
    assert sent_digests(db_path) == []
    runner.invoke(app, ["weekly", "--format", "text", "--mark-sent"])
    assert len(sent_digests(db_path)) == 1


def test_digest_email_to_sends_and_marks(runner, eutils, setup, db_path):
    add(eutils, "701", "Ketamine for adolescent depression: six-month durability")
    assert runner.invoke(app, ["run"]).exit_code == 0
    out = runner.invoke(app, ["digest", "--email-to", "a@example.org", "--email-to", "b@example.org"])
    assert out.exit_code == 0, out.stderr
    [mail] = setup.handler.received
    assert sorted(mail.rcpt_tos) == ["a@example.org", "b@example.org"]
    assert "sent 'litwatch:" in out.stderr
    assert len(sent_digests(db_path)) == 1
