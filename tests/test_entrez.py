"""The E-utilities client against a real loopback server: identity, GET/POST, history, retries, body checks, rate limit."""

from __future__ import annotations

import logging
import random
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from records import article_set, record

from litwatch.entrez import POST_THRESHOLD, Client
from litwatch.errors import EntrezError, NCBIQueryError

TERM = '"Ketamine"[Mesh] AND adolescen*[tiab]'
KEY = "k3y-ABCDEF0123456789"


class FakeTime:
    """An injected clock and sleep: sleeping advances the clock and costs no wall time."""

    def __init__(self) -> None:
        self.now = 5000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def new_server():
    """More fake servers with their own options (a fake clock, rate enforcement); closed after the test."""
    # imported here, not at the top: pytest_plugins must load it first (assertion rewriting)
    from fake_eutils import FakeEutils

    made = []

    def make(**kw):
        made.append(FakeEutils(**kw))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def make_client(eutils, fake_time):
    """Clients on the fake server with instant retries and no rate limit unless asked; closed after the test."""
    made = []

    def make(**kw):
        opts = {"rate_limit": 0, "sleep": fake_time.sleep, "clock": fake_time.clock, "rng": random.Random(7)}
        opts.update(kw)
        c = Client(eutils.url, **opts)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def add(eutils, pmids, edat="2026-11-20", term=TERM):
    for p in pmids:
        eutils.add_record(p, record(p, edat=edat), edat=edat, terms=[term])


def pmids_in(xml: bytes) -> list[str]:
    import re

    return re.findall(r"<PMID Version=\"1\">(\d+)</PMID>", xml.decode())


# --- what every request carries ------------------------------------------------------------------------------


def test_every_request_names_the_tool_the_email_and_the_key(eutils, make_client):
    add(eutils, ["1", "2"])
    c = make_client(email="dev@example.org", api_key=KEY, tool="litwatch-test")
    res = c.esearch(TERM)
    c.efetch(res.ids)
    c.efetch_history(res.webenv, res.query_key, 0, 2)
    assert [r.endpoint for r in eutils.requests] == ["esearch", "efetch", "efetch"]
    for r in eutils.requests:
        assert (r.params["tool"], r.params["email"], r.params["api_key"]) == (
            "litwatch-test",
            "dev@example.org",
            KEY,
        )
        assert r.params["db"] == "pubmed"
        assert r.headers["User-Agent"].startswith("litwatch/")
    assert c.requests == 3


def test_without_email_or_key_neither_is_sent(eutils, make_client):
    make_client().esearch(TERM)
    [r] = eutils.requests
    assert r.params["tool"] == "litwatch" and "email" not in r.params and "api_key" not in r.params


def test_the_base_url_comes_from_the_environment_and_gets_its_trailing_slash(eutils, monkeypatch):
    add(eutils, ["1"])
    with Client(rate_limit=0) as c:  # LITWATCH_EUTILS_URL set by the fixture
        assert c.esearch(TERM).ids == ("1",)
    with Client(eutils.url.rstrip("/"), rate_limit=0) as c:
        assert c.esearch(TERM).ids == ("1",)
    assert [r.path for r in eutils.requests] == ["/entrez/eutils/esearch.fcgi"] * 2


def test_long_id_lists_are_posted_with_the_key_only_in_the_body(eutils, make_client):
    ids = [str(1000 + i) for i in range(POST_THRESHOLD + 1)]
    add(eutils, ids)
    c = make_client(api_key=KEY, email="dev@example.org")
    assert pmids_in(c.efetch(ids[:POST_THRESHOLD])) == ids[:POST_THRESHOLD]
    assert pmids_in(c.efetch(ids)) == ids
    get, post = eutils.requests
    assert get.method == "GET" and KEY in get.query
    assert post.method == "POST" and post.query == "" and KEY not in post.query
    assert post.params["api_key"] == KEY and post.params["id"] == ",".join(ids)


def test_a_very_long_search_term_is_posted_too(eutils, make_client):
    term = " OR ".join(f"ketamine{i}[tiab]" for i in range(150))
    add(eutils, ["9"], term=term)
    assert make_client(api_key=KEY).esearch(term).ids == ("9",)
    [r] = eutils.requests
    assert r.method == "POST" and KEY not in r.query and r.params["term"] == term


# --- esearch and history -------------------------------------------------------------------------------------


