"""The classifier's outcomes: follow-up, long-term efficacy, safety and its signals, on invented records."""

from __future__ import annotations

import pytest
from classify_helpers import OPEN_LABEL, article
from classify_helpers import art as _art

from litwatch.classify import classify, extract_follow_up_weeks, find_safety_signals
from litwatch.models import MeshHeading, MeshQualifier

SIGNALS = {
    "dissociation", "psychotomimetic", "blood_pressure", "heart_rate", "nausea", "vomiting", "dizziness",
    "sedation", "headache", "cognition", "urological", "abuse_misuse", "dependence", "suicidality_worsening",
    "death", "hepatotoxicity", "adverse_events_general", "tolerability_general",
}  # fmt: skip


# --- follow-up ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, weeks",
    [
        ("Depressive symptoms were assessed at the 6-month follow-up.", 26),
        ("Participants were treated for 12 weeks.", 12),
        ("Remission persisted at one-year follow-up.", 52),
        ("The primary end point was remission on day 30.", 30 / 7),
        ("Relapse rates over 18 months were low.", 78),
        ("She remained well for two years.", 104),
        ("Response was maintained at 4 wk.", 4),
        ("Outcomes were assessed 6-12 months after the last infusion.", 52),
        ("Scores were collected at 1, 3 and 6 months.", 26),
        ("Assessments took place at weeks 2 and 6.", 6),
        ("Visits at 6- and 12-month follow-up were completed.", 52),
        ("MADRS was measured at 24 hours and on day 7.", 1),
        ("Ketamine reduced MADRS scores within hours.", None),
        ("Adolescents aged 12-17 years took part.", None),
        ("A 16-year-old girl with depression was admitted.", None),
        ("Suicide attempts in the past 12 months were recorded.", None),
        ("Infusions were given once a month and twice weekly.", None),
        ("Patients had failed two adequate antidepressant trials of at least 6 weeks.", None),
        ("Mean duration of illness was 3.5 years.", None),
        ("Scores were rated at week 4, and three months after the last dose.", 13),
        ("Visits took place on day 7, and six weeks later.", 6),
        ("Remission was checked at week 8 and 12 months after baseline.", 52),
        ("Response was rated at month 3, and 2 weeks after the final session.", 13),
        ("", None),
    ],
)
def test_follow_up_weeks_is_the_longest_time_point_stated(text, weeks):
    got = extract_follow_up_weeks(text)
    assert got == (None if weeks is None else pytest.approx(weeks, abs=0.01))


# --- safety signals -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("No serious adverse events occurred.", {"adverse_events_general"}),
        (
            "Transient dissociation and raised blood pressure resolved within 2 hours.",
            {"dissociation", "blood_pressure"},
        ),
        (
            "Nausea, vomiting, dizziness and headache were the most common.",
            {"nausea", "vomiting", "dizziness", "headache"},
        ),
        ("One patient had tachycardia; somnolence was frequent.", {"heart_rate", "sedation"}),
        ("She developed ulcerative cystitis after misuse of esketamine.", {"urological", "abuse_misuse"}),
        ("Hallucinations and perceptual disturbances were rare.", {"psychotomimetic"}),
        ("Neurocognitive performance was unchanged; no dependence emerged.", {"cognition", "dependence"}),
        (
            "Worsening suicidal ideation was seen in one participant, who later died.",
            {"suicidality_worsening", "death"},
        ),
        ("Elevated transaminases suggested hepatotoxicity.", {"hepatotoxicity"}),
        ("Infusions were well tolerated.", {"tolerability_general"}),
        ("One boy felt drowsy and two girls were sleepier than usual.", {"sedation"}),
        ("Three patients described a brief feeling of unreality.", {"dissociation"}),
        ("Pulse and blood pressure stayed within normal limits.", {"heart_rate", "blood_pressure"}),
        ("A psychotic-like reaction settled within an hour.", {"psychotomimetic"}),
        ("Neuropsychological testing showed no decline in attention.", {"cognition"}),
        ("No participant's ideation worsened over the week.", {"suicidality_worsening"}),
        ("Most trials were too short to assess bladder harm or misuse.", set()),
        ("No study was large enough to detect hepatotoxicity.", set()),
        ("Cognitive behavioural therapy was delivered weekly with a safety plan.", set()),
        ("Depressive symptoms improved markedly.", set()),
        ("Two regular users became dependent on the drug.", {"dependence"}),
        ("Working memory was unchanged after eight weeks.", {"cognition"}),
        ("Verbal memory and attention scores did not differ from baseline.", {"cognition"}),
        ("Nobody declined on a brief cognitive screen, though two mentioned memory lapses.", {"cognition"}),
        ("She described feeling detached from her body after each dose.", {"dissociation"}),
        ("A floating sensation faded within the hour.", {"dissociation"}),
        ("He had received ketamine for procedural sedation after a fracture.", set()),
        ("It was once used for sedation before a dental extraction.", set()),
    ],
)
def test_safety_signals_are_found_with_the_phrase_that_matched(text, expected):
    found = find_safety_signals(text)
    assert {signal for signal, _ in found} == expected
    assert all(phrase in text and signal in SIGNALS for signal, phrase in found)


