"""The classifier's design, protocols, reasons and robustness, on invented records."""

from __future__ import annotations

import pytest
from classify_helpers import KETAMINE_TITLE, OPEN_LABEL, article
from classify_helpers import art as _art

from litwatch.classify import CLASSIFIER_VERSION, classify
from litwatch.models import DESIGNS, EXCLUSION_REASONS, POPULATIONS, AbstractSection, Article, MeshHeading


def quoted(reason: str) -> str:
    return reason.split(': "', 1)[1].rstrip('"')


# --- protocols ----------------------------------------------------------------------------------------------
def test_a_protocol_that_plans_safety_monitoring_reports_no_safety():
    c = classify(
        article(
            "Esketamine for adolescents with depression: protocol for a randomized controlled trial",
            ("BACKGROUND", "Dissociation and abuse potential are concerns with ketamine."),
            (
                "METHODS",
                "Adolescents aged 12-17 years will be randomized to esketamine or midazolam. The primary "
                "outcome is MADRS change at 4 weeks, with a 6-month follow-up. Adverse events will be "
                "monitored.",
            ),
        )
    )
    assert (c.on_topic, c.design, c.evidence_rank) == (True, "protocol", 10)
    assert not c.safety and not c.long_term_efficacy


def test_a_protocol_built_around_relapse_is_long_term_efficacy():
    c = classify(
        article(
            "Maintenance esketamine for relapse prevention in youth with depression",
            "Youth aged 16-25 who respond will be randomized to continue or stop esketamine; the primary "
            "outcome is time to relapse.",
            publication_types=("Clinical Trial Protocol",),
        )
    )
    assert (c.design, c.long_term_efficacy, c.safety) == ("protocol", True, False)
    assert c.reasons["design"] == ("publication type: Clinical Trial Protocol",)


@pytest.mark.parametrize(
    "pilot, signals",
    [
        ("Transient dissociation occurred in 17 of the first 20 participants.", ("dissociation",)),
        ("In the pilot phase, nausea was reported by three participants.", ("nausea",)),
        ("Raised blood pressure in two participants settled without treatment.", ("blood_pressure",)),
        ("Blood pressure and dissociation will be recorded after each infusion.", ()),
    ],
)
def test_a_protocol_reports_safety_only_from_events_that_happened(pilot, signals):
    c = classify(
        article(
            "Ketamine infusions for adolescents with depression: protocol for a randomized trial",
            ("METHODS", "Adolescents aged 13-17 years will be randomized to ketamine or midazolam."),
            ("VANGUARD PHASE", pilot),
            publication_types=("Clinical Trial Protocol",),
        )
    )
    assert (c.design, c.safety_signals, c.safety) == ("protocol", signals, bool(signals))


# --- design -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "publication_types, text, design, source",
    [
        (("Journal Article", "Meta-Analysis", "Systematic Review"), "", "meta_analysis", "publication type"),
        (("Randomized Controlled Trial",), "An open-label extension followed.", "rct", "publication type"),
        (("Case Reports",), "", "case_report", "publication type"),
        (("Review",), "We review trials in which youths were randomized.", "narrative_review", "abstract"),
        (("Review",), "Ketamine has been studied in adolescents.", "narrative_review", "publication type"),
        (("Review",), "A systematic review and meta-analysis of 9 studies.", "meta_analysis", "abstract"),
        (("Clinical Trial",), "Patients were randomized to ketamine or midazolam.", "rct", "abstract"),
        ((), "In this double-blind, placebo-controlled trial, youths were randomized.", "rct", "abstract"),
        ((), "An open-label trial of six infusions.", "open_label_trial", "abstract"),
        ((), "A retrospective chart review of 45 patients.", "cohort", "abstract"),
        ((), "We reviewed the notes of 60 adolescents treated at one clinic.", "cohort", "abstract"),
        ((), "In this uncontrolled cohort of 40 adolescents, outcomes were recorded.", "cohort", "abstract"),
        ((), "We compared 30 consecutive patients with 60 matched admissions.", "cohort", "abstract"),
        ((), "Forty adolescents took part in an uncontrolled study.", "open_label_trial", "abstract"),
        ((), "We describe three adolescents treated with ketamine.", "case_series", "abstract"),
        ((), "We report the case of a 16-year-old girl.", "case_report", "abstract"),
        ((), "We searched four databases following PRISMA.", "systematic_review", "abstract"),
        ((), "Ketamine was given to adolescents with depression.", "other", "no design"),
        ((), "A cross-sectional survey of 300 psychiatrists.", "other", "abstract"),
        ((), "We describe trends in ketamine prescribing in a claims database.", "other", "abstract"),
        ((), "We developed a machine-learning model from health records.", "other", "abstract"),
        ((), "We prospectively followed 87 adolescents after treatment.", "cohort", "abstract"),
        ((), "Rates were compared after adjustment for age and severity.", "cohort", "abstract"),
    ],
)
def test_design_comes_from_publication_types_first_then_text(publication_types, text, design, source):
    c = classify(
        article("Ketamine in adolescents with depression", text, publication_types=publication_types)
    )
    assert c.design == design
    (reason,) = c.reasons["design"]
    assert reason.startswith(source)
    if source == "abstract":
        assert quoted(reason) in text