def test_esearch_by_entrez_date_returns_the_window_newest_first(eutils, make_client):
    add(eutils, ["10"], edat="2026-10-31")
    add(eutils, ["11", "12"], edat="2026-11-01")
    add(eutils, ["13"], edat="2026-11-15")
    add(eutils, ["14"], edat="2026-11-16")
    add(eutils, ["99"], edat="2026-11-05", term="something else")
    res = make_client().esearch(TERM, mindate="2026/11/01", maxdate="2026/11/15")
    assert res.count == 3 and res.ids == ("13", "12", "11")
    assert res.webenv and res.query_key and res.warnings == ()
    r = eutils.requests[0]
    assert (r.params["datetype"], r.params["mindate"], r.params["maxdate"]) == (
        "edat",
        "2026/11/01",
        "2026/11/15",
    )


def test_esearch_pages_by_retstart_and_retmax(eutils, make_client):
    add(eutils, [str(i) for i in range(1, 8)])
    c = make_client()
    first, rest = c.esearch(TERM, retmax=3), c.esearch(TERM, retstart=3, retmax=10)
    assert first.count == rest.count == 7
    assert first.ids + rest.ids == ("7", "6", "5", "4", "3", "2", "1")


def test_history_pages_through_the_whole_search(eutils, make_client):
    ids = [str(500 + i) for i in range(23)]
    add(eutils, ids)
    c = make_client()
    res = c.esearch(TERM, retmax=0)
    assert res.count == 23 and res.ids == ()
    got = []
    for start in range(0, res.count, 10):
        got += pmids_in(c.efetch_history(res.webenv, res.query_key, start, 10))
    assert got == sorted(ids, reverse=True) and eutils.count("efetch") == 3


def test_unknown_and_removed_pmids_are_left_out_silently(eutils, make_client):
    add(eutils, ["1", "2", "3"])
    eutils.remove_record("2")
    c = make_client()
    assert c.esearch(TERM).ids == ("3", "1")
    assert pmids_in(c.efetch(["3", "2", "404", "1"])) == ["3", "1"]
    assert eutils.fetched_pmids() == ["3", "1"]


def test_records_loaded_from_a_file_keep_their_entrez_date(eutils, make_client, tmp_path):
    path = tmp_path / "set.xml"
    path.write_text(
        article_set(record("21", edat="2026-03-02"), record("22", edat="2026-05-09")), encoding="utf-8"
    )
    assert eutils.add_records_from_file(path, terms=[TERM]) == ["21", "22"]
    res = make_client().esearch(TERM, mindate="2026/05/01", maxdate="2026/05/31")
    assert res.ids == ("22",)


def test_warnings_are_surfaced_and_an_empty_search_is_not_one(eutils, make_client):
    add(eutils, ["1"])
    eutils.set_warning(TERM, "adolescen*", kind="phrasesignored")
    eutils.set_warning(TERM, "Wildcard search for 'adolescen*' used only the first 600 variations.")
    c = make_client()
    res = c.esearch(TERM)
    assert res.ids == ("1",)
    assert res.warnings == (
        "phrase ignored: adolescen*",
        "Wildcard search for 'adolescen*' used only the first 600 variations.",
    )
    empty = c.esearch("nothing matches this")
    assert (empty.count, empty.ids, empty.warnings) == (0, (), ())


# --- errors NCBI reports inside HTTP 200 ---------------------------------------------------------------------


def test_an_esearch_error_in_a_200_is_a_query_error_not_zero_results_and_not_retried(eutils, make_client):
    add(eutils, ["1"])
    eutils.fail_next("esearch", "error200", message="Invalid query syntax near 'AND AND'")
    c = make_client()
    with pytest.raises(NCBIQueryError, match="Invalid query syntax near 'AND AND'"):
        c.esearch(TERM)
    assert eutils.count() == 1 == c.requests


def test_a_phrase_not_found_with_no_results_is_a_query_error(eutils, make_client):
    eutils.set_error("ketamine[zz]", "zz", kind="fieldsnotfound")
    with pytest.raises(NCBIQueryError, match="field not found: zz"):
        make_client().esearch("ketamine[zz]")
    assert eutils.count() == 1


def test_asking_past_the_9999th_id_quotes_ncbis_refusal_on_one_line(eutils, make_client):
    add(eutils, ["1"])
    with pytest.raises(NCBIQueryError) as err:
        make_client().esearch(TERM, retstart=9999, retmax=10)
    assert "'retstart' cannot be larger than 9998" in str(err.value) and "\n" not in str(err.value)


def test_an_efetch_error_envelope_is_retried_then_reported_with_ncbis_text(eutils, make_client):
    add(eutils, ["1"])
    eutils.fail_next("efetch", "error200", message="Cannot retrieve history data", times=3)
    c = make_client(max_retries=2)
    with pytest.raises(EntrezError, match="Cannot retrieve history data") as err:
        c.efetch(["1"])
    assert not isinstance(err.value, NCBIQueryError)
    assert eutils.count("efetch") == 3 and eutils.fetched_pmids() == []