# --- long-term efficacy and safety --------------------------------------------------------------------------
def test_an_open_label_trial_reports_long_term_efficacy_and_safety():
    c = classify(OPEN_LABEL)
    assert (c.on_topic, c.long_term_efficacy, c.safety) == (True, True, True)
    expected = ("open_label_trial", 5, "adolescent", 6)
    assert (c.design, c.evidence_rank, c.population, c.follow_up_weeks) == expected
    assert {"dissociation", "blood_pressure", "tolerability_general"} <= set(c.safety_signals)
    assert 'abstract: "6-week follow-up"' in c.reasons["long_term_efficacy"]


@pytest.mark.parametrize(
    "abstract, lte",
    [
        ("Adolescents with TRD received ketamine. Response at 24 hours was 60% and at day 7 was 35%.", False),
        ("Adolescents with TRD received ketamine. Remission rates at day 28 were 30%.", True),
        ("Adolescents with TRD received maintenance ketamine infusions every 2-4 weeks.", True),
        (
            "Adolescents with TRD received ketamine. Response at 24 h was 60%. The durability of response is "
            "unknown.",
            False,
        ),
        (
            "Adolescents with TRD received ketamine; at 6-month follow-up, urinary symptoms had resolved.",
            False,
        ),
        ("Adolescents with TRD received ketamine. Depressive symptoms stayed low at 3 months.", True),
        ("Adolescents with TRD received ketamine, with rapid but not sustained improvement.", False),
        ("Adolescents with TRD received ketamine; most relapsed within 2 weeks.", False),
        ("Adolescents with TRD received ketamine; 40% relapsed by 6 months.", True),
        (
            "Adolescents with depression received ketamine; response at day 7 was 50%. Cystitis Symptom Index "
            "scores did not change over six months.",
            False,
        ),
        (
            "Adolescents with TRD received ketamine; 50% responded by day 7. Dizziness scores improved by month 2.",
            False,
        ),
        (
            "Adolescents with TRD received ketamine; 50% responded by day 7. Nausea symptoms eased over 8 weeks.",
            False,
        ),
        ("Adolescents with TRD received ketamine. Depression scores improved by month 2; no nausea.", True),
        (
            "Adolescents with TRD received ketamine. No nausea and depression scores improved by month 2.",
            True,
        ),
    ],
)
def test_long_term_efficacy_needs_efficacy_at_four_weeks_or_a_durability_design(abstract, lte):
    assert classify(article("Ketamine in adolescents", abstract)).long_term_efficacy is lte


@pytest.mark.parametrize(
    "abstract, safety",
    [
        ("Adolescents with TRD received ketamine. No serious adverse events occurred.", True),
        ("Adolescents with TRD received ketamine. Response at 24 hours was 60%.", False),
        (
            "Ketamine's dissociative side effects raise concerns in youth. We gave ketamine to 20 "
            "adolescents with TRD; depressive symptoms fell by 40% at day 7.",
            False,
        ),
        (
            "Adolescents with TRD received ketamine, with midazolam as an active placebo for its sedative "
            "effects.",
            False,
        ),
        ("Adolescents with bipolar depression received ketamine; no patient switched to mania.", True),
        (
            "Adolescents with TRD received ketamine; tolerability was good, but long-term safety is unknown.",
            True,
        ),
        ("Adolescents with TRD received ketamine. Its long-term safety remains unknown.", False),
    ],
)
def test_safety_needs_a_finding_not_a_worry_in_the_background(abstract, safety):
    assert classify(article("Ketamine in adolescents", abstract)).safety is safety