def test_a_retrospective_review_in_the_title_is_a_cohort_not_a_review():
    c = classify(
        article("Ketamine for depressed adolescents: a retrospective review", "Outcomes were recorded.")
    )
    assert (c.design, c.reasons["design"]) == ("cohort", ('title: "retrospective"',))


@pytest.mark.parametrize(
    "title", ["Ketamine deaths in young people: a review of coroners' records", "A review of 40 case notes"]
)
def test_a_review_of_records_is_not_a_literature_review(title):
    assert classify(article(title, "Ketamine was found in adolescents with depression.")).design == "other"


def test_animal_studies_get_the_animal_design_and_rank():
    c = classify(
        article(
            "Ketamine in juvenile mice",
            "Juvenile C57BL/6 mice received ketamine; immobility in the forced swim test fell.",
            mesh=(MeshHeading("Animals"), MeshHeading("Ketamine")),
        )
    )
    assert (c.design, c.evidence_rank, c.population, c.excluded) == ("animal", 12, "animal", "animal")
    assert c.reasons["excluded"] == ("MeSH: Animals (no Humans)",)


@pytest.mark.parametrize(
    "text, mesh, cohort",
    [
        ("We reviewed all adolescents who received ketamine for depression at two hospitals.", (), True),
        ("We reviewed outcomes for 40 youths treated with esketamine for depression.", (), True),
        ("We report outcomes of a ketamine programme for students with depression.", (), True),
        ("Forty adolescents received ketamine for depression.", ("Retrospective Studies",), True),
        ("Forty adolescents received ketamine for depression.", ("Prospective Studies",), True),
        ("Forty adolescents received ketamine for depression.", (), False),
        ("We reviewed all published trials of ketamine in adolescents with depression.", (), False),
    ],
)
def test_an_uncontrolled_series_of_treated_patients_is_a_cohort(text, mesh, cohort):
    headings = tuple(MeshHeading(m) for m in mesh)
    c = classify(
        _art("Ketamine in adolescents with depression", f"{text} Ages were 13-17 years.", mesh=headings)
    )
    assert (c.design == "cohort") is cohort


# --- reasons ------------------------------------------------------------------------------------------------
def test_every_true_label_has_short_reasons_quoting_the_record():
    c = classify(OPEN_LABEL)
    text = OPEN_LABEL.title + "\n" + OPEN_LABEL.abstract_text
    for label in ("on_topic", "long_term_efficacy", "safety", "design", "population"):
        assert c.reasons[label], label
        for reason in c.reasons[label]:
            assert len(reason) <= 80
            assert reason.split(":")[0] in ("title", "abstract")
            assert quoted(reason) in text
    assert c.reasons["on_topic"][0] == 'title: "ketamine infusions"'


def test_reasons_quote_the_original_characters_of_the_abstract():
    c = classify(article(KETAMINE_TITLE, "We treated 20 patients aged 12\u201317 years."))
    assert c.reasons["population"] == ('abstract: "aged 12\u201317"',)


def test_title_and_abstract_alone_are_enough():
    c = classify(
        article(
            "Esketamine nasal spray for adolescents with suicidal ideation: a randomized trial",
            "Adolescents aged 12-17 years were randomized. Response was sustained through the 6-month "
            "follow-up. Nausea and dizziness were common.",
        )
    )
    assert (c.on_topic, c.long_term_efficacy, c.safety, c.design) == (True, True, True, "rct")
    assert c.follow_up_weeks == 26


# --- robustness ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "record",
    [
        Article(pmid="1", title=""),
        Article(pmid="2", title="", abstract=(AbstractSection(text=""),)),
        Article(
            pmid="3",
            title="\u202e\u200b\U0001f600 k\u00e9tamine \x00 \u2028",
            abstract=(AbstractSection("\ufeff"),),
        ),
        Article(
            pmid="4",
            title="<i>Ketamine</i> &lt; 18 y",
            abstract=(AbstractSection("RESULTS:", label="RESULTS"),),
        ),
        Article(pmid="5", title="Ketamine " * 500, keywords=("", "ketamine"), mesh=(MeshHeading(""),)),
        Article(
            pmid="6", title="Ketamine.", abstract=(AbstractSection("aged 99-1 years 0-0 day 0 week 99999."),)
        ),
    ],
)
def test_classify_never_raises_on_odd_records(record):
    c = classify(record)
    assert c.pmid == record.pmid and c.version == CLASSIFIER_VERSION
    assert c.design in DESIGNS and c.population in POPULATIONS
    assert c.excluded is None or c.excluded in EXCLUSION_REASONS
    assert set(c.reasons) == {"on_topic", "long_term_efficacy", "safety", "design", "population", "excluded"}


def test_inline_markup_is_ignored_and_inline_labels_are_sections():
    c = classify(
        article(
            "<i>Esketamine</i> in adolescents with depression",
            "BACKGROUND: Side effects of <i>ketamine</i> worry clinicians. METHODS: Twenty adolescents aged "
            "13-17 received esketamine. RESULTS: Response at 24 h was 50%.",
        )
    )
    assert c.on_topic and not c.safety
    assert c.reasons["on_topic"][0] == 'title: "Esketamine"'
