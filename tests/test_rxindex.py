"""rxindex gives exactly the matches of `finditer`, only faster: on the classifier's own patterns and odd text."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from litwatch import classify
from litwatch import lexicon as lx
from litwatch.rxindex import Index

DATA = Path(__file__).parent / "data"
PATTERNS = [rx for rx in vars(lx).values() if isinstance(rx, re.Pattern)] + [
    rx for _, rx in lx.DESIGN_PATTERNS + lx.SIGNAL_PATTERNS
]


def _texts() -> list[str]:
    """Every title, section and sentence of the labelled sets, as the classifier sees them (normalised)."""
    out = []
    for path in sorted(DATA.glob("classifier_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            parts = [rec["title"], *(s["text"] for s in rec["abstract"]), *rec.get("keywords", [])]
            for part in parts:
                text = " ".join(part.split())
                out += lx.SENTENCE_END.split(text)  # sentences, as the classifier reads them
    return out


def _key(m: re.Match) -> tuple:
    return m.span(), m[0], m.groupdict(), tuple(g for g in m.groups() if g is not None)


def _same(index: Index, texts: list[str]) -> None:
    for start in range(0, len(texts), 50):  # the index remembers texts until reset, as between two records
        index.reset()
        chunk = texts[start : start + 50]
        for rx in PATTERNS:
            want = [[_key(m) for m in rx.finditer(t)] for t in chunk]
            assert [[_key(m) for m in ms] for ms in index.find_each(rx, chunk)] == want, rx.pattern[:80]
        for t in chunk[::5]:  # the many-patterns-at-once entry point, on a fifth of the texts
            got = index.find_all(PATTERNS, t)
            for rx, ms in zip(PATTERNS, got, strict=True):
                assert [_key(m) for m in ms] == [_key(m) for m in rx.finditer(t)], (rx.pattern[:80], t)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(PATTERNS)


def test_the_classifier_uses_the_index_not_the_plain_fallback():
    assert isinstance(classify._INDEX, Index)


def test_every_pattern_matches_the_same_in_every_labelled_text(index):
    texts = _texts()
    assert len(texts) > 1000
    _same(index, texts)
    _same(index, [t.lower() for t in texts[::8]] + [t.upper() for t in texts[1::8]])


def test_random_text_with_odd_characters_matches_the_same(index):
    """Words from the sets, cut and glued with digits, hyphens, brackets and characters case-folding changes."""
    rng = random.Random(20261128)
    words = sorted({w for t in _texts() for w in t.split()})
    odd = [
        "İ",
        "ı",
        "ſ",
        "K",
        "٣",
        "12-week",
        "6‐month",
        "≥18",
        "(n=12)",
        "day 30",
        "q.d.",
        "—",
        "é",
        "%",
        ";",
        "",
    ]
    texts = []
    for _ in range(800):
        picked = [
            rng.choice(words) if rng.random() < 0.8 else rng.choice(odd) for _ in range(rng.randint(1, 30))
        ]
        picked = [w[: rng.randint(1, len(w))] if w and rng.random() < 0.1 else w for w in picked]
        picked = [w.upper() if rng.random() < 0.05 else w for w in picked]
        texts.append(rng.choice([" ", "  ", "-", ""]).join(picked))
    _same(index, texts)


def test_a_pattern_it_cannot_read_is_run_plainly():
    odd = re.compile(r"(?m)^\s*\w+ed\b|(?<=x)y")  # no literal start at all
    plain = re.compile(r"ketamine")
    index = Index([odd, plain])
    text = "treated well\nxy ketamine, Ketamine"
    assert [m.span() for m in index.find(odd, text)] == [m.span() for m in odd.finditer(text)]
    assert [m.span() for m in index.find(plain, text)] == [(16, 24)]
    unknown = re.compile("rats")  # never given to the index
    assert [m[0] for m in index.find(unknown, "rats and rats")] == ["rats", "rats"]
