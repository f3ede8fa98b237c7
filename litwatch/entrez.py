"""NCBI E-utilities over httpx: esearch/efetch with identity, a process-wide rate limit, bounded retries, body checks."""

from __future__ import annotations

import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import httpx

from litwatch import __version__
from litwatch.errors import EntrezError, NCBIQueryError
from litwatch.models import SearchResult

log = logging.getLogger(__name__)

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
ESEARCH_MAX = 9999  # PubMed esearch returns at most the first 9,999 ids of one search
POST_THRESHOLD = 200  # id lists longer than this go in a POST body
# a longer query string (a long saved term) goes in a POST body too, before NCBI answers 414
GET_URL_LIMIT = 1800
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_CAP = 60.0  # seconds: a Retry-After longer than this is not waited for in full
BACKOFF_CAP = 60.0
CONNECT_TIMEOUT = 10.0
# NCBI wants both dates or neither; when a caller gives one, the other is this open end
EARLIEST_DATE, LATEST_DATE = "1781/01/01", "3000/12/31"
EMPTY_SET = b'<?xml version="1.0" ?>\n<PubmedArticleSet></PubmedArticleSet>\n'

_KEY_RE = re.compile(r"(api[_-]key[\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+", re.I)
_XML_HEAD_RE = re.compile(
    rb"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s[^>]*>\s*)?(?:<!--.*?-->\s*)*<PubmedArticleSet[\s/>]",
    re.S,
)
_ERROR_RE = re.compile(rb"<ERROR>(.*?)</ERROR>", re.S)
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.S | re.I)
_NO_ITEMS = {"No items found."}  # NCBI's note on every empty search: not worth a warning


class _Retry(Exception):
    """A failed attempt worth repeating; `wait` is what the server asked for (Retry-After), if anything."""

    def __init__(self, message: str, wait: float | None = None, *, unreachable: bool = False):
        super().__init__(message)
        self.wait = wait
        self.unreachable = (
            unreachable  # no HTTP answer at all (DNS, refused, reset): the host, not this request
        )


class _Fatal(Exception):
    """A failed attempt that repeating will not fix (HTTP 400/404, a bad URL)."""


class _Refused(Exception):
    """NCBI understood the search and refused it (ERROR, phrases or fields not found)."""


class _RateLimiter:
    """Spaces requests from every Client in the process: NCBI counts requests per IP and key, not per object."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clock: Callable[[], float] | None = None
        self._last = 0.0

    def wait(self, rate: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        """Reserve the next slot at least 1/rate after the previous one, then sleep until it (outside the lock)."""
        with self._lock:
            now = clock()
            # times read from another clock (a test's fake one) do not compare with ours: start afresh
            slot = max(now, self._last + 1.0 / rate) if self._clock == clock else now
            self._clock, self._last = clock, slot
        if slot > now:
            sleep(slot - now)


_LIMITER = _RateLimiter()


class _RedactKeys(logging.Filter):
    """httpx logs every request URL at INFO, api_key included: mask it wherever the CLI sends logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key" in message or "api-key" in message:
            record.msg, record.args = _KEY_RE.sub(r"\1***", message), None
        return True