# --- retries -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_a_server_error_is_retried_then_succeeds(eutils, make_client, fake_time, code):
    add(eutils, ["1", "2"])
    eutils.fail_next("any", "status", code=code, times=2)
    c = make_client()
    assert c.esearch(TERM).ids == ("2", "1")
    assert c.requests == 3 == eutils.count()
    assert (
        len(fake_time.sleeps) == 2 and fake_time.sleeps[1] > fake_time.sleeps[0] * 0.3
    )  # backoff, with jitter


def test_429_waits_at_least_what_retry_after_asks(eutils, make_client, fake_time):
    add(eutils, ["1"])
    eutils.fail_next("esearch", "status", code=429, retry_after=7)
    res = make_client(api_key=KEY).esearch(TERM)
    assert res.ids == ("1",)
    assert fake_time.sleeps and fake_time.sleeps[0] >= 7
    assert eutils.count() == 2


@pytest.mark.parametrize("endpoint", ["esearch", "efetch"])
@pytest.mark.parametrize("kind", ["drop", "truncate", "html"])
def test_a_broken_answer_is_asked_again_and_never_returned(eutils, make_client, endpoint, kind):
    add(eutils, ["1", "2", "3"])
    eutils.fail_next(endpoint, kind)
    c = make_client()
    res = c.esearch(TERM)
    xml = c.efetch(res.ids)
    assert res.ids == ("3", "2", "1") and pmids_in(xml) == ["3", "2", "1"]
    assert xml.rstrip().endswith(b"</PubmedArticleSet>")
    assert c.requests == 3 and [r.fault for r in eutils.requests].count(kind) == 1
    assert eutils.fetched_pmids() == ["3", "2", "1"]


@pytest.mark.parametrize("endpoint", ["esearch", "efetch"])
def test_a_body_cut_short_with_a_matching_length_is_caught_by_its_content(eutils, make_client, endpoint):
    add(eutils, ["1", "2", "3"])
    eutils.fail_next(endpoint, "truncate", honest=True, times=2)
    c = make_client(max_retries=1)
    with pytest.raises(EntrezError, match="JSON" if endpoint == "esearch" else "cut short"):
        c.esearch(TERM) if endpoint == "esearch" else c.efetch(["1", "2", "3"])
    eutils.fail_next(endpoint, "truncate", honest=True)
    assert c.esearch(TERM).ids == ("3", "2", "1") and pmids_in(c.efetch(["1", "2", "3"])) == ["1", "2", "3"]


def test_an_idlist_shorter_than_the_count_promises_is_not_trusted(eutils, make_client):
    add(eutils, ["1", "2", "3"])
    eutils.fail_next("esearch", "missing", times=2)
    c = make_client(max_retries=1)
    with pytest.raises(EntrezError, match="said 3 records but sent 2 ids"):
        c.esearch(TERM)
    eutils.fail_next("esearch", "missing")
    assert c.esearch(TERM).ids == ("3", "2", "1")


def test_retries_exhausted_raise_one_line_naming_the_call_the_failure_and_the_attempts(eutils, make_client):
    add(eutils, ["1", "2"])
    eutils.fail_next("efetch", "status", code=503, times=10)
    c = make_client(max_retries=3, api_key=KEY)
    with pytest.raises(EntrezError) as err:
        c.efetch(["1", "2"])
    msg = str(err.value)
    assert (
        "efetch of 2 PMIDs" in msg
        and "HTTP 503" in msg
        and "efetch.fcgi" in msg
        and "after 4 attempts" in msg
    )
    assert "\n" not in msg and KEY not in msg
    assert c.requests == 4 == eutils.count()


def test_the_total_retry_time_is_bounded_as_well_as_the_count(eutils, make_client, fake_time):
    eutils.fail_next("esearch", "status", code=502, times=100)
    c = make_client(max_retries=50, max_retry_seconds=20)
    with pytest.raises(EntrezError, match="retry time limit 20 s"):
        c.esearch(TERM)
    assert sum(fake_time.sleeps) <= 20
    assert 3 <= c.requests < 51


def test_a_client_error_is_not_retried_and_the_key_it_echoes_is_masked(eutils, make_client, fake_time):
    eutils.fail_next("esearch", "status", code=400, message="API key invalid")
    c = make_client(api_key=KEY)
    with pytest.raises(EntrezError, match="HTTP 400") as err:
        c.esearch(TERM)
    assert "API key invalid" in str(err.value) and KEY not in str(err.value)
    assert c.requests == 1 and fake_time.sleeps == []


