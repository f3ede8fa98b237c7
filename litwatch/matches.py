"""The PMIDs one run matched, held compactly (ints in arrays: 100,000 over three queries fit in ~1.2 MB), and the
efetch batches cut from them."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from litwatch import store
from litwatch.errors import EntrezError

STORED, FETCH, PAGED, FETCHED, NEW = 1, 2, 4, 8, 16  # Matches.state bits


class Matches:
    """Every PMID the live queries matched, once, sorted, as 64-bit ints; per PMID its first query, state bits,
    and a byte per query saying whether that query matched it.

    About 12 bytes a PMID: sets and dicts of str PMIDs (hits, owner, fetched, new) took ~40 MB at 100,000.
    """

    def __init__(self, plans: Sequence):  # ingest's plans: each with .ids, an array of ints
        self.pmids = array("q", sorted(set().union(*(p.ids for p in plans))))
        self.state = bytearray(len(self.pmids))
        self.owner = array("i", [-1]) * len(self.pmids)
        self.member = []
        for j, p in enumerate(plans):
            mine = bytearray(len(self.pmids))
            for x in p.ids:
                i = self.slot(x)
                mine[i] = 1
                if self.owner[i] < 0:
                    self.owner[i] = j
            self.member.append(mine)

    def slot(self, pmid: int | str) -> int | None:
        try:
            x = int(pmid)
        except ValueError:
            return None
        i = bisect_left(self.pmids, x)
        return i if i < len(self.pmids) and self.pmids[i] == x else None

    def matched_by(self, j: int) -> MatchedBy:
        return MatchedBy(self, self.member[j])

    def mark(self, pmids: Iterable[str], bit: int) -> None:
        for pmid in pmids:
            if (i := self.slot(pmid)) is not None:
                self.state[i] |= bit

    def count(self, j: int, bit: int, *, owned: bool = False) -> int:
        """PMIDs query j matched (owned: matched first) with `bit` set."""
        if owned:
            return sum(1 for i, s in enumerate(self.state) if s & bit and self.owner[i] == j)
        return sum(1 for i, s in enumerate(self.state) if s & bit and self.member[j][i])


class MatchedBy:
    """`pmid in matches.matched_by(j)`: did query j match this (str) PMID."""

    def __init__(self, matches: Matches, mine: bytearray):
        self._matches, self._mine = matches, mine

    def __contains__(self, pmid: object) -> bool:
        i = self._matches.slot(pmid)  # type: ignore[arg-type]
        return i is not None and bool(self._mine[i])


def as_pmids(ids: Iterable[str], query: str) -> array:
    try:
        return array("q", map(int, ids))
    except (ValueError, OverflowError):
        raise EntrezError(f"query '{query}': esearch returned an id that is not a PMID") from None


def mark_stored(db: Database, matches: Matches, chunk: int = 900) -> None:
    for start in range(0, len(matches.pmids), chunk):
        matches.mark(store.existing_pmids(db, map(str, matches.pmids[start : start + chunk])), STORED)


def missing(db: Database, matches: Matches, j: int, skipped: set[str], chunk: int = 900) -> list[str]:
    """PMIDs query j matched that are neither stored nor reported unreadable."""
    mine = [str(x) for x, m in zip(matches.pmids, matches.member[j], strict=True) if m]
    out: list[str] = []
    for start in range(0, len(mine), chunk):
        part = mine[start : start + chunk]
        stored = store.existing_pmids(db, part)
        out.extend(x for x in part if x not in stored and x not in skipped)
    return out


def batches(live: Sequence, matches: Matches, size: int) -> list[tuple[array, tuple | None]]:
    """Batches of the PMIDs marked FETCH, ceil(how many / size) of them.

    Full pages of an esearch window whose ids are all missing are read from the history server (no id list to
    upload); every other id, remainders included, goes out in POSTed id lists.
    """
    state = matches.state
    out: list[tuple[array, tuple | None]] = []
    for p in live:
        for webenv, query_key, ids in p.webenvs:
            if not (webenv and query_key and len(ids) >= size):
                continue
            slots = [matches.slot(x) for x in ids]
            if not all(state[i] & FETCH and not state[i] & PAGED for i in slots):
                continue
            full = len(ids) // size * size
            for start in range(0, full, size):
                out.append((ids[start : start + size], (webenv, query_key, start)))
            for i in slots[:full]:
                state[i] |= PAGED
    rest = array("q", (x for x, s in zip(matches.pmids, state, strict=True) if s & FETCH and not s & PAGED))
    out.extend((rest[i : i + size], None) for i in range(0, len(rest), size))
    return out
