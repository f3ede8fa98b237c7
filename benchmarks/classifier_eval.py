"""Precision and recall of the classifier on the labelled evaluation set(s), per split.

Usage: python benchmarks/classifier_eval.py [--json out.json] [FILE.jsonl ...]
(default: every labelled set in tests/data that exists: classifier_eval, dev2, dev3, dev4, test3, test5)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from litwatch.classify import CLASSIFIER_VERSION, classify  # noqa: E402
from litwatch.models import AbstractSection, Article, MeshHeading, MeshQualifier  # noqa: E402

LABELS = ("on_topic", "long_term_efficacy", "safety")
SETS = (
    "classifier_eval.jsonl",
    "classifier_dev2.jsonl",
    "classifier_dev3.jsonl",
    "classifier_dev4.jsonl",
    "classifier_test3.jsonl",
    "classifier_test5.jsonl",
)
DEFAULT_SETS = [ROOT / "tests/data" / name for name in SETS]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_article(rec: dict) -> Article:
    """An evaluation record as the Article litwatch would have parsed from PubMed."""
    abstract = rec.get("abstract") or []
    if isinstance(abstract, str):
        abstract = [{"label": None, "text": abstract}]
    mesh = []
    for m in rec.get("mesh") or []:
        name, *quals = m.split("/") if isinstance(m, str) else [m["descriptor"], *m.get("qualifiers", [])]
        mesh.append(
            MeshHeading(name.strip("* "), qualifiers=tuple(MeshQualifier(q.strip("* ")) for q in quals))
        )
    return Article(
        pmid=str(rec["pmid"]),
        title=rec.get("title") or "",
        abstract=tuple(AbstractSection(a["text"], a.get("label"), a.get("category")) for a in abstract),
        publication_types=tuple(rec.get("publication_types") or ()),
        mesh=tuple(mesh),
        keywords=tuple(rec.get("keywords") or ()),
    )


def evaluate(records: list[dict]) -> dict:
    """{label: {tp, fp, fn, precision, recall}} plus accuracies of design, population and exclusion reason."""
    counts = {label: defaultdict(int) for label in LABELS}
    agree = defaultdict(lambda: [0, 0])
    for rec in records:
        got, want = classify(to_article(rec)), rec["expected"]
        for label in LABELS:
            g, w = getattr(got, label), bool(want[label])
            counts[label]["tp" if g and w else "fp" if g else "fn" if w else "tn"] += 1
        for field in ("design", "population", "excluded"):
            if field in want and (field != "excluded" or not want["on_topic"]):
                agree[field][0] += getattr(got, field) == want[field]
                agree[field][1] += 1
    out = {}
    for label, c in counts.items():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        out[label] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }
    for field, (ok, n) in agree.items():
        out[f"{field}_accuracy"] = ok / n if n else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    records = [r for f in (args.files or [p for p in DEFAULT_SETS if p.exists()]) for r in read_jsonl(f)]
    splits = sorted({r.get("split", "all") for r in records})
    report = {"classifier_version": CLASSIFIER_VERSION}
    for split in [*splits, "all"]:
        chosen = [r for r in records if split == "all" or r.get("split", "all") == split]
        scores = evaluate(chosen)
        report[split] = {"n": len(chosen), **scores}
        print(f"\n{split} ({len(chosen)} records, classifier v{CLASSIFIER_VERSION})")
        print(f"  {'label':<20}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
        for label in LABELS:
            s = scores[label]
            print(
                f"  {label:<20}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>11.2f}{s['recall']:>8.2f}"
            )
        acc = ", ".join(
            f"{k.removesuffix('_accuracy')} {v:.2f}" for k, v in scores.items() if k.endswith("_accuracy")
        )
        print(f"  accuracy: {acc}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
