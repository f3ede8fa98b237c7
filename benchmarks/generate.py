"""Synthetic PubMed records for the benchmarks: efetch-shaped, 3-6 KB, realistic vocabulary, seeded and fast."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script, package not installed

from litwatch.models import SavedQuery  # noqa: E402

# Every text below is invented for litwatch; MeSH UIs follow the real scheme but are not guaranteed official.
HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)
TAIL = b"</PubmedArticleSet>\n"
FIRST_EDAT, LAST_EDAT = dt.date(2016, 1, 1), dt.date(2025, 10, 31)
TODAY = LAST_EDAT + dt.timedelta(days=1)  # the benchmark's "now": every record is before it
FIRST_PMID = 27_000_000
QUERIES = (  # alphabetical, as litwatch lists them: the narrow one first, so the union path is exercised
    SavedQuery(
        "esketamine-safety", "esketamine AND adolescent AND (safety OR adverse events)", "Esketamine safety"
    ),
    SavedQuery(
        "ketamine-youth", "(ketamine OR esketamine) AND (adolescent OR child OR youth)", "Ketamine in youth"
    ),
    SavedQuery(
        "suicidal-ideation", "ketamine AND (suicidal ideation OR treatment-resistant)", "Suicidal ideation"
    ),
)
ELECTRONIC = ' DateType="Electronic"'
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# --- the kinds of record: weight, query membership odds (esketamine-safety, suicidal-ideation), types, MeSH -------
KINDS = {
    "long_term": (14, (0.15, 0.9), ("Journal Article", "Clinical Trial"), "K T Y R F O"),
    "safety": (14, (0.95, 0.2), ("Journal Article", "Observational Study"), "K N Y A B D"),
    "acute": (10, (0.2, 0.4), ("Journal Article", "Randomized Controlled Trial"), "K T Y D O"),
    "suicidal": (8, (0.1, 0.95), ("Journal Article",), "K T Y S O"),
    "review": (7, (0.3, 0.5), ("Journal Article", "Systematic Review", "Meta-Analysis"), "K T Y M"),
    "protocol": (4, (0.2, 0.3), ("Journal Article", "Clinical Trial Protocol"), "K T Y"),
    "case": (3, (0.3, 0.3), ("Case Reports", "Journal Article"), "K A Y N"),
    "animal": (12, (0.05, 0.1), ("Journal Article", "Research Support, Non-U.S. Gov't"), "K P Z"),
    "anaesthesia": (12, (0.3, 0.02), ("Journal Article", "Randomized Controlled Trial"), "K E C"),
    "adult": (11, (0.3, 0.4), ("Journal Article", "Multicenter Study"), "K T L R"),
    "recreational": (5, (0.1, 0.05), ("Journal Article",), "K U Y"),
}
SECTIONS = {
    "T": "title",
    "B": "BACKGROUND",
    "O": "OBJECTIVE",
    "M": "METHODS",
    "R": "RESULTS",
    "C": "CONCLUSIONS",
}


def _sections(text: str) -> dict[str, dict[str, list[str]]]:
    """'== kind' headers, then one sentence template a line, tagged T (title) or B/O/M/R/C (abstract section)."""
    out: dict[str, dict[str, list[str]]] = {}
    for line in text.strip().splitlines():
        if line.startswith("== "):
            kind = out.setdefault(line[3:], {})
        else:
            kind.setdefault(SECTIONS[line[0]], []).append(line[2:])
    return out


# Sentence templates by kind of record ({slots} are filled per record); 'generic' ones pad an abstract to length.
TEXT = _sections(
    """
