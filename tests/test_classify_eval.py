"""The classifier against the labelled evaluation set, scored by the evaluator behind the benchmark figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

EVAL_SET = Path(__file__).parent / "data" / "classifier_eval.jsonl"
sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import classifier_eval  # noqa: E402  (the evaluation script: one evaluator for tests and figures)


# --- the labelled evaluation set (written independently of the classifier) ----------------------------------
def test_evaluate_counts_hits_misses_and_false_alarms():
    records = [
        {"pmid": "1", "title": "Ketamine infusions in adolescents with depression: 6-month relapse",
         "abstract": [{"label": None, "text": "Adolescents aged 13-17 with depression received ketamine; relapse "
                       "at 6 months was 20%."}],
         "expected": {"on_topic": True, "long_term_efficacy": True, "safety": True}},
        {"pmid": "2", "title": "Ketamine reduces immobility in adolescent rats",
         "abstract": [{"label": None, "text": "Adolescent rats received ketamine."}],
         "expected": {"on_topic": False, "long_term_efficacy": False, "safety": False}},
    ]  # fmt: skip
    scores = classifier_eval.evaluate(records)
    assert scores["on_topic"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    assert scores["safety"]["fn"] == 1 and scores["safety"]["recall"] == 0.0  # no harms reported: a miss


@pytest.mark.skipif(not EVAL_SET.exists(), reason="tests/data/classifier_eval.jsonl not written yet")
def test_classifier_meets_precision_and_recall_on_the_labelled_set():
    """The whole labelled set (dev + held-out test): precision and recall >= 0.9 for the three labels."""
    scores = classifier_eval.evaluate(classifier_eval.read_jsonl(EVAL_SET))
    table = "\n".join(f"{k}: {v}" for k, v in scores.items() if k in classifier_eval.LABELS)
    for label in classifier_eval.LABELS:
        assert scores[label]["precision"] >= 0.9 and scores[label]["recall"] >= 0.9, table