def test_mesh_adverse_effects_qualifier_counts_as_safety_evidence():
    mesh = (
        MeshHeading("Ketamine", qualifiers=(MeshQualifier("adverse effects"),)),
        MeshHeading("Adolescent"),
    )
    c = classify(article("Ketamine in adolescents with depression", mesh=mesh))
    assert c.safety and "MeSH: Ketamine/adverse effects" in c.reasons["safety"]


def test_misuse_after_a_prescription_for_depression_is_a_safety_finding_not_recreational_use():
    c = classify(
        _art(
            "Ketamine use disorder in a 20-year-old woman prescribed ketamine for treatment-resistant depression",
            "A 20-year-old woman began escalating her prescribed ketamine doses after six months of treatment.",
            "She developed dissociation and craving; ketamine was tapered.",
        )
    )
    assert c.on_topic and c.safety
    assert {"abuse_misuse", "dependence"} & set(c.safety_signals)


@pytest.mark.parametrize(
    "sentence, safety",
    [
        ("Young people described feeling safe with the staff during esketamine sessions.", False),
        ("Participants said they felt completely safe in the clinic.", False),
        ("A calm room gave patients a sense of safety during dosing.", False),
        ("Esketamine was safe: no serious adverse events occurred.", True),
    ],
)
def test_feeling_safe_is_an_experience_not_a_safety_finding(sentence, safety):
    c = classify(
        _art(
            "Young people's experiences of ketamine treatment for depression: a qualitative study",
            f"We interviewed 15 people aged 16-24 years treated with ketamine for depression. {sentence}",
        )
    )
    assert c.on_topic and c.safety is safety


REALISTIC = [
    (
        "Esketamine nasal spray for adolescents with major depressive disorder at imminent risk for suicide",
        [
            ("IMPORTANCE", "Suicide is a leading cause of death among adolescents."),
            (
                "DESIGN, SETTING, AND PARTICIPANTS",
                "This double-blind trial enrolled 145 adolescents aged 12 to 17.",
            ),
            ("MAIN OUTCOMES AND MEASURES", "MADRS change at 24 hours; secondary outcomes to day 90."),
            ("RESULTS", "The most common adverse events were dysgeusia, nausea and dissociation."),
        ],
        (True, True, True),
    ),
    (
        "Ketamine and esketamine in youth: a clinical review",
        [
            "We summarize evidence for ketamine in adolescents with depression from trials and case series. "
            "Tolerability is acceptable, but evidence for maintenance treatment is limited."
        ],
        (True, False, True),
    ),
    (
        "Effect of intraoperative esketamine on postoperative depressive symptoms in adolescents",
        [
            "Adolescents aged 12-18 having spinal fusion got esketamine or saline at anesthesia "
            "induction. Esketamine reduced depressive symptoms on postoperative day 3 and pain scores."
        ],
        (False, False, False),  # ketamine as part of the anaesthetic: anaesthesia, whatever it measures
    ),
    (
        "Intramuscular ketamine for acute agitation in adolescent psychiatric inpatients",
        ["We reviewed 45 adolescents who received ketamine for severe agitation needing chemical restraint."],
        (False, False, False),
    ),
    (
        "Ketamine-induced cystitis in adolescents: a case series from a paediatric urology clinic",
        ["We describe five adolescents aged 15-18 with cystitis after recreational ketamine use at parties."],
        (False, False, False),
    ),
    (
        "Esketamine misuse in an adolescent with treatment-resistant depression",
        [
            "A 17-year-old boy prescribed esketamine nasal spray took extra doses and developed dependence. "
            "After a switch to ECT his mood stabilised over 3 months."
        ],
        (True, True, True),
    ),
    (
        "Six-month outcomes after esketamine in adolescents with depression: an observational follow-up",
        ["Forty adolescents aged 13-17 years were followed. At 6 months, 45% remained in remission."],
        (True, True, False),
    ),
    (
        "Ketamine for depression in older adults: a case series",
        ["We report five patients aged 65-82 years with late-life depression treated with ketamine."],
        (False, False, False),
    ),
]


@pytest.mark.parametrize("title, abstract, expected", REALISTIC)
def test_records_worded_like_pubmed_abstracts(title, abstract, expected):
    c = classify(article(title, *abstract))
    assert (c.on_topic, c.long_term_efficacy, c.safety) == expected