== generic
B Depression affects roughly one in {ten_pct} adolescents each year and is a leading cause of disability.
B Conventional antidepressants take weeks to work and fail in a large share of young patients with {cond}.
B Glutamatergic agents such as {drug} act within hours, which has drawn attention to their use in youth.
M Analyses used linear mixed-effects models with site as a random effect, adjusted for baseline severity and sex.
M Outcome assessors were trained to reliability and were blind to dosing schedule and prior treatment history.
M Missing data were handled by multiple imputation under a missing-at-random assumption (<i>m</i> = 20).
M Participants were recruited from {sites} academic sites in {country} between {y0} and {y1}.
R Baseline characteristics were similar across groups, and {retention}% completed every scheduled assessment.
R Mean baseline {scale} score was {base_score} (SD {sd}), indicating moderate to severe illness at entry.
R Sensitivity analyses excluding participants with protocol deviations gave estimates of similar size.
R The effect was larger in participants with fewer failed treatment trials (interaction p = 0.0{p2}).
C Clinicians should weigh these findings against the practical demands of repeated monitored dosing.
C These data add to a small evidence base and should inform the design of adequately powered trials.
== long_term
T Sustained response after repeated {drug} {sessions} in adolescents with {cond}: a {weeks}-week follow-up
T Long-term outcomes of {drug} for {cond} in adolescents: relapse and durability over {weeks} weeks
B Whether early benefit from {drug} persists in adolescents with {cond} remains poorly described.
O To examine the durability of response and time to relapse after a course of {drug} in youth.
M {n} adolescents aged {lo}-{hi} years with {cond} received six {drug} {sessions} ({dose}) over two weeks.
M Responders entered a maintenance phase with weekly sessions and were followed for {weeks} weeks.
M Depression severity was rated with the {scale} at baseline, end of induction and every four weeks.
R Response at end of induction was {pct}%, and {pct2}% of responders showed sustained response at week {weeks}.
R Median time to relapse was {rel} weeks; relapse rates were lower in those who received maintenance dosing.
R Remission was maintained in {pct3}% of remitters at the {months}-month follow-up visit (p&lt;0.001).
C Antidepressant effects of {drug} can be durable in a subset of adolescents with {cond}.
== safety
T Adverse events of {drug} in adolescents with {cond}: a {months}-month observational study
T Safety and tolerability of {drug} in youth aged {lo}-{hi} years with {cond}
B Data on adverse effects of {drug} in adolescents are scarce despite rising off-label use.
O To describe treatment-emergent adverse events during {drug} treatment in young people.
M We reviewed {n} adolescents aged {lo}-{hi} years who received {drug} ({dose}) at {sites} clinics.
M Blood pressure and heart rate were recorded before and 40 minutes after each dose.
M Dissociation was measured with the CADSS; adverse events were coded with MedDRA preferred terms.
R Dissociation was reported after {pct}% of sessions and resolved within two hours in all cases.
R Transient increases in systolic blood pressure above 140 mmHg occurred in {pct4}% of sessions.
R Nausea ({pct4}%), dizziness ({pct3b}%) and headache ({pct4}%) were the most frequent adverse events.
R No serious adverse events, cystitis or signs of misuse were recorded; {drop} participants stopped early.
C {drug_cap} was generally well tolerated, but monitoring of blood pressure remains necessary.
== acute
T Single-dose {drug} versus midazolam for adolescents with {cond}: a randomized controlled trial
B Rapid-acting options are needed for adolescents with {cond} who have not improved with SSRIs.
O To test whether one {drug} {session} reduces depressive symptoms at 24 hours compared with midazolam.
M In this double-blind crossover trial, {n} adolescents aged {lo}-{hi} years were randomly assigned to {dose} {drug}.
M The primary outcome was change in {scale} score 24 hours after the {session}.
R {drug_cap} reduced {scale} scores more than midazolam at 24 hours (difference {diff} points, p = 0.0{p2}).
R Response rates were {pct}% after {drug} and {pct3}% after midazolam; effects faded by day 7.
C A single {session} of {drug} produced rapid but short-lived improvement in adolescent depression.
== suicidal
T {drug_cap} for suicidal ideation in hospitalized adolescents with {cond}
B Suicidal ideation in adolescents often requires inpatient care, and few treatments act quickly.
O To examine changes in suicidal ideation after {drug} in adolescent inpatients.
M {n} inpatients aged {lo}-{hi} years with suicidal ideation received {drug} ({dose}) on an inpatient unit.
M Suicidal ideation was rated with the C-SSRS and the Beck Scale for Suicide Ideation at days 1, 3 and 14.
R Suicidal ideation scores fell by {pct}% within 24 hours and remained lower at day 14.
R One participant made a suicide attempt during follow-up; no other serious adverse events occurred.
C {drug_cap} may offer rapid relief of suicidal thoughts in adolescents; controlled trials are needed.
== review
T {drug_cap} for depression in children and adolescents: a systematic review and meta-analysis
B Trials of {drug} in youth are small, and their findings have not been pooled.
O To synthesize evidence on efficacy and safety of {drug} in people under 18 years.
M We searched MEDLINE, Embase and PsycINFO to {y1} following PRISMA guidance.
M Randomized and open-label studies enrolling patients aged 12-17 years with {cond} were eligible.
R {k} studies with {n} participants were included; pooled response was {pct}% (95% CI {ci_lo}-{ci_hi}).
R Dissociation and transient blood pressure increases were the most common adverse effects.
C Evidence for {drug} in youth is promising but limited by small samples and short follow-up.
== protocol
T Rationale and design of a trial of {drug} for adolescents with {cond}: study protocol
B No adequately powered trial has tested {drug} against an active control in adolescents.
O This protocol describes a multicentre trial of {drug} in adolescents with {cond}.
M {n} adolescents aged {lo}-{hi} years will be randomized to {drug} or midazolam for four weeks.
M Participants will be followed for {weeks} weeks; the primary outcome is remission on the {scale}.
R Recruitment began in {y1}; results are expected two years after the last enrolment.
C The trial will inform whether {drug} has a place in the care of adolescents with {cond}.
== case
T {drug_cap} in a 16-year-old girl with {cond}: a case report
B Reports of {drug} use in adolescents outside trials are rare.
O We describe a 16-year-old girl treated with {drug} after several failed antidepressants.
M She received eight sessions of {drug} ({dose}) over four weeks with vital signs monitored.
R Her {scale} score fell from {base_score} to {low_score}; transient dissociation and nausea were noted.
R She remained well at the {months}-month follow-up without further sessions.
C This case suggests {drug} may help selected adolescents with {cond}.
== animal
T Ketamine reverses depression-like behaviour in adolescent male rats exposed to chronic mild stress
T Sex differences in the antidepressant-like effect of ketamine in adolescent mice
B The adolescent brain responds differently to NMDA receptor antagonists than the adult brain.
O To test behavioural and synaptic effects of ketamine in adolescent rodents.
M Adolescent Sprague-Dawley rats (postnatal day 35) received ketamine 10 mg/kg or saline after stress.
M Behaviour was assessed in the forced swim test and sucrose preference test; hippocampi were analysed.
R Ketamine reduced immobility by {pct}% and restored sucrose preference (p&lt;0.01).
R Synaptic protein levels in the hippocampus increased 24 hours after a single dose.
C Ketamine has rapid antidepressant-like effects in adolescent rats that differ by sex.
== anaesthesia
T Intranasal ketamine for procedural sedation of children in the emergency department
B Ketamine is widely used for sedation and analgesia in children undergoing painful procedures.
O To compare intranasal ketamine with intravenous ketamine for fracture reduction in children.
M {n} children aged 4-{hi} years with forearm fractures were randomized to intranasal or intravenous ketamine.
M Sedation depth, pain scores, emergence agitation and vomiting were recorded by blinded nurses.
R Adequate sedation was achieved in {pct}% versus {pct3}% of children; vomiting occurred in {pct4}%.
R Median recovery time was {rel}0 minutes and no child required intubation.
C Intranasal ketamine is an acceptable alternative for procedural sedation in children.
== adult
T Repeated {drug} {sessions} for adults with {cond}: a {weeks}-week multicentre cohort
B Most evidence on {drug} for {cond} comes from middle-aged adults.
O To describe outcomes of repeated {drug} in adults aged 18-65 years with {cond}.
M {n} adults with {cond} (mean age {age} years) received {drug} ({dose}) twice weekly.
M Patients were followed for {weeks} weeks with the MADRS and the QIDS-SR.
R Response occurred in {pct}% of patients and remission in {pct3}%; {pct2}% relapsed within {months} months.
R Adverse effects included dissociation, nausea and transient hypertension.
C Repeated {drug} is effective in adults with {cond}, but relapse is common.
== recreational
T Prevalence of recreational ketamine use among adolescents: a national survey
B Ketamine is used recreationally at parties and raves, and adolescents may be at risk.
O To estimate past-year ketamine use among high school students and its correlates.
M We analysed {n} respondents aged {lo}-{hi} years from a national survey of drug use.
M Past-year use of ketamine and other club drugs was self-reported.
R Past-year ketamine use was {pct4}.{p2}%, and was higher among students who reported depressive symptoms.
R Ketamine users more often reported use of other illicit drugs.
C Prevention programs should address ketamine use among adolescents.
"""
)
DRUGS = {
    "esketamine": ("esketamine nasal spray", "56 mg", "84 mg", "dose"),
    "ketamine": ("intravenous ketamine", "0.5 mg/kg", "0.75 mg/kg", "infusion"),
}
CONDITIONS = ("treatment-resistant depression", "major depressive disorder", "bipolar depression",
              "depression and comorbid anxiety", "suicidal ideation and depression")  # fmt: skip
SCALES = ("CDRS-R", "MADRS", "QIDS-A", "HAM-D", "BDI-II")
COUNTRIES = ("USA", "Canada", "Germany", "China", "Brazil", "Australia", "United Kingdom", "Spain", "Japan")
SURNAMES = """Smith Garcia Müller Nguyen Kim Rossi Silva Kowalski Johansson O'Brien Tanaka Haddad Novak Dubois
    Okafor Petrov Jensen Hughes Moreau Costa Fischer Andersen Liu Wang Chen Yilmaz Ivanova Santos Murphy Patel
    Schneider Ferreira Lindqvist Horvath Kaur Mendes Zhang Brown Taylor Martin Lopez Wilson Anderson Thompson""".split()
GIVEN = """Anna Ben Carla David Elena Farid Grace Hiro Ines Jonas Kemi Lara Marco Nora Omar Paula Ravi Sofia Tomas
    Ula Victor Wen Xavier Yara Zoe Amir Birgit Chloé Dmitri Eun-ji Fatima Giulia Hannah Ibrahim Jorge""".split()
DEPTS = ("Psychiatry", "Child and Adolescent Psychiatry", "Pharmacology", "Anesthesiology", "Psychology",
         "Biostatistics", "Pediatrics", "Neuroscience")  # fmt: skip
PLACES = ("University of Northfield", "Lakeside Medical Center", "Institute of Mental Health, Harbour City",
          "Riverside Children's Hospital", "Eastport Clinical School", "Westvale Youth Mental Health Centre")  # fmt: skip
Q = {"therapeutic use": "Q000627", "adverse effects": "Q000009", "drug therapy": "Q000188",
     "administration &amp; dosage": "Q000008", "psychology": "Q000523", "pharmacology": "Q000494",
     "epidemiology": "Q000453", "physiopathology": "Q000503", "diagnosis": "Q000175", "methods": "Q000379",
     "drug effects": "Q000187", "chemically induced": "Q000139", "metabolism": "Q000378"}  # fmt: skip
# MeSH groups by letter (see KINDS): descriptor, UI, qualifiers.
MESH = {
    "K": [("Ketamine", "D007649", "therapeutic use|administration &amp; dosage|pharmacology"), ("Humans", "D006801", "")],
    "T": [("Depressive Disorder, Treatment-Resistant", "D061218", "drug therapy|psychology"),
          ("Antidepressive Agents", "D000928", "therapeutic use"), ("Treatment Outcome", "D016896", "")],
    "N": [("Administration, Intranasal", "D000281", ""), ("Blood Pressure", "D001794", "drug effects"),
          ("Dissociative Disorders", "D004213", "chemically induced")],
    "Y": [("Adolescent", "D000293", ""), ("Female", "D005260", ""), ("Male", "D008297", "")],
    "R": [("Recurrence", "D012008", ""), ("Follow-Up Studies", "D005500", ""), ("Remission Induction", "D012074", "")],
    "F": [("Infusions, Intravenous", "D015360", ""), ("Time Factors", "D013997", "")],
    "O": [("Psychiatric Status Rating Scales", "D011569", ""), ("Double-Blind Method", "D004311", "")],
    "A": [("Ketamine", "D007649", "adverse effects"), ("Drug-Related Side Effects and Adverse Reactions", "D064420", "")],
    "B": [("Nausea", "D009325", "chemically induced"), ("Retrospective Studies", "D012189", "")],
    "D": [("Depressive Disorder, Major", "D003865", "drug therapy"), ("Midazolam", "D008874", "")],
    "S": [("Suicidal Ideation", "D059020", ""), ("Inpatients", "D007297", "psychology")],
    "M": [("Randomized Controlled Trials as Topic", "D016032", ""), ("Child", "D002648", "")],
    "P": [("Animals", "D000818", ""), ("Rats, Sprague-Dawley", "D017207", ""), ("Behavior, Animal", "D001522", "drug effects"),
          ("Disease Models, Animal", "D004195", ""), ("Hippocampus", "D006624", "metabolism")],
    "Z": [("Stress, Psychological", "D013315", "physiopathology"), ("Swimming", "D013550", "")],
    "E": [("Conscious Sedation", "D016292", "methods"), ("Emergency Service, Hospital", "D004636", ""),
          ("Anesthetics, Dissociative", "D018686", "administration &amp; dosage"), ("Fractures, Bone", "D050723", "")],
    "C": [("Child", "D002648", ""), ("Child, Preschool", "D002675", ""), ("Pain, Procedural", "D000070642", "")],
    "L": [("Adult", "D000328", ""), ("Middle Aged", "D008875", ""), ("Prospective Studies", "D011446", "")],
    "U": [("Substance-Related Disorders", "D019966", "epidemiology"), ("Surveys and Questionnaires", "D011795", ""),
          ("Prevalence", "D015995", "")],
}  # fmt: skip
EXTRA_MESH = [(d, u, q) for group in "TNRFOBDLS" for d, u, q in MESH[group]] + [
    ("Young Adult", "D055815", ""), ("Dose-Response Relationship, Drug", "D004305", ""), ("Anxiety", "D001007", ""),
    ("Bipolar Disorder", "D001714", "drug therapy"), ("Quality of Life", "D011788", ""), ("Cohort Studies", "D015331", ""),
]  # fmt: skip
KEYWORDS = ("ketamine", "esketamine", "adolescents", "treatment-resistant depression", "suicidal ideation",
            "NMDA receptor antagonist", "rapid-acting antidepressant", "safety", "youth", "relapse", "dissociation")  # fmt: skip


@dataclass(frozen=True)
class Record:
    """One generated PubmedArticle: its PMID, Entrez date, XML, the saved-query terms that match it, and its kind."""

    pmid: str
    edat: str  # YYYY/MM/DD
    xml: bytes
    terms: tuple[str, ...]
    kind: str
    words: int  # words in the abstract


def _authors(rng: random.Random) -> str:
    out = []
    for i in range(min(12, 3 + int(rng.expovariate(0.45)))):  # 3-12, most papers 3-6
        last, first = rng.choice(SURNAMES), rng.choice(GIVEN)
        orcid = f'<Identifier Source="ORCID">0000-000{rng.randint(1, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}</Identifier>'
        aff = f"Department of {rng.choice(DEPTS)}, {rng.choice(PLACES)}, {rng.choice(COUNTRIES)}."
        if i == 0:
            aff = aff[:-1] + f". Electronic address: {last.lower().replace(chr(39), '')}@example.org."
        out.append(
            f'<Author ValidYN="Y"><LastName>{last.replace(chr(39), "&apos;")}</LastName><ForeName>{first}</ForeName>'
            f"<Initials>{first[0]}</Initials>{orcid if rng.random() < 0.15 else ''}"
            f"<AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>"
        )
    if rng.random() < 0.03:
        out.append('<Author ValidYN="Y"><CollectiveName>Youth Ketamine Study Group</CollectiveName></Author>')
    return "".join(out)


def _mesh(rng: random.Random, groups: str) -> str:
    chosen = {d: (u, q) for g in groups.split() for d, u, q in MESH[g]}
    for d, u, q in rng.sample(EXTRA_MESH, k=max(0, min(20, 10 + int(rng.expovariate(0.5))) - len(chosen))):
        chosen.setdefault(d, (u, q))
    parts = []
    for d, (u, q) in chosen.items():
        names = q.split("|") if q else []
        quals = "".join(
            f'<QualifierName UI="{Q.get(name, "Q000187")}" MajorTopicYN="{"Y" if rng.random() < 0.2 else "N"}">'
            f"{name}</QualifierName>"
            for name in (rng.sample(names, k=rng.randint(1, len(names))) if names else ())
        )
        parts.append(
            f'<MeshHeading><DescriptorName UI="{u}" MajorTopicYN="{"Y" if rng.random() < 0.15 else "N"}">{d}'
            f"</DescriptorName>{quals}</MeshHeading>"
        )
    return "".join(parts)


def _abstract(rng: random.Random, kind: str, slots: dict) -> tuple[str, str, int]:
    """Title, AbstractText elements (200-300 words), word count."""
    text = TEXT[kind]
    sections = {}
    for label in ("BACKGROUND", "OBJECTIVE", "METHODS", "RESULTS", "CONCLUSIONS"):
        own = text[label]
        sections[label] = [
            s.format_map(slots) for s in (rng.sample(own, k=max(1, len(own) - rng.randint(0, 1))))
        ]
    words = sum(s.count(" ") + 1 for ss in sections.values() for s in ss)
    target = int(rng.triangular(200, 300, 212))
    fillers = [(label, s) for label, pool in TEXT["generic"].items() for s in pool]
    rng.shuffle(fillers)
    for label, s in fillers:
        n = s.count(" ") + 1
        if words >= target:
            break
        if words + n > 300:
            continue
        sections[label].append(s.format_map(slots))
        words += n
    if rng.random() < 0.15:  # an unstructured abstract: one paragraph
        body = " ".join(s for ss in sections.values() for s in ss)
        xml = f"<AbstractText>{body}</AbstractText>"
    else:
        xml = "".join(
            f'<AbstractText Label="{label}" NlmCategory="{label}">{" ".join(ss)}</AbstractText>'
            for label, ss in sections.items()
        )
    return rng.choice(text["title"]).format_map(slots), xml, words


def _date(tag: str, d: dt.date, attrs: str = "", clock: str = "") -> str:
    return f"<{tag}{attrs}><Year>{d.year}</Year><Month>{d.month}</Month><Day>{d.day}</Day>{clock}</{tag}>"


def _history(rng: random.Random, edat: dt.date, revised: dt.date) -> str:
    clock = "<Hour>6</Hour><Minute>0</Minute>"
    steps = (
        ("received", edat - dt.timedelta(days=rng.randint(60, 200)), ""),
        ("accepted", edat - dt.timedelta(days=rng.randint(3, 40)), ""),
        ("medline", revised, clock),
        ("pubmed", edat, clock),
        ("entrez", edat, clock),
    )
    return "".join(_date("PubMedPubDate", d, f' PubStatus="{status}"', c) for status, d, c in steps)


def record(rng: random.Random, pmid: int, edat: dt.date, kind: str) -> tuple[bytes, int]:
    """One PubmedArticle element as bytes, and its abstract's word count."""
    _, _, types, groups = KINDS[kind]
    drug = rng.choice(("esketamine", "ketamine")) if kind not in ("animal", "anaesthesia") else "ketamine"
    name, dose_lo, dose_hi, session = DRUGS[drug]
    weeks = rng.choice((12, 16, 24, 26, 52))
    adult = kind == "adult"
    slots = {
        "drug": name, "drug_cap": name[0].upper() + name[1:], "session": session, "sessions": session + "s", "dose": rng.choice((dose_lo, dose_hi)),
        "cond": rng.choice(CONDITIONS), "scale": rng.choice(SCALES), "n": rng.randint(12, 240),
        "lo": 18 if adult else rng.choice((12, 13)), "hi": 65 if adult else rng.choice((17, 18)), "weeks": weeks,
        "months": max(1, round(weeks * 12 / 52)), "pct": rng.randint(30, 75), "pct2": rng.randint(20, 60),
        "pct3": rng.randint(15, 45), "pct3b": rng.randint(5, 15), "pct4": rng.randint(2, 25), "rel": rng.randint(3, 9),
        "p2": rng.randint(1, 4), "diff": rng.randint(3, 12), "k": rng.randint(5, 18), "ci_lo": rng.randint(20, 35),
        "ci_hi": rng.randint(50, 70), "base_score": rng.randint(55, 75), "low_score": rng.randint(20, 35),
        "sd": rng.randint(6, 12), "retention": rng.randint(70, 98), "sites": rng.randint(2, 9),
        "country": rng.choice(COUNTRIES), "y0": edat.year - 3, "y1": edat.year - 1, "age": rng.randint(38, 52),
        "ten_pct": rng.choice(("eight", "ten", "twelve")), "drop": rng.randint(0, 4),
    }  # fmt: skip
    title, abstract, words = _abstract(rng, kind, slots)
    pub = edat + dt.timedelta(days=rng.randint(20, 150))
    revised = edat + dt.timedelta(days=rng.randint(150, 400))
    journal = rng.choice(JOURNALS)
    vol, issue, page = rng.randint(5, 70), rng.randint(1, 12), rng.randint(1, 900)
    doi = f"10.{rng.randint(1000, 9999)}/j.{journal[1].lower().replace(' ', '')}.{edat.year}.{pmid % 100000:05d}"
    pmc = f'<ArticleId IdType="pmc">PMC{pmid // 3 + 1000000}</ArticleId>' if rng.random() < 0.35 else ""
    kws = "".join(
        f'<Keyword MajorTopicYN="N">{k}</Keyword>' for k in rng.sample(KEYWORDS, k=rng.randint(3, 6))
    )
    kws = f'<KeywordList Owner="NOTNLM">{kws}</KeywordList>' if rng.random() < 0.7 else ""
    pts = "".join(f'<PublicationType UI="D0{16428 + i}">{t}</PublicationType>' for i, t in enumerate(types))
    xml = (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">'
        f'<PMID Version="1">{pmid}</PMID>{_date("DateCompleted", revised)}{_date("DateRevised", revised)}'
        f'<Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Electronic">{journal[2]}</ISSN>'
        f'<JournalIssue CitedMedium="Internet"><Volume>{vol}</Volume><Issue>{issue}</Issue><PubDate><Year>{pub.year}'
        f"</Year><Month>{MONTHS[pub.month - 1]}</Month></PubDate></JournalIssue><Title>{journal[0]}</Title>"
        f"<ISOAbbreviation>{journal[1]}</ISOAbbreviation></Journal><ArticleTitle>{title}.</ArticleTitle>"
        f"<Pagination><StartPage>{page}</StartPage><EndPage>{page + 9}</EndPage><MedlinePgn>{page}-{page + 9}"
        f'</MedlinePgn></Pagination><ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>'
        f"<Abstract>{abstract}<CopyrightInformation>© {pub.year} The Authors.</CopyrightInformation></Abstract>"
        f'<AuthorList CompleteYN="Y">{_authors(rng)}</AuthorList><Language>eng</Language>'
        f"<PublicationTypeList>{pts}</PublicationTypeList>"
        f"{_date('ArticleDate', edat, ELECTRONIC)}</Article><MedlineJournalInfo>"
        f"<Country>{rng.choice(COUNTRIES)}</Country><MedlineTA>{journal[1]}</MedlineTA><NlmUniqueID>{journal[3]}"
        f"</NlmUniqueID><ISSNLinking>{journal[2]}</ISSNLinking></MedlineJournalInfo><ChemicalList><Chemical>"
        f'<RegistryNumber>690G0D6V8H</RegistryNumber><NameOfSubstance UI="D007649">Ketamine</NameOfSubstance>'
        f"</Chemical></ChemicalList><CitationSubset>IM</CitationSubset><MeshHeadingList>{_mesh(rng, groups)}"
        f"</MeshHeadingList>{kws}</MedlineCitation><PubmedData><History>"
        f"{_history(rng, edat, revised)}"
        f'</History><PublicationStatus>ppublish</PublicationStatus><ArticleIdList><ArticleId IdType="pubmed">{pmid}'
        f'</ArticleId>{pmc}<ArticleId IdType="doi">{doi}</ArticleId><ArticleId IdType="pii">S{pmid}-{vol}</ArticleId>'
        f"</ArticleIdList></PubmedData></PubmedArticle>"
    )
    return xml.encode("utf-8"), words


