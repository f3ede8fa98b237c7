"""The classifier: topic, long-term efficacy, safety, design and population, on invented records."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from litwatch.classify import CLASSIFIER_VERSION, classify, extract_follow_up_weeks, find_safety_signals
from litwatch.models import (
    DESIGNS,
    EXCLUSION_REASONS,
    POPULATIONS,
    AbstractSection,
    Article,
    MeshHeading,
    MeshQualifier,
)

EVAL_SET = Path(__file__).parent / "data" / "classifier_eval.jsonl"
sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import classifier_eval  # noqa: E402  (the evaluation script: one evaluator for tests and figures)

LABELS = ("on_topic", "long_term_efficacy", "safety")
SIGNALS = {
    "dissociation", "psychotomimetic", "blood_pressure", "heart_rate", "nausea", "vomiting", "dizziness",
    "sedation", "headache", "cognition", "urological", "abuse_misuse", "dependence", "suicidality_worsening",
    "death", "hepatotoxicity", "adverse_events_general", "tolerability_general",
}  # fmt: skip


def article(title: str, *sections: str | tuple[str, str], pmid: str = "1", **fields) -> Article:
    """An Article from a title and abstract paragraphs; a (label, text) pair is a structured section."""
    abstract = tuple(
        AbstractSection(text=s[1], label=s[0]) if isinstance(s, tuple) else AbstractSection(text=s)
        for s in sections
    )
    return Article(pmid=pmid, title=title, abstract=abstract, **fields)


def quoted(reason: str) -> str:
    return reason.split(': "', 1)[1].rstrip('"')


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


# --- population from ages and words -------------------------------------------------------------------------
KETAMINE_TITLE = "Ketamine infusions for treatment-resistant depression"


@pytest.mark.parametrize(
    "sentence, population",
    [
        ("We treated 20 patients aged 12-17 years.", "adolescent"),
        ("We treated 20 patients aged 13 to 17 years.", "adolescent"),
        ("We treated 20 patients aged 14 to 24 years.", "youth_mixed"),
        ("We treated 20 young adults aged 18-25 years.", "youth_mixed"),
        ("We treated 20 patients aged 8-11 years.", "child"),
        ("We treated 200 patients aged 16-65 years.", "mixed_all_ages"),
        ("We treated 200 patients aged 18-65 years.", "adult"),
        ("We treated 200 patients 18 years or older.", "adult"),
        ("We treated 20 patients younger than 18 years.", "adolescent"),
        ("We treated 20 patients; mean age 15.6 years.", "adolescent"),
        ("We report a 22-year-old woman.", "youth_mixed"),
        ("We treated 20 transitional-age youth.", "youth_mixed"),
        ("We treated 20 adolescents.", "adolescent"),
        ("We treated 40 adults. Future trials in adolescents are needed.", "adult"),
        ("We treated 40 patients.", "unknown"),
        ("We treated 30 patients aged 5 to 17 years; those younger than 12 were few.", "child"),
        ("We treated 30 adolescents aged 13-17 years, advised by a young people's panel.", "adolescent"),
        ("We treated 30 students aged 16 to 26 years.", "youth_mixed"),
        ("We treated 20 patients aged 13-17 years; remission was a CDRS-R of 28 or below.", "adolescent"),
        ("We treated 20 patients aged 14-17 years; response was a score of 20 or above.", "adolescent"),
        ("We treated 150 patients aged 22 to 71 years; no one younger than 18 was treated.", "adult"),
        ("We treated 150 patients aged 20-60 years; none were under the age of 18.", "adult"),
        ("We treated 30 children and adolescents aged 10 to 17 years.", "child"),
        ("We treated 30 children aged 11-16 years.", "child"),
        ("We treated 30 adolescents aged 11 to 18 years.", "adolescent"),
        ("Teenagers treated at ages 15 and 17 were seen again at age 24.", "youth_mixed"),
    ],
)
def test_population_is_decided_from_stated_ages_then_words(sentence, population):
    c = classify(article(KETAMINE_TITLE, sentence))
    assert c.population == population
    assert c.on_topic is (population in ("adolescent", "child", "youth_mixed", "mixed_all_ages"))


def test_mesh_age_groups_decide_only_when_the_text_says_nothing():
    mesh = tuple(MeshHeading(d) for d in ("Humans", "Ketamine", "Adolescent", "Depressive Disorder, Major"))
    assert classify(article("Ketamine for depression", mesh=mesh)).population == "adolescent"
    stated = article("Ketamine for depression", "We treated 30 patients aged 18-64 years.", mesh=mesh)
    assert classify(stated).population == "adult"


def test_ages_in_the_title_name_the_population_not_the_comparison_group():
    c = classify(
        article(
            "Esketamine adverse event reports in patients aged 12 to 24 years with depression",
            "Reports for patients aged 12 to 24 years were compared with reports for those aged 25 or over.",
        )
    )
    assert (c.on_topic, c.population) == (True, "youth_mixed")


@pytest.mark.parametrize(
    "title, abstract, population",
    [
        (
            "Ketamine for adolescent depression: promise and safeguards",
            "Ketamine is misused by adolescents and young adults. We review trials in teenagers.",
            "adolescent",
        ),
        (
            "Ketamine for depressed children: a review",
            "Young adults and teenagers use ketamine at parties; we review the treatment of children.",
            "child",
        ),
        (
            "Ketamine for depression: a review",
            "We review trials of ketamine in adolescents and young adults.",
            "youth_mixed",
        ),
    ],
)
def test_without_ages_the_young_people_named_in_the_title_are_the_population(title, abstract, population):
    assert classify(article(title, abstract)).population == population


def test_an_adult_study_that_enrolled_some_young_adults_is_adult_only():
    adult = article(
        "Ketamine clinics for adults with treatment-resistant depression: a review",
        "Some of the trials we summarise enrolled patients aged 18 to 25 years.",
    )
    c = classify(adult)
    assert (c.on_topic, c.population, c.excluded) == (False, "adult", "adult_only")
    young = article("Ketamine for depression in young adults", "We treated patients aged 18 to 25 years.")
    assert (classify(young).on_topic, classify(young).population) == (True, "youth_mixed")


# --- confusers ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, abstract, reason",
    [
        (
            "Ketamine reverses depressive-like behaviour in adolescent rats",
            "Adolescent male Sprague-Dawley rats (postnatal day 30) received ketamine after chronic stress.",
            "animal",
        ),
        (
            "Esketamine in adults with treatment-resistant depression",
            "Patients aged 18-65 years were randomized to esketamine or placebo; response at day 28 was "
            "higher.",
            "adult_only",
        ),
        (
            "Intranasal ketamine for procedural sedation in the pediatric emergency department",
            "Children aged 2-12 years received ketamine for fracture reduction; vomiting occurred in 8%.",
            "anaesthesia_or_analgesia",
        ),
        (
            "Esketamine premedication and preoperative anxiety in children",
            "Children aged 3-7 years received esketamine before induction of anaesthesia; respiratory "
            "depression did not occur.",
            "anaesthesia_or_analgesia",
        ),
        (
            "Trends in nonmedical ketamine use among adolescents: a national survey",
            "Past-year ketamine use among high school students was associated with depressive symptoms.",
            "recreational_use",
        ),
        (
            "Fluoxetine versus cognitive behavioural therapy for adolescent depression",
            "Rapid-acting drugs such as ketamine attract interest. We randomized 200 adolescents aged 13-17 "
            "with depression to fluoxetine or CBT for 12 weeks.",
            "other_treatment",
        ),
        (
            "Ketamine for asthma exacerbations in children",
            "Forty children aged 5-12 years with status asthmaticus received ketamine infusions.",
            "not_psychiatric",
        ),
        (
            "Ketamine infusion for seizures that persist in the paediatric intensive care unit",
            "Thirty children aged 1-15 years whose seizures continued after two drugs received ketamine; "
            "seizures stopped in 60%, and one child was intubated.",
            "not_psychiatric",
        ),
        (
            "Ketamine in a paediatric intensive care unit: a cohort",
            "Children aged 3-16 years with acute severe asthma received ketamine. Asthma scores fell, and "
            "intubation was rare. Asthma admissions were shorter. A few parents reported anxiety afterwards.",
            "not_psychiatric",
        ),
        (
            "Ketamine sedation for electroencephalography in children with epilepsy",
            "Children aged 2-10 years with epilepsy received intranasal ketamine before the recording.",
            "anaesthesia_or_analgesia",
        ),
        (
            "Ketamine poisoning in teenagers presenting to emergency departments",
            "Emergency visits for ketamine intoxication among adolescents aged 13-19 years rose each year.",
            "recreational_use",
        ),
        (
            "Bladder damage in young people after non-medical ketamine use: a case series",
            "We describe 12 patients aged 17 to 24 years with years of non-medical ketamine use and painful "
            "cystitis; several also had depression.",
            "recreational_use",
        ),
        (
            "Nitrous oxide inhalation for adolescents with treatment-resistant depression",
            "Nitrous oxide, like ketamine, blocks NMDA receptors. We randomized 40 adolescents aged 14-18 "
            "years to nitrous oxide or air; response at week 4 favoured nitrous oxide, which may prove "
            "simpler to deliver than ketamine.",
            "other_treatment",
        ),
        (
            "Theta-burst stimulation versus ketamine-naive usual care for suicidal adolescents",
            "We randomized 60 adolescents aged 13-17 years, none of whom had received ketamine, to "
            "theta-burst stimulation or usual care. Ketamine was not offered in either arm. Suicidal ideation "
            "fell more with stimulation at 8 weeks.",
            "other_treatment",
        ),
        (
            "Lithium for adolescents with bipolar depression: a one-year cohort",
            "We followed 80 adolescents aged 13-18 years for 12 months. Those previously given ketamine "
            "were excluded. Unlike ketamine, lithium acted slowly.",
            "other_treatment",
        ),
        ("Prevalence of depression among adolescents", "We surveyed 3000 high school students.", "off_topic"),
        (
            "Perioperative esketamine and postoperative sleep, anxiety and mood in adolescents having surgery",
            "Adolescents aged 12-18 years were randomized to esketamine or saline during surgery; anxiety and "
            "depressive symptoms were rated on day 30.",
            "anaesthesia_or_analgesia",
        ),
        (
            "Depressive symptoms one month after spinal fusion in adolescents: a randomized trial",
            "Adolescents aged 12-17 years received ketamine at induction of anaesthesia or saline; depression "
            "scores were lower at one month with ketamine.",
            "anaesthesia_or_analgesia",
        ),
        (
            "Mood and anxiety after tonsillectomy in children",
            "Children aged 4-10 years were anaesthetised with sevoflurane and ketamine; anxiety and mood were "
            "rated a week later.",
            "anaesthesia_or_analgesia",
        ),
        (
            "Bright light therapy for adolescent inpatients with depression: an open-label pilot study",
            "Ketamine has raised hopes for fast-acting treatment. Twenty adolescents aged 13-17 with depression "
            "received light therapy for four weeks; 11 responded at week 4. A trial comparing light therapy "
            "with ketamine is planned.",
            "other_treatment",
        ),
        (
            "Exercise for depressed teenagers: a randomized trial",
            "Interest in ketamine shows the need for rapid treatments. We randomized 60 adolescents aged 13-18 "
            "with depression to exercise or usual care; depression scores fell more with exercise at week 12. "
            "We will compare exercise with ketamine next.",
            "other_treatment",
        ),
        (
            "Ketamine-related deaths among young people aged 15-24 years",
            "We reviewed coroners' records of deaths in which ketamine was detected. Most involved polysubstance "
            "use; one person had been prescribed ketamine for depression.",
            "recreational_use",
        ),
        (
            "Ketamine in adolescents with depression who died: post-mortem toxicology",
            "Post-mortem samples from 40 adolescents with depression were tested; ketamine was found with "
            "other drugs, and harm reduction advice is discussed. Three had a prescription.",
            "recreational_use",
        ),
        (
            "Ketamine for status dystonicus in children",
            "Seven children aged 4-15 years with dystonia received a ketamine infusion to avoid intubation; "
            "dystonia improved in five, and one was anxious during weaning.",
            "not_psychiatric",
        ),
        (
            "A bibliometric analysis of ketamine research on anaesthesia and depression",
            "We counted publications on ketamine for anaesthesia, pain and depression, including adolescents.",
            "off_topic",
        ),
    ],
)
def test_each_confuser_is_excluded_with_its_reason(title, abstract, reason):
    c = classify(article(title, abstract))
    assert (c.on_topic, c.excluded) == (False, reason)
    assert c.reasons["excluded"] and not c.reasons["on_topic"]
    assert not (c.long_term_efficacy or c.safety or c.safety_signals)


@pytest.mark.parametrize(
    "title, abstract",
    [
        (
            "Ketamine anaesthesia for electroconvulsive therapy in adolescents with depression",
            "Forty adolescents with major depression undergoing ECT were randomized to ketamine or propofol "
            "anaesthesia; depressive symptoms improved in both groups.",
        ),
        (
            "Esketamine-associated cystitis in an adolescent with depression",
            "A 16-year-old girl treated with prescribed esketamine nasal spray for depression began "
            "recreational use of extra doses and developed cystitis.",
        ),
        (
            "Intranasal ketamine for social withdrawal in autism: a pilot trial",
            "Twenty outpatients aged 12-30 years with autism spectrum disorder received ketamine or saline.",
        ),
        (
            "Ketamine for adolescent depression: a narrative review",
            "We review open-label trials and case series of ketamine in youth with depression.",
        ),
        (
            "A single rapid-acting infusion for suicidal adolescents: a randomized trial",
            "Adolescents aged 13-17 years who had not responded to two antidepressants received ketamine or "
            "midazolam. Ideation fell more after ketamine than after midazolam.",
        ),
        (
            "Ketamine for depression in adolescents with epilepsy",
            "Twelve adolescents aged 13-18 years with epilepsy and depression received ketamine; seizures "
            "did not increase and seizure control was unchanged.",
        ),
    ],
)
def test_psychiatric_uses_that_look_like_confusers_stay_on_topic(title, abstract):
    c = classify(article(title, abstract))
    assert c.on_topic and c.excluded is None


# --- long-term efficacy and safety --------------------------------------------------------------------------
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


def _art(title, *paragraphs, **kw):
    return Article(pmid="9", title=title, abstract=tuple(AbstractSection(p) for p in paragraphs), **kw)


def test_another_treatment_in_the_title_with_ketamine_as_an_aside_is_other_treatment():
    c = classify(
        _art(
            "Fluoxetine plus family therapy for depressed teenagers: a 24-week randomized trial",
            "We randomized 140 adolescents aged 13-17 years with major depression to fluoxetine or placebo.",
            "Remission at week 24 was higher with fluoxetine. Unlike ketamine, fluoxetine acts slowly.",
        )
    )
    assert not c.on_topic and c.excluded == "other_treatment"
    assert any("passing" in r for r in c.reasons["excluded"])


def test_a_ketamine_comparator_named_in_the_title_stays_on_topic():
    c = classify(
        _art(
            "Ketamine versus electroconvulsive therapy for adolescents with treatment-resistant depression",
            "Adolescents aged 14-18 years were randomized to six ketamine infusions or ECT.",
            "Response at 12 weeks was similar; ketamine caused transient dissociation.",
        )
    )
    assert c.on_topic


def test_laboratory_work_on_cells_is_off_topic_even_with_adolescent_donors():
    c = classify(
        _art(
            "Esketamine increases synaptic proteins in iPSC-derived neurons from adolescents with depression",
            "Induced pluripotent stem cells from eight adolescents aged 15-17 years with depression were "
            "differentiated into neurons and exposed to esketamine in vitro.",
        )
    )
    assert not c.on_topic and c.excluded == "off_topic"
    assert c.reasons["excluded"][0].startswith("laboratory study")
    assert c.population == "unknown"  # cells were treated, not the donors


def test_in_laboratory_work_the_people_given_a_dose_are_the_population():
    c = classify(
        _art(
            "Ketamine metabolites in plasma by mass spectrometry: a method for adolescent and adult studies",
            "Plasma was collected from 10 healthy adult volunteers who received one ketamine infusion.",
        )
    )
    assert (c.on_topic, c.excluded, c.population) == (False, "off_topic", "adult")


def test_an_analytical_method_paper_is_off_topic():
    c = classify(
        _art(
            "An LC-MS/MS assay for ketamine and its metabolites in plasma of adolescents treated for depression",
            "Plasma from adolescents receiving ketamine infusions for depression was analysed.",
        )
    )
    assert not c.on_topic


def test_a_national_survey_of_psychiatrists_about_ketamine_for_youth_depression_is_not_recreational():
    c = classify(
        _art(
            "Prescribing ketamine for adolescent depression: a national survey of child psychiatrists",
            "We surveyed 412 child and adolescent psychiatrists about ketamine treatment of adolescents aged "
            "12-17 years with treatment-resistant depression.",
        )
    )
    assert c.excluded != "recreational_use"


def test_ketamine_in_one_sentence_of_an_epidemiology_study_is_only_in_passing():
    c = classify(
        _art(
            "Incidence of bipolar depression among adolescents: a registry cohort study",
            "We followed 90,000 adolescents aged 12-17 years in national registers for ten years.",
            "Incidence rose from 2010 to 2020. Newer options such as esketamine were rarely prescribed.",
        )
    )
    assert not c.on_topic and c.excluded == "off_topic"
    assert "ketamine only in passing" in c.reasons["excluded"]


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


# --- wording met on fresh text (v5) -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "abstract",
    [
        "Adolescents aged 14-17 years with depression who respond to six esketamine sessions will be randomized "
        "to continue esketamine after induction or to stop; the primary outcome is relapse over 24 weeks.",
        "Youths aged 15-19 years with treatment-resistant depression received ketamine during the induction "
        "phase and were then randomized to weekly maintenance; relapse by week 26 was the primary outcome.",
        "Teenagers aged 13-18 years with depression had intranasal ketamine during the induction sessions, "
        "and remission was assessed at 12 weeks.",
        "Adolescents aged 12-17 years received esketamine twice weekly during induction and weekly thereafter; "
        "remission at 24 weeks was 40%.",
    ],
)
def test_an_induction_phase_of_treatment_is_not_anaesthetic_induction(abstract):
    c = classify(_art("Ketamine continuation for adolescent depression", abstract))
    assert c.on_topic and c.long_term_efficacy


@pytest.mark.parametrize(
    "abstract",
    [
        "Ketamine 0.5 mg/kg was given after induction of anaesthesia in 60 children aged 3-10 years "
        "undergoing tonsillectomy; emergence delirium was less frequent.",
        "Children aged 2-9 years received esketamine after anesthetic induction for strabismus surgery.",
        "Adolescents aged 12-17 years received ketamine at induction for scoliosis surgery.",
    ],
)
def test_ketamine_given_at_anaesthetic_induction_is_still_anaesthesia(abstract):
    c = classify(_art("Ketamine and emergence delirium in children", abstract))
    assert (c.on_topic, c.excluded) == (False, "anaesthesia_or_analgesia")


@pytest.mark.parametrize(
    "title, abstract",
    [
        (
            "Heavy ketamine use and depression in a 16-year-old boy with ketamine uropathy",
            "A 16-year-old boy with depression disclosed snorting ketamine daily for a year; he had "
            "urinary frequency and haematuria, and his depression was treated after he stopped.",
        ),
        (
            "Young people's accounts of using ketamine bought online to cope with depression",
            "We interviewed 20 people aged 17-23 years who had bought ketamine online or from friends to "
            "self-treat low mood; several described tolerance and bladder pain.",
        ),
        (
            "Self-treatment of depressive symptoms with ketamine among university students aged 18-24",
            "Students who had obtained ketamine from dealers to self-treat their depression reported "
            "dissociation and escalating doses in an anonymous survey.",
        ),
    ],
)
def test_ketamine_taken_outside_treatment_to_cope_with_depression_is_recreational_use(title, abstract):
    c = classify(_art(title, abstract))
    assert (c.on_topic, c.excluded) == (False, "recreational_use")
    assert not (c.safety or c.safety_signals)


@pytest.mark.parametrize(
    "title, abstract",
    [
        (
            "Ketamine for depression on YouTube: quality of the most viewed videos for teenagers",
            "We rated 100 videos about ketamine treatment for depression; 40% of viewers were aged 13-17, "
            "and few videos mentioned dissociation or bladder harm.",
        ),
        (
            "Esketamine and adolescent depression in news coverage, 2019-2024",
            "We analysed 300 news articles about esketamine for depression in adolescents aged 12-17; "
            "claims of remission outnumbered reports of side effects.",
        ),
        (
            "What young people read about ketamine therapy: a content analysis of social media posts",
            "Posts about ketamine for depression written by users aged 16-24 praised rapid relief and "
            "mentioned misuse rarely.",
        ),
    ],
)
def test_media_about_ketamine_is_not_a_study_of_treated_people(title, abstract):
    c = classify(_art(title, abstract))
    assert (c.on_topic, c.excluded) == (False, "off_topic")
    assert not (c.safety or c.long_term_efficacy)


@pytest.mark.parametrize(
    "title",
    [
        "Esketamine in the NMDA receptor pore: molecular dynamics simulations",
        "A computational model of arketamine binding and antidepressant action",
        "Binding free energies of ketamine enantiomers from cryo-EM structures",
    ],
)
def test_computational_work_on_ketamine_is_off_topic(title):
    abstract = (
        "Esketamine is an antidepressant for treatment-resistant depression, also in young patients. "
        "We simulated its binding to the receptor and compared it with arketamine."
    )
    c = classify(_art(title, abstract))
    assert (c.on_topic, c.excluded, c.population) == (False, "off_topic", "unknown")


@pytest.mark.parametrize(
    "title",
    [
        "Intravenous magnesium for adolescents with treatment-resistant depression: an open-label pilot study",
        "Oral creatine augmentation in depressed teenagers: a randomized controlled trial",
        "Adjunctive N-acetylcysteine for adolescent bipolar depression",
    ],
)
def test_another_treatment_given_in_the_title_with_ketamine_as_the_rationale_is_other_treatment(title):
    c = classify(
        _art(
            title,
            "Ketamine's rapid antidepressant effect has prompted interest in other glutamatergic agents.",
            "Twenty adolescents aged 13-18 years with depression received the study drug for eight weeks; "
            "depressive symptoms fell and the drug was well tolerated.",
        )
    )
    assert (c.on_topic, c.excluded) == (False, "other_treatment")


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
