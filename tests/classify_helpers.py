"""Invented records shared by the classifier test files (test_classify*.py)."""

from __future__ import annotations

from litwatch.models import AbstractSection, Article

KETAMINE_TITLE = "Ketamine infusions for treatment-resistant depression"


def article(title: str, *sections: str | tuple[str, str], pmid: str = "1", **fields) -> Article:
    """An Article from a title and abstract paragraphs; a (label, text) pair is a structured section."""
    abstract = tuple(
        AbstractSection(text=s[1], label=s[0]) if isinstance(s, tuple) else AbstractSection(text=s)
        for s in sections
    )
    return Article(pmid=pmid, title=title, abstract=abstract, **fields)


def art(title, *paragraphs, **kw):
    """A short Article (PMID 9) from a title and unlabelled paragraphs; test files import it as `_art`."""
    return Article(pmid="9", title=title, abstract=tuple(AbstractSection(p) for p in paragraphs), **kw)


# an open-label trial with 6-week follow-up and transient harms: long-term efficacy, safety and their reasons
OPEN_LABEL = article(
    "Repeated ketamine infusions for adolescents with treatment-resistant depression: an open-label study",
    ("OBJECTIVE", "To examine the efficacy and tolerability of six ketamine infusions in adolescents."),
    ("METHODS", "Thirteen adolescents aged 12-18 years received ketamine 0.5 mg/kg over 2 weeks."),
    (
        "RESULTS",
        "Five met response criteria; three remained in remission at the 6-week follow-up. Transient "
        "dissociation and raised blood pressure resolved within 2 hours.",
    ),
)
