"""The classifier's population: stated ages first, then words, then MeSH age groups, on invented records."""

from __future__ import annotations

import pytest
from classify_helpers import KETAMINE_TITLE, article
from classify_helpers import art as _art

from litwatch.classify import classify
from litwatch.models import MeshHeading


# --- population from ages and words -------------------------------------------------------------------------
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


def test_in_laboratory_work_the_people_given_a_dose_are_the_population():
    c = classify(
        _art(
            "Ketamine metabolites in plasma by mass spectrometry: a method for adolescent and adult studies",
            "Plasma was collected from 10 healthy adult volunteers who received one ketamine infusion.",
        )
    )
    assert (c.on_topic, c.excluded, c.population) == (False, "off_topic", "adult")