JOURNALS = [
    (
        "Journal of Child and Adolescent Psychopharmacology",
        "J Child Adolesc Psychopharmacol",
        "1557-8992",
        "9105358",
    ),
    ("Journal of Affective Disorders", "J Affect Disord", "1573-2517", "7906073"),
    ("European Child &amp; Adolescent Psychiatry", "Eur Child Adolesc Psychiatry", "1435-165X", "9212296"),
    ("Translational Psychiatry", "Transl Psychiatry", "2158-3188", "101562664"),
    ("Paediatric Anaesthesia", "Paediatr Anaesth", "1460-9592", "9206575"),
    ("Neuropsychopharmacology", "Neuropsychopharmacology", "1740-634X", "8904907"),
]


def generate(n: int, seed: int = 1) -> Iterator[Record]:
    """`n` records, PMIDs rising with Entrez date; dates grow denser towards the present, as PubMed does."""
    rng = random.Random(seed)
    span = (LAST_EDAT - FIRST_EDAT).days
    days = sorted(int(span * math.sqrt(rng.random())) for _ in range(n))
    names, weights = list(KINDS), [KINDS[k][0] for k in KINDS]
    safety, broad, suicidal = (q.term for q in QUERIES)
    pmid = FIRST_PMID
    for day in days:
        pmid += rng.randint(1, 3)
        kind = rng.choices(names, weights)[0]
        edat = FIRST_EDAT + dt.timedelta(days=day)
        xml, words = record(rng, pmid, edat, kind)
        p_safety, p_suicidal = KINDS[kind][1]
        terms = (
            (broad,)
            + ((safety,) if rng.random() < p_safety else ())
            + ((suicidal,) if rng.random() < p_suicidal else ())
        )
        yield Record(str(pmid), edat.strftime("%Y/%m/%d"), xml, terms, kind, words)


def main() -> None:
    ap = argparse.ArgumentParser(description="Write N synthetic PubMed records as one PubmedArticleSet file.")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    started, sizes = time.perf_counter(), []
    with open(args.output, "wb") as out:
        out.write(HEAD)
        for rec in generate(args.n, args.seed):
            out.write(rec.xml + b"\n")
            sizes.append(len(rec.xml))
        out.write(TAIL)
    print(
        f"{args.n} records in {time.perf_counter() - started:.1f} s, {min(sizes)}-{max(sizes)} bytes "
        f"(mean {sum(sizes) / len(sizes):.0f}) -> {args.output}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
