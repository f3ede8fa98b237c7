"""The classifier's topic: what stays on topic, and why everything else is excluded, on invented records."""

from __future__ import annotations

import pytest
from classify_helpers import art as _art
from classify_helpers import article

from litwatch.classify import classify


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


# --- asides, laboratory work and surveys (v2) ---------------------------------------------------------------
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
