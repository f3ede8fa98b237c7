"""Digest and failure emails, sent to a real aiosmtpd server on 127.0.0.1 and read back as it saw them."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from email.utils import parseaddr, parsedate_to_datetime

import pytest
from smtp_server import PASSWORD, SENDER, USER, free_port  # noqa: F401  (the fixture comes from conftest)

from litwatch import __version__
from litwatch.errors import ConfigError, MailError
from litwatch.mail import (
    RecipientsRefused,
    SmtpSettings,
    build_message,
    digest_subject,
    failure_message,
    send,
)
from litwatch.models import Article, Digest, StoredArticle


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A throwaway self-signed certificate for 127.0.0.1 (made with the openssl command)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def server_tls(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def trust_certificate(certificate, monkeypatch):
    """Make ssl.create_default_context() trust the test certificate, as a user's CA bundle would."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


def digest_message(**overrides):
    options = dict(
        subject="litwatch: 1 long-term efficacy, 0 safety (2026-11-16 to 2026-11-23)",
        text="New this week:\n\nEsketamine nasal spray in adolescents — 52-week follow-up\n",
        html="<html><body><h1>New this week</h1><p>Esketamine — 52 weeks</p></body></html>\n",
        sender=SENDER,
        recipients=["Zoë Bär <zoe@example.org>", "team@example.org"],
    )
    return build_message(**(options | overrides))


# --- building and delivering the digest -------------------------------------------------------------


def test_digest_arrives_with_headers_and_both_parts(smtp_server):
    server = smtp_server()
    text = "Neue Studien für Jugendliche — Ketamin, 12 Monate\nZweite Zeile ✓\n"
    html = "<p>Étude à long terme — kétamine ✓</p>\n<p>" + "x" * 3000 + "</p>\n"  # one line past SMTP's 998
    subject = "litwatch: 2 long-term efficacy, 1 safety (2026-11-16 to 2026-11-23) — Jugendliche"
    message = digest_message(subject=subject, text=text, html=html, headers={"List-Id": "litwatch digest"})

    accepted = send(message, server.settings())

    assert accepted == ["zoe@example.org", "team@example.org"]
    [got] = server.handler.received
    assert got.mail_from == "litwatch@watch.example.org"
    assert got.rcpt_tos == ["zoe@example.org", "team@example.org"]
    received = got.message
    assert received["Subject"] == subject
    assert received["From"] == SENDER
    assert received["To"] == "Zoë Bär <zoe@example.org>, team@example.org"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["X-Mailer"] == f"litwatch/{__version__}"
    assert received["List-Id"] == "litwatch digest"
    assert received["Message-ID"].endswith("@watch.example.org>")
    assert parsedate_to_datetime(received["Date"]).tzinfo is not None
    assert received.get_content_type() == "multipart/alternative"
    parts = list(received.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert [p.get_content_charset() for p in parts] == ["utf-8", "utf-8"]
    assert parts[0].get_content().replace("\r\n", "\n") == text
    assert parts[1].get_content().replace("\r\n", "\n") == html
    assert max(len(line) for line in got.content.splitlines()) <= 998


@pytest.mark.parametrize(
    "subject",
    [
        "litwatch: 3 long-term efficacy, 2 safety, 4 other (2026-11-16 to 2026-11-23)",
        "litwatch: 2 long-term efficacy, 1 safety (2026-11-16 to 2026-11-23) — Jugendliche",
        "efficacy, 3 4 other attempts) FAILED safety, efficacy, (NCBI safety, Étude other safety, ✓ efficacy",
        "to litwatch: FAILED after — efficacy, safety, — ✓ to efficacy, ✓ 2026-11-23) ✓ kétamine unreachable",
        "litwatch: weekly run FAILED (cannot read /home/zoë/.config/litwatch/config.toml: permission denied)",
    ],
)
def test_long_subject_round_trips_exactly(smtp_server, subject):
    """Regression: Python's default header folder dropped or doubled spaces next to encoded words."""
    server = smtp_server()
    send(digest_message(subject=subject), server.settings())
    content = server.handler.received[0].content
    assert server.handler.received[0].message["Subject"] == subject
    assert max(len(line) for line in content.splitlines()) <= 78


def test_each_message_gets_its_own_message_id():
    first, second = digest_message(), digest_message()
    assert first["Message-ID"] != second["Message-ID"]


def test_text_only_message_is_a_single_plain_part(smtp_server):
    server = smtp_server()
    send(digest_message(html=None), server.settings())
    received = server.handler.received[0].message
    assert received.get_content_type() == "text/plain"
    assert "Esketamine nasal spray" in received.get_content()


def test_building_without_sender_or_recipients_is_a_config_error():
    with pytest.raises(ConfigError, match="LITWATCH_MAIL_FROM") as caught:
        digest_message(sender="")
    assert caught.value.exit_code == 2
    with pytest.raises(ConfigError, match="recipients"):
        digest_message(recipients=[])


# --- the failure notice -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_good_run", "shown"), [(None, "never"), ("2026-11-16T07:00:02+00:00", "2026-11-16T07:00:02+00:00")]
)
def test_failure_notice_says_what_failed_and_that_nothing_moved(smtp_server, last_good_run, shown):
    server = smtp_server()
    message = failure_message(
        what_failed="NCBI E-utilities unreachable after 4 attempts",
        last_good_run=last_good_run,
        sender=SENDER,
        recipients=["team@example.org"],
        log_hint="/var/log/litwatch/run.log",
    )
    send(message, server.settings())
    received = server.handler.received[0].message
    assert (
        received["Subject"] == "litwatch: weekly run FAILED (NCBI E-utilities unreachable after 4 attempts)"
    )
    assert received["Auto-Submitted"] == "auto-generated"
    body = received.get_content()
    assert "NCBI E-utilities unreachable after 4 attempts" in body
    assert f"Last good run: {shown}" in body
    assert "No digest was sent" in body
    assert "mark did not move" in body
    assert "/var/log/litwatch/run.log" in body