def test_a_server_too_slow_to_answer_times_out_and_is_retried(eutils, make_client):
    add(eutils, ["1"])
    eutils.fail_next("esearch", "slow", delay=1.0)
    c = make_client(timeout=0.2)
    assert c.esearch(TERM).ids == ("1",)
    assert c.requests == 2
    eutils.fail_next("esearch", "slow", delay=1.0, times=2)
    with pytest.raises(EntrezError, match="timed out"):
        make_client(timeout=0.2, max_retries=1).esearch(TERM)


def test_retries_are_logged_as_warnings_without_the_key(eutils, make_client, caplog):
    add(eutils, ["1"])
    eutils.fail_next("esearch", "status", code=503)
    with caplog.at_level(logging.DEBUG):
        make_client(api_key=KEY).esearch(TERM)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "litwatch.entrez"]
    assert len(warnings) == 1 and "HTTP 503" in warnings[0].getMessage()
    assert all(KEY not in r.getMessage() for r in caplog.records)  # httpx logs URLs too: masked


def test_nothing_answering_at_all_is_an_entrez_error(make_client, fake_time):
    c = Client(
        "http://127.0.0.1:9/entrez/eutils/",
        rate_limit=0,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        max_retries=2,
    )
    with pytest.raises(EntrezError, match="after 3 attempts"):
        c.esearch(TERM)
    c.close()


def test_once_the_host_is_found_dead_later_calls_try_once_until_one_gets_through(fake_time):
    """Offline, a cron run with six queries must not spend minutes retrying each one against a dead host."""
    with socket.socket() as probe:  # a port with nothing listening: every connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    c = Client(f"http://127.0.0.1:{port}/", rate_limit=0, sleep=fake_time.sleep, clock=fake_time.clock)
    with pytest.raises(EntrezError, match="after 6 attempts"):
        c.esearch(TERM)
    for _ in range(2):
        with pytest.raises(EntrezError, match="tried once: already unreachable"):
            c.esearch(TERM)
    assert c.requests == 6 + 1 + 1

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'{"esearchresult": {"count": "0", "retmax": "0", "retstart": "0", "idlist": []}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert c.esearch(TERM).count == 0  # the host is back: answered, and the next failure is retried again
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(EntrezError, match="after 6 attempts"):
        c.esearch(TERM)
    c.close()


# --- the process-wide rate limit -----------------------------------------------------------------------------


def test_requests_are_spaced_by_the_rate_limit_shared_by_every_client(new_server, fake_time):
    server = new_server(clock=fake_time.clock)  # stamps each request with the fake clock
    add(server, ["1"])
    a = Client(server.url, sleep=fake_time.sleep, clock=fake_time.clock)
    b = Client(server.url, sleep=fake_time.sleep, clock=fake_time.clock)
    for c in (a, b, a, b, b, a):
        c.esearch(TERM)
    keyed = Client(server.url, api_key=KEY, sleep=fake_time.sleep, clock=fake_time.clock)
    fake_time.now += 10
    for _ in range(4):
        keyed.efetch(["1"])
    for c in (a, b, keyed):
        c.close()
    times = [r.at for r in server.requests]
    plain, fast = times[:6], times[6:]
    assert all(y - x >= 1 / 3 - 1e-9 for x, y in zip(plain, plain[1:], strict=False))
    assert all(y - x >= 1 / 10 - 1e-9 for x, y in zip(fast, fast[1:], strict=False))
    assert plain[-1] - plain[0] < 6 * (1 / 3) and fast[-1] - fast[0] < 4 * (
        1 / 10
    )  # spaced, not slowed further


def test_rate_limit_zero_turns_it_off(eutils, make_client, fake_time):
    c = make_client(rate_limit=0)
    for _ in range(5):
        c.esearch(TERM)
    assert fake_time.sleeps == [] and eutils.count() == 5


def test_the_fake_can_refuse_clients_that_go_too_fast(new_server, fake_time):
    server = new_server(enforce_rate=True)
    with Client(server.url, rate_limit=0, sleep=fake_time.sleep, clock=fake_time.clock, max_retries=0) as c:
        with pytest.raises(EntrezError, match="HTTP 429"):
            for _ in range(5):
                c.esearch(TERM)
    assert server.count() == 4  # three in the first second pass, the fourth is refused


def test_no_test_can_reach_the_network():
    """conftest refuses every name lookup but loopback, so a slip can never call NCBI from CI."""
    import socket

    with pytest.raises(OSError, match="only loopback"):
        socket.create_connection(("eutils.ncbi.nlm.nih.gov", 443), timeout=1)
    with pytest.raises(OSError, match="only loopback"):
        socket.getaddrinfo("8.8.8.8", 53)