if not any(isinstance(f, _RedactKeys) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(_RedactKeys())


class Client:
    """One keep-alive connection to E-utilities; every call retries within bounds, then raises EntrezError."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        email: str | None = None,
        api_key: str | None = None,
        tool: str = "litwatch",
        timeout: float = 30.0,
        max_retries: int = 5,
        max_retry_seconds: float = 300.0,
        rate_limit: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        url = base_url or os.environ.get("LITWATCH_EUTILS_URL") or DEFAULT_EUTILS_URL
        self.base_url = url.rstrip("/") + "/"
        self.email, self.api_key, self.tool = email or None, api_key or None, tool
        self.rate_limit = (10.0 if self.api_key else 3.0) if rate_limit is None else float(rate_limit)
        self.max_retries, self.max_retry_seconds = max(0, max_retries), max_retry_seconds
        self._sleep, self._clock, self._rng = sleep, clock, rng or random.Random()
        self.requests = 0  # HTTP requests actually sent, retries included
        self._unreachable = False  # the last call gave up on a host that never answered; reset by any answer
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT),
            headers={"User-Agent": f"litwatch/{__version__}"},
        )

    def __repr__(self) -> str:
        return f"Client({self.base_url!r}, api_key={'***' if self.api_key else None})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the calls ------------------------------------------------------------------------------------------

    def esearch(
        self,
        term: str,
        *,
        mindate: str | None = None,
        maxdate: str | None = None,
        datetype: str = "edat",
        retmax: int = ESEARCH_MAX,
        retstart: int = 0,
        usehistory: bool = True,
    ) -> SearchResult:
        """Search PubMed; dates are 'YYYY/MM/DD', both inclusive. An error NCBI reports inside HTTP 200 raises."""
        params = {
            "db": "pubmed",
            "term": term,
            "retmode": "json",
            "retmax": str(retmax),
            "retstart": str(retstart),
        }
        if usehistory:
            params["usehistory"] = "y"
        what = f"esearch for {_short(term)}"
        if mindate or maxdate:
            params.update(datetype=datetype, mindate=mindate or EARLIEST_DATE, maxdate=maxdate or LATEST_DATE)
            what += f" ({datetype} {params['mindate']}..{params['maxdate']})"
        post = len(urlencode(params)) > GET_URL_LIMIT
        return self._call(
            "esearch", params, what, lambda body: _read_esearch(body, retstart, retmax), post=post
        )

    def efetch(self, ids: Sequence[str]) -> bytes:
        """PubMed XML for these PMIDs (unknown ones are left out by NCBI); always a whole PubmedArticleSet."""
        ids = [str(i).strip() for i in ids if str(i).strip()]
        if not ids:
            return EMPTY_SET
        params = {"db": "pubmed", "retmode": "xml", "id": ",".join(ids)}
        what = f"efetch of {len(ids)} PMIDs"
        return self._call("efetch", params, what, _check_pubmed_xml, post=len(ids) > POST_THRESHOLD)

    def efetch_history(self, webenv: str, query_key: str, retstart: int, retmax: int) -> bytes:
        """One page of a search kept on NCBI's history server (esearch with usehistory)."""
        params = {
            "db": "pubmed",
            "retmode": "xml",
            "WebEnv": webenv,
            "query_key": str(query_key),
            "retstart": str(retstart),
            "retmax": str(retmax),
        }
        what = f"efetch of {retmax} records from search history (from #{retstart})"
        return self._call("efetch", params, what, _check_pubmed_xml)

    # --- the machinery --------------------------------------------------------------------------------------

    def _identity(self) -> dict[str, str]:
        out = {"tool": self.tool}
        if self.email:
            out["email"] = self.email
        if self.api_key:
            out["api_key"] = self.api_key
        return out

    def redact(self, text: str) -> str:
        """`text` with the API key masked: it must never reach a log line, an error or the terminal."""
        text = _KEY_RE.sub(r"\1***", text)
        return text.replace(self.api_key, "***") if self.api_key else text

    def _call(self, endpoint: str, params: dict[str, str], what: str, read: Callable, *, post: bool = False):
        """Send with retries (bounded in count and in total time); `read` turns a 200 body into the result."""
        url = f"{self.base_url}{endpoint}.fcgi"
        params = {**params, **self._identity()}
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                result = read(self._send(url, params, post))
                self._unreachable = False
                return result
            except _Retry as exc:
                last = exc
                if exc.unreachable and self._unreachable:  # one try, not minutes of retries, per later call
                    raise EntrezError(
                        self._line(
                            f"{what} failed: {exc} (tried once: already unreachable earlier in this run)"
                        )
                    ) from None
            except _Fatal as exc:
                raise EntrezError(self._line(f"{what} failed: {exc}")) from None
            except _Refused as exc:
                raise NCBIQueryError(self._line(f"{what}: NCBI refused the search: {exc}")) from None
            wait = min(last.wait, RETRY_AFTER_CAP) if last.wait is not None else self._backoff(attempt)
            spent = self._clock() - started
            if attempt > self.max_retries or spent + wait > self.max_retry_seconds:
                self._unreachable = last.unreachable
            if attempt > self.max_retries:
                raise EntrezError(self._line(f"{what} failed: {last} after {attempt} attempts")) from None
            if spent + wait > self.max_retry_seconds:
                raise EntrezError(
                    self._line(
                        f"{what} failed: {last}; gave up after {attempt} attempts in {spent:.0f} s "
                        f"(retry time limit {self.max_retry_seconds:g} s)"
                    )
                ) from None
            log.warning("%s: %s; retrying in %.1f s", what, self.redact(str(last)), wait)
            self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """1, 2, 4, 8 ... seconds with jitter, so many clients hit by one outage do not come back in step."""
        return min(BACKOFF_CAP, 2.0 ** (attempt - 1)) * self._rng.uniform(0.5, 1.5)

    def _send(self, url: str, params: dict[str, str], post: bool) -> bytes:
        if self.rate_limit > 0:
            _LIMITER.wait(self.rate_limit, self._clock, self._sleep)
        self.requests += 1
        started = time.monotonic()
        try:
            if post:  # the key travels in the body, never in a URL that proxies and logs keep
                resp = self._http.post(url, data=params)
            else:
                resp = self._http.get(url, params=params)
        except httpx.ConnectTimeout as exc:
            raise _Retry(f"timed out ({type(exc).__name__}) waiting for {url}", unreachable=True) from None
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({type(exc).__name__}) waiting for {url}") from None
        except httpx.ConnectError as exc:
            why = str(exc) or type(exc).__name__
            raise _Retry(f"connection to {url} failed ({why})", unreachable=True) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.DecodingError) as exc:
            raise _Retry(f"connection to {url} failed ({str(exc) or type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise _Fatal(f"cannot reach {url} ({str(exc) or type(exc).__name__})") from None
        log.debug(
            "%s %s -> HTTP %d, %d bytes in %.2f s",
            "POST" if post else "GET",
            url,
            resp.status_code,
            len(resp.content),
            time.monotonic() - started,
        )
        if resp.status_code == 200:
            return resp.content
        if resp.status_code in RETRY_STATUSES:
            raise _Retry(f"HTTP {resp.status_code} from {url}", wait=_retry_after(resp))
        raise _Fatal(f"HTTP {resp.status_code} from {url}: {_peek(resp.content)}")

    def _line(self, text: str) -> str:
        return " ".join(self.redact(text).split())


# --- reading bodies ------------------------------------------------------------------------------------------


def _read_esearch(body: bytes, retstart: int, retmax: int) -> SearchResult:
    """esearch JSON -> SearchResult; broken bodies are retried, NCBI's own refusals are not."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _Retry(f"esearch answered with something other than JSON ({_peek(body)})") from None
    if not isinstance(data, dict):
        raise _Retry(f"esearch answered with unexpected JSON ({_peek(body)})")
    top = data.get("error") or data.get("ERROR")
    if top:
        if "rate limit" in str(top).lower():
            raise _Retry(f"NCBI: {top}")
        raise _Refused(str(top))
    esr = data.get("esearchresult")
    if not isinstance(esr, dict):
        raise _Retry(f"esearch JSON without an esearchresult ({_peek(body)})")
    if esr.get("ERROR"):
        raise _Refused(str(esr["ERROR"]))
    try:
        count = int(esr["count"])
    except (KeyError, TypeError, ValueError):
        raise _Retry(f"esearch JSON without a numeric count ({_peek(body)})") from None
    ids = esr.get("idlist", [])
    if not isinstance(ids, list) or not all(isinstance(i, str | int) for i in ids):
        raise _Retry("esearch JSON with a malformed idlist")
    errors = _notes(
        esr.get("errorlist"), {"phrasesnotfound": "phrase not found", "fieldsnotfound": "field not found"}
    )
    if errors and count == 0:
        raise _Refused("; ".join(errors))
    warnings = errors + _notes(
        esr.get("warninglist"),
        {
            "phrasesignored": "phrase ignored",
            "quotedphrasesnotfound": "quoted phrase not found",
            "outputmessages": "",
        },
    )
    expected = max(0, min(min(count, ESEARCH_MAX) - retstart, retmax))
    if len(ids) != expected:
        raise _Retry(f"esearch said {count} records but sent {len(ids)} ids where {expected} were due")
    return SearchResult(
        count=count,
        ids=tuple(str(i) for i in ids),
        webenv=esr.get("webenv") or None,
        query_key=str(esr["querykey"]) if esr.get("querykey") not in (None, "") else None,
        query_translation=esr.get("querytranslation") or None,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _notes(block: object, labels: dict[str, str]) -> list[str]:
    """'phrase not found: foo' lines from an errorlist/warninglist block."""
    if not isinstance(block, dict):
        return []
    out = []
    for key, label in labels.items():
        items = block.get(key) or []
        for item in [items] if isinstance(items, str) else items:
            text = str(item).strip()
            if text and text not in _NO_ITEMS:
                out.append(f"{label}: {text}" if label else text)
    return out


def _check_pubmed_xml(body: bytes) -> bytes:
    """Pass a whole PubmedArticleSet through; anything else (error envelope, HTML, empty, cut short) is retried."""
    if not body.strip():
        raise _Retry("efetch answered with an empty body")
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    tail = body[-4096:]
    if m := _ERROR_RE.search(head) or _ERROR_RE.search(tail):
        text = m.group(1).decode("utf-8", "replace").strip()
        raise _Retry(f"NCBI answered with an error: {text}")
    if re.match(rb"\s*(<!DOCTYPE\s+html|<html)", head, re.I):
        title = _TITLE_RE.search(head)
        label = title.group(1).decode("utf-8", "replace").strip() if title else _peek(head)
        raise _Retry(f"efetch answered with an HTML page ({label}) instead of PubMed XML")
    if not _XML_HEAD_RE.match(head):
        raise _Retry(f"efetch answered with something other than a PubmedArticleSet ({_peek(head)})")
    end = body.rstrip()
    if not (end.endswith(b"</PubmedArticleSet>") or re.search(rb"<PubmedArticleSet\s*/>$", end)):
        raise _Retry(f"efetch body is cut short ({len(body)} bytes, no closing </PubmedArticleSet>)")
    return body


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: rare from NCBI, fall back to our own backoff
        return None


def _peek(body: bytes | str, n: int = 80) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return repr(text[:n] + ("..." if len(text) > n else ""))


def _short(term: str, n: int = 70) -> str:
    term = " ".join(term.split())
    return repr(term if len(term) <= n else term[: n - 3] + "...")