def test_failure_subject_shortens_a_long_error_to_one_line():
    what = "the SMTP server mail.example.org:587 refused the login for user 'x' (535 5.7.8 bad login)\nmore"
    message = failure_message(
        what_failed=what, last_good_run=None, sender=SENDER, recipients=["a@example.org"], log_hint=None
    )
    subject = message["Subject"]
    assert subject.startswith("litwatch: weekly run FAILED (the SMTP server")
    assert subject.endswith("...)")
    assert "\n" not in subject and "more" not in subject
    assert len(subject) < 100
    assert what.splitlines()[0] in message.get_content()


# --- login --------------------------------------------------------------------------------------------


def test_login_with_good_credentials_delivers(smtp_server):
    server = smtp_server(login=True)
    send(digest_message(), server.settings(user=USER, password=PASSWORD))
    assert server.handler.logins == [USER]
    assert server.handler.received[0].authenticated


def test_no_login_without_a_user(smtp_server):
    server = smtp_server(login=True)
    send(digest_message(), server.settings())
    assert server.handler.logins == []
    assert not server.handler.received[0].authenticated


def test_bad_password_is_one_line_without_the_password(smtp_server):
    server = smtp_server(login=True)
    with pytest.raises(MailError) as caught:
        send(digest_message(), server.settings(user=USER, password="wrong-" + PASSWORD))
    line = str(caught.value)
    assert line.startswith(f"SMTP server 127.0.0.1:{server.port} refused the login for user 'reader' (535")
    assert PASSWORD not in line and "wrong-" not in line
    assert "\n" not in line
    assert caught.value.exit_code == 1
    assert server.handler.received == []


def test_non_ascii_password_is_refused_before_connecting():
    settings = SmtpSettings(
        host="127.0.0.1", port=9, security="none", mail_from=SENDER, user=USER, password="pässword"
    )
    with pytest.raises(ConfigError) as caught:
        send(digest_message(), settings)
    assert "pässword" not in str(caught.value)


# --- refusals -----------------------------------------------------------------------------------------


def test_one_refused_recipient_fails_the_send_and_names_it(smtp_server):
    server = smtp_server(refuse=("team@example.org",))
    with pytest.raises(RecipientsRefused) as caught:
        send(digest_message(), server.settings())
    line = str(caught.value)
    assert "team@example.org (550 5.1.1 no such user)" in line
    assert "zoe@example.org" in line  # says who did get it
    assert caught.value.accepted == ["zoe@example.org"]
    assert list(caught.value.refused) == ["team@example.org"]
    assert [r.rcpt_tos for r in server.handler.received] == [["zoe@example.org"]]


def test_all_recipients_refused(smtp_server):
    server = smtp_server(refuse=("team@example.org", "zoe@example.org"))
    with pytest.raises(MailError, match=r"zoe@example\.org \(550.*team@example\.org \(550") as caught:
        send(digest_message(), server.settings())
    assert "nothing was sent" in str(caught.value)
    assert server.handler.received == []


def test_refused_sender(smtp_server):
    server = smtp_server(refuse_sender=True)
    with pytest.raises(MailError, match=r"refused the sender litwatch@watch\.example\.org \(553 5\.7\.1"):
        send(digest_message(), server.settings())


def test_refused_message_data(smtp_server):
    server = smtp_server(refuse_data=True)
    with pytest.raises(MailError, match=r"refused the message \(554 5\.6\.0 message looks like spam\)"):
        send(digest_message(), server.settings())


# --- connections and TLS ------------------------------------------------------------------------------


def test_connection_refused_names_host_and_port():
    with socket.socket() as closed:  # bound but not listening: connecting to it is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none", mail_from=SENDER)
        with pytest.raises(MailError) as caught:
            send(digest_message(), settings)
    assert str(caught.value) == f"cannot connect to SMTP server 127.0.0.1:{port}: Connection refused"


def test_server_that_never_answers_times_out():
    with socket.socket() as silent:  # accepts connections (backlog) but never sends a greeting
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        settings = SmtpSettings(host="127.0.0.1", port=port, security="none", mail_from=SENDER, timeout=0.2)
        with pytest.raises(MailError, match=rf"SMTP server 127\.0\.0\.1:{port} did not answer within 0\.2 s"):
            send(digest_message(), settings)


