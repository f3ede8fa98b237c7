"""A stateful NCBI E-utilities stand-in on 127.0.0.1 (esearch with history, efetch, per-request faults)."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import uuid
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

BASE_PATH = "/entrez/eutils/"
HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)
TAIL = b"</PubmedArticleSet>\n"
RETSTART_ERROR = (
    "Search Backend failed: Exception:\n'retstart' cannot be larger than 9998. For PubMed, ESearch can only "
    "retrieve the first 9,999 records matching the query. To obtain more than 9,999 PubMed records, consider "
    "using EDirect that contains additional logic to batch PubMed search results automatically so that an "
    "arbitrary number can be retrieved. For details see https://www.ncbi.nlm.nih.gov/books/NBK25499/"
)
KINDS = ("status", "drop", "truncate", "slow", "html", "error200", "missing", "badrecord")
_RECORD_RE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)(?:\s[^>]*)?>.*?</\1>", re.S)
_PMID_RE = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")
_ENTREZ_RE = re.compile(
    rb'<PubMedPubDate PubStatus="entrez">\s*<Year>(\d{4})</Year>\s*<Month>(\d{1,2})</Month>\s*<Day>(\d{1,2})</Day>'
)


@dataclass
class Request:
    """One request as the server saw it; `params` merges the query string and the form body."""

    method: str
    path: str
    endpoint: str
    params: dict[str, str]
    query: str  # the raw URL query string (to assert what never travels in a URL)
    headers: dict[str, str]
    at: float  # FakeEutils.clock() when it arrived
    fault: str | None = None


@dataclass
class _Fault:
    kind: str
    times: int
    after: int
    opts: dict = field(default_factory=dict)


def _norm_date(value: str, *, end: bool) -> str:
    """'2026-11-20', '2026/11/20', '2026/11' or '2026' -> 'YYYY/MM/DD' (open ends filled to the first/last day)."""
    parts = re.split(r"[/-]", value.strip())
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 and parts[1] else (12 if end else 1)
    d = int(parts[2]) if len(parts) > 2 and parts[2] else (31 if end else 1)
    return f"{y:04d}/{m:02d}/{d:02d}"


class FakeEutils:
    """esearch.fcgi and efetch.fcgi over real HTTP/1.1 (keep-alive, GET and POST), with queued faults."""

    def __init__(self, *, enforce_rate: bool = False, clock: Callable[[], float] = time.monotonic):
        self.enforce_rate = enforce_rate  # answer 429 above 3 req/s (10 with an api_key), like NCBI
        self.clock = clock
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._records: dict[str, bytes] = {}
        self._edat: dict[str, str] = {}
        self._terms: dict[str, set[str]] = defaultdict(set)
        self._by_date: dict[str, tuple[list[str], list[str]]] = {}  # term -> _term_index, built on use
        self._warnings: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._errors: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._history: dict[tuple[str, str], list[str]] = {}
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._fetched: list[str] = []
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.handle_error = lambda request, address: None  # a client hanging up is not a test failure
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}{BASE_PATH}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    # --- content --------------------------------------------------------------------------------------------

    def add_record(self, pmid: str, xml: str | bytes, *, edat: str, terms: Iterable[str] = ()) -> None:
        """One <PubmedArticle> element, matched by esearch for each exact string in `terms`."""
        data = xml.encode("utf-8") if isinstance(xml, str) else xml
        with self._lock:
            self._records[str(pmid)] = data.strip()
            self._edat[str(pmid)] = _norm_date(edat, end=False)
            for term in terms:
                self._terms[term].add(str(pmid))
            self._by_date.clear()

    def add_records_from_file(
        self, path: str | Path, *, terms: Iterable[str], edat: str | None = None
    ) -> list[str]:
        """Every record of a PubmedArticleSet file; its Entrez date comes from the record, else from `edat`."""
        terms = list(terms)
        added = []
        for m in _RECORD_RE.finditer(Path(path).read_bytes()):
            rec = m.group(0)
            pmid = _PMID_RE.search(rec)
            if not pmid:
                continue
            date = _ENTREZ_RE.search(rec)
            day = "/".join(g.decode() for g in date.groups()) if date else edat
            if day is None:
                raise ValueError(f"{path}: PMID {pmid.group(1).decode()} has no entrez date; pass edat=")
            self.add_record(pmid.group(1).decode(), rec, edat=day, terms=terms)
            added.append(pmid.group(1).decode())
        return added

    def remove_record(self, pmid: str) -> None:
        """A deleted record: no search matches it and efetch leaves it out."""
        with self._lock:
            self._records.pop(pmid, None)
            self._edat.pop(pmid, None)
            for pmids in self._terms.values():
                pmids.discard(pmid)
            self._by_date.clear()

    def set_warning(self, term: str, text: str, kind: str = "outputmessages") -> None:
        """esearch for `term` carries this in its warninglist (phrasesignored, quotedphrasesnotfound, outputmessages)."""
        with self._lock:
            self._warnings[term].append((kind, text))

    def set_error(self, term: str, text: str, kind: str = "phrasesnotfound") -> None:
        """esearch for `term` finds nothing and says why in its errorlist (phrasesnotfound, fieldsnotfound)."""
        with self._lock:
            self._errors[term].append((kind, text))

    # --- faults and the log ---------------------------------------------------------------------------------

    def fail_next(self, endpoint: str, kind: str, *, times: int = 1, after: int = 0, **opts) -> None:
        """The next `times` requests to `endpoint` ('esearch', 'efetch', 'any') fail as `kind`, after `after` good ones.

        status (code=503, retry_after=s) | drop | truncate (honest=True: Content-Length fits the cut) | slow (delay=s)
        | html | error200 (message=) | missing (efetch: pmids=[...], default the last; esearch: one id short)
        | badrecord (pmid=, default the first).
        """
        if endpoint not in ("esearch", "efetch", "any") or kind not in KINDS:
            raise ValueError(f"unknown endpoint/kind {endpoint!r}/{kind!r}")
        with self._lock:
            self._faults[endpoint].append(_Fault(kind, times, after, opts))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, endpoint: str | None = None) -> int:
        return sum(1 for r in self.requests if endpoint is None or r.endpoint == endpoint)

    def fetched_pmids(self) -> list[str]:
        """Every PMID efetch delivered in a complete answer, in order, repeats kept."""
        return list(self._fetched)

    def reset_log(self) -> None:
        """Start a new phase of a test: forget the requests seen, the PMIDs served and any faults still queued."""
        with self._lock:
            self.requests.clear()
            self._fetched.clear()
            self._faults.clear()

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        for conn in list(self._conns):  # idle keep-alive connections: let their threads end
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> FakeEutils:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- serving --------------------------------------------------------------------------------------------

    def _take_fault(self, endpoint: str) -> _Fault | None:
        with self._lock:
            for key in (endpoint, "any"):
                queue = self._faults.get(key)
                if not queue:
                    continue
                head = queue[0]
                if head.after > 0:
                    head.after -= 1
                    return None
                head.times -= 1
                if head.times <= 0:
                    queue.popleft()
                return head
        return None

    def _over_rate(self, params: dict[str, str], client: str) -> bool:
        key = params.get("api_key") or client
        limit = 10 if params.get("api_key") else 3
        now = time.monotonic()
        with self._lock:
            recent = self._recent[key]
            while recent and now - recent[0] >= 1.0:
                recent.popleft()
            recent.append(now)
            return len(recent) > limit

    def _esearch(self, p: dict[str, str], fault: _Fault | None) -> bytes:
        term, retstart = p.get("term", ""), int(p.get("retstart") or 0)
        if fault and fault.kind == "error200":
            return _esearch_json(
                {"ERROR": fault.opts.get("message", "Search Backend failed: Database is not available")}
            )
        if not term.strip():
            return _esearch_json({"ERROR": "Empty term and query_key - nothing todo"})
        if retstart > 9998:
            return _esearch_json({"ERROR": RETSTART_ERROR})
        retmax = min(int(p.get("retmax") or 20), 9999)
        with self._lock:
            errors = list(self._errors.get(term, ()))
            warnings = list(self._warnings.get(term, ()))
            dates, ordered = self._term_index(term)
            first, last = 0, len(ordered)
            if p.get("mindate") and p.get("maxdate"):  # NCBI applies a date range only when given both ends
                first = bisect_left(dates, _norm_date(p["mindate"], end=False))
                last = bisect_right(dates, _norm_date(p["maxdate"], end=True))
            pmids = [] if errors else ordered[first:last][::-1]  # newest first
            result: dict = {"count": str(len(pmids)), "retmax": "0", "retstart": str(retstart)}
            if p.get("usehistory") == "y":
                webenv = "MCID_" + uuid.uuid4().hex[:24]
                self._history[(webenv, "1")] = pmids
                result.update(querykey="1", webenv=webenv)
        page = pmids[:9999][retstart : retstart + retmax]
        if fault and fault.kind == "missing":  # an idlist one short of what count promises
            page = page[:-1]
        result.update(retmax=str(len(page)), idlist=page, translationset=[], querytranslation=term)
        if errors:
            result["errorlist"] = _notes(errors, "phrasesnotfound", "fieldsnotfound")
        if warnings or not pmids:  # NCBI notes every empty search
            notes = warnings + ([("outputmessages", "No items found.")] if not pmids else [])
            result["warninglist"] = _notes(notes, "phrasesignored", "quotedphrasesnotfound", "outputmessages")
        return _esearch_json(result)

    def _term_index(self, term: str) -> tuple[list[str], list[str]]:
        """The term's PMIDs oldest first by (Entrez date, PMID), and their dates: a search is two bisections, not a
        scan of every record (a benchmark serving 100,000 records measures litwatch, not this). Hold the lock."""
        if term not in self._by_date:
            pmids = [x for x in self._terms.get(term, ()) if x in self._records]
            pmids.sort(key=lambda x: (self._edat[x], int(x) if x.isdigit() else 0))
            self._by_date[term] = ([self._edat[x] for x in pmids], pmids)
        return self._by_date[term]

    def _efetch(self, p: dict[str, str], fault: _Fault | None) -> tuple[bytes, list[str]]:
        """The body and the PMIDs it carries."""
        if fault and fault.kind == "error200":
            return _efetch_error(
                fault.opts.get("message", "Cannot process ID list. Please try again later.")
            ), []
        with self._lock:
            if p.get("WebEnv"):
                ids = self._history.get((p["WebEnv"], p.get("query_key", "")))
                if ids is None:
                    return _efetch_error(f"Unable to obtain query #{p.get('query_key', '')}"), []
                start = int(p.get("retstart") or 0)
                ids = ids[start : start + int(p.get("retmax") or 20)]
            else:
                ids = [x.strip() for x in p.get("id", "").split(",") if x.strip()]
            ids = [x for x in dict.fromkeys(ids) if x in self._records]  # unknown ids: left out, as NCBI does
            if fault and fault.kind == "missing" and ids:
                gone = set(fault.opts.get("pmids") or [ids[-1]])
                ids = [x for x in ids if x not in gone]
            bad = (
                str(fault.opts.get("pmid") or ids[0]) if fault and fault.kind == "badrecord" and ids else None
            )
            parts = [_broken_record(x) if x == bad else self._records[x] for x in ids]
        return HEAD + b"\n".join(parts) + b"\n" + TAIL, ids


def _esearch_json(result: dict) -> bytes:
    return json.dumps({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}).encode()


def _notes(pairs: list[tuple[str, str]], *keys: str) -> dict[str, list[str]]:
    """An errorlist/warninglist block: every key present, as NCBI sends them."""
    out: dict[str, list[str]] = {k: [] for k in keys}
    for kind, text in pairs:
        out.setdefault(kind, []).append(text)
    return out


def _efetch_error(text: str) -> bytes:
    return f'<?xml version="1.0" ?>\n<eFetchResult>\n\t<ERROR>{text}</ERROR>\n</eFetchResult>\n'.encode()


def _broken_record(pmid: str) -> bytes:
    """Well-formed XML that is not a usable PubmedArticle: no Article, no PubmedData."""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        f"<Broken/></MedlineCitation></PubmedArticle>"
    ).encode()


_HTML = (
    b"<!DOCTYPE html><html><head><title>NCBI - Service unavailable</title></head><body><h1>Sorry</h1>"
    b"<p>The server is temporarily unable to service your request. Please try again later.</p></body></html>"
)


def _make_handler(fake: FakeEutils) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the client expects
        disable_nagle_algorithm = True  # else every answer waits ~40 ms for a delayed ACK

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def setup(self) -> None:
            super().setup()
            fake._conns.add(self.connection)

        def finish(self) -> None:
            fake._conns.discard(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def do_GET(self) -> None:
            self._serve()

        do_POST = do_GET

        def _serve(self) -> None:
            try:
                self._handle()
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self.close_connection = True

        def _hang_up(self) -> None:
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

        def _send(self, code: int, body: bytes, ctype: str, headers=None, *, pmids=(), cut=None) -> None:
            """Answer; `cut` sends only part of the body (claiming all of it unless honest), then hangs up."""
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            part = body[: max(1, len(body) // 2)] if cut else body
            self.send_header("Content-Length", str(len(part) if cut == "honest" else len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if cut:
                self.send_header("Connection", "close")
            self.end_headers()
            if cut:
                self.wfile.write(part)
                return self._hang_up()
            # the client cannot finish reading before the last byte: log what it gets before sending that byte
            self.wfile.write(body[:-1])
            with fake._lock:
                fake._fetched.extend(pmids)
            try:
                self.wfile.write(body[-1:])
            except OSError:
                with fake._lock:
                    del fake._fetched[len(fake._fetched) - len(pmids) :]
                raise

        def _handle(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            params.update(
                parse_qsl(self.rfile.read(length).decode() if length else "", keep_blank_values=True)
            )
            name = url.path.removeprefix(BASE_PATH) if url.path.startswith(BASE_PATH) else ""
            endpoint = name.removesuffix(".fcgi") if name in ("esearch.fcgi", "efetch.fcgi") else ""
            req = Request(
                self.command, url.path, endpoint, params, url.query, dict(self.headers), fake.clock()
            )
            with fake._lock:
                fake.requests.append(req)
            if not endpoint:
                return self._send(404, b"<html><body>Not Found</body></html>", "text/html")
            if fake.enforce_rate and fake._over_rate(params, self.client_address[0]):
                body = {"error": "API rate limit exceeded", "count": "4", "limit": "3"}
                return self._send(429, json.dumps(body).encode(), "application/json")
            fault = fake._take_fault(endpoint)
            kind = req.fault = fault.kind if fault else None
            if kind == "slow":
                fake._stop.wait(float(fault.opts.get("delay", 1.0)))
                if self._peer_gone():  # it timed out and hung up: nothing was served
                    return self._hang_up()
            if kind == "drop":
                return self._hang_up()
            if kind == "status":
                return self._status(fault, params)
            if kind == "html":
                return self._send(200, _HTML, "text/html; charset=UTF-8")
            cut = ("honest" if fault.opts.get("honest") else "short") if kind == "truncate" else None
            if endpoint == "esearch":
                return self._send(
                    200, fake._esearch(params, fault), "application/json; charset=UTF-8", cut=cut
                )
            body, pmids = fake._efetch(params, fault)
            return self._send(200, body, "text/xml; charset=UTF-8", pmids=pmids, cut=cut)

        def _peer_gone(self) -> bool:
            try:
                return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
            except BlockingIOError:
                return False
            except OSError:
                return True

        def _status(self, fault: _Fault, params: dict[str, str]) -> None:
            code = int(fault.opts.get("code", 503))
            headers = {"Retry-After": str(fault.opts["retry_after"])} if "retry_after" in fault.opts else {}
            if 400 <= code < 500:  # NCBI's JSON errors echo the key back
                text = (
                    "API rate limit exceeded" if code == 429 else fault.opts.get("message", "API key invalid")
                )
                body = {"error": text, "api-key": params.get("api_key", ""), "count": "11", "limit": "10"}
                return self._send(code, json.dumps(body).encode(), "application/json", headers)
            page = f"<html><head><title>{code} Error</title></head><body><h1>{code}</h1></body></html>"
            return self._send(code, page.encode(), "text/html", headers)

    return Handler


@pytest.fixture
def eutils(monkeypatch) -> Iterator[FakeEutils]:
    """A fresh fake E-utilities server; LITWATCH_EUTILS_URL points at it for the test."""
    fake = FakeEutils()
    monkeypatch.setenv("LITWATCH_EUTILS_URL", fake.url)
    yield fake
    fake.close()