def test_starttls_not_offered_never_falls_back_to_plaintext(smtp_server):
    server = smtp_server(login=True)
    with pytest.raises(MailError, match="does not offer STARTTLS") as caught:
        send(digest_message(), server.settings(security="starttls", user=USER, password=PASSWORD))
    assert f"127.0.0.1:{server.port}" in str(caught.value)
    assert server.handler.logins == []  # the password never went over the wire
    assert server.handler.received == []


def test_starttls_upgrades_then_logs_in(smtp_server, server_tls, trust_certificate):
    server = smtp_server(login=True, starttls=server_tls)  # AUTH is only offered after STARTTLS
    send(digest_message(), server.settings(security="starttls", user=USER, password=PASSWORD))
    assert server.handler.logins == [USER]
    assert server.handler.received[0].authenticated


def test_implicit_tls(smtp_server, server_tls, trust_certificate):
    server = smtp_server(implicit_tls=server_tls)
    assert send(digest_message(), server.settings(security="ssl")) == ["zoe@example.org", "team@example.org"]
    assert len(server.handler.received) == 1


def test_untrusted_certificate_is_a_mail_error(smtp_server, server_tls):
    server = smtp_server(starttls=server_tls)
    with pytest.raises(MailError, match=rf"TLS certificate of SMTP server 127\.0\.0\.1:{server.port}"):
        send(digest_message(), server.settings(security="starttls"))
    assert server.handler.received == []


def test_ssl_against_a_plaintext_server_is_a_mail_error(smtp_server):
    server = smtp_server()
    with pytest.raises(MailError, match=rf"TLS with SMTP server 127\.0\.0\.1:{server.port} failed"):
        send(digest_message(), server.settings(security="ssl"))


# --- settings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"host": None}, "SMTP host not set: set LITWATCH_SMTP_HOST or smtp.host in the config file"),
        ({"host": "  "}, "SMTP host not set: set LITWATCH_SMTP_HOST or smtp.host in the config file"),
        ({"mail_from": None}, "LITWATCH_MAIL_FROM"),
        ({"security": "tls"}, "unknown SMTP security 'tls'"),
        ({"port": 0}, "not a valid port"),
        ({"user": USER, "password": None}, "no password"),
    ],
)
def test_unusable_settings_are_config_errors_before_connecting(smtp_server, overrides, expected):
    server = smtp_server()
    with pytest.raises(ConfigError) as caught:
        send(digest_message(), server.settings(**overrides))
    assert expected in str(caught.value)
    assert caught.value.exit_code == 2
    assert server.handler.received == []


def test_settings_never_show_the_password():
    settings = SmtpSettings(host="smtp.example.org", user=USER, password=PASSWORD, mail_from=SENDER)
    for shown in (repr(settings), str(settings), f"{settings}", repr([settings])):
        assert PASSWORD not in shown
        assert "password='********'" in shown
        assert "host='smtp.example.org'" in shown
    assert "password=None" in repr(SmtpSettings())
    assert settings.password == PASSWORD


@pytest.mark.parametrize(("security", "port"), [("ssl", 465), ("starttls", 587), ("none", 25)])
def test_default_port_follows_security(security, port):
    assert SmtpSettings(security=security).effective_port == port
    assert SmtpSettings(security=security, port=2525).effective_port == 2525


# --- subject ------------------------------------------------------------------------------------------


def stored(n: int, prefix: str) -> tuple[StoredArticle, ...]:
    return tuple(StoredArticle(article=Article(pmid=f"{prefix}{i}", title=f"Study {i}")) for i in range(n))


@pytest.mark.parametrize(
    ("efficacy", "safety", "other", "expected"),
    [
        (3, 2, 0, "litwatch: 3 long-term efficacy, 2 safety (2026-11-16 to 2026-11-23)"),
        (3, 2, 4, "litwatch: 3 long-term efficacy, 2 safety, 4 other (2026-11-16 to 2026-11-23)"),
        (0, 1, 0, "litwatch: 0 long-term efficacy, 1 safety (2026-11-16 to 2026-11-23)"),
        (0, 0, 0, "litwatch: nothing new (2026-11-16 to 2026-11-23)"),
    ],
)
def test_digest_subject(efficacy, safety, other, expected):
    digest = Digest(
        generated_at="2026-11-23T07:00:05+00:00",
        since="2026-11-16T07:00:01+00:00",
        until="2026-11-23T07:00:04+00:00",
        since_label="last-digest",
        long_term_efficacy=stored(efficacy, "1"),
        safety=stored(safety, "2"),
        other_on_topic=stored(other, "3"),
        excluded={"adult_only": 5},
    )
    assert digest_subject(digest) == expected


def test_envelope_sender_is_taken_from_settings(smtp_server):
    server = smtp_server()
    send(digest_message(), server.settings(mail_from="bounces@watch.example.org"))
    assert server.handler.received[0].mail_from == "bounces@watch.example.org"
    assert parseaddr(server.handler.received[0].message["From"])[1] == "litwatch@watch.example.org"
