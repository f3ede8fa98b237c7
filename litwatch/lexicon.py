"""The classifier's term lists: patterns for drug, conditions, ages, designs and safety (data only)."""

from __future__ import annotations

import re


def _rx(pattern: str) -> re.Pattern[str]:
    """Patterns are written verbose (spaces are ignored, a literal space is '\\ ') and match any case."""
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


# --- the drug -----------------------------------------------------------------------------------------------
KETAMINE = _rx(r"""
    (?:\([RS]\)-)?\b\w*ketamin[ea]?\b(?!-like)(?:[- ](?:nasal\ spray|infusions?|assisted\ \w+))?
    | \bspravato\b | \bketalar\b""")
# Mentions that are not about giving ketamine: a comparison, an aside, a drug withheld ("none had received
# ketamine", "ketamine was not offered", "ketamine-naive"). A study whose every mention is one is not about it.
_K = r"\w*ketamin[ea]?\b(?:\ (?:or|and)\ \w*ketamin[ea]?\b)?"
KETAMINE_ASIDE = _rx(rf"""
    \b(?:like|unlike|than|such\ as|similar\ to|as\ with|in\ contrast\ to|as\ opposed\ to|alternatives?\ to
        |compared\ (?:with|to))\ (?:\w+\ ){{0,2}}?{_K}
    | \b(?:not|never|none\ of\ (?:whom|them|the\ \w+)|no\ \w+)
        \ (?:(?:had|has|have|was|were|been|ever|previously|yet|already)\ ){{0,3}}
        (?:receive[ds]?|receiving|given|offered|used|exposed\ to|treated\ with|tried)\ (?:\w+\ ){{0,2}}?{_K}
    | {_K}(?:\ \w+)?\ (?:was|were|is|are|had\ been)\ not\ (?:\w+\ )?
        (?:used|given|offered|available|administered|prescribed|part)
    | {_K}[- ](?:na[iï]ve|free)\b""")

# --- conditions and settings --------------------------------------------------------------------------------
# What a psychiatric study treats or measures. NOT_PSYCH spans (physiology, procedure-bound anxiety, animal
# behaviour) are removed first, so "respiratory depression" and "preoperative anxiety" never count.
PSYCH = _rx(r"""
    major\ depressive\ disorder | treatment[- ]resistant\ depression | bipolar\ depression
    | \bdepress(?:ion|ions|ive|ed)\b | \bantidepress\w* | (?-i:\b(?:MDD|TRD|PTSD|OCD|MDE|NSSI)\b)
    | treatment[- ]resistant | \bsuicid\w* | self[- ](?:harm|injur)\w* | \bbipolar\b | \bmanic\b | \bmania\b
    | mood\ disorders? | dysthymi\w* | anhedoni\w* | \banxi(?:ety|ous)\b | post-?traumatic\ stress
    | obsessive[- ]compulsive | anorexia\ nervosa | eating\ disorders? | bulimi\w* | binge[- ]eating
    | schizo(?:phreni|affective)\w* | \bECT\b | electroconvulsive
    | (?:alcohol|cocaine|opioid|cannabis|methamphetamine|substance)\ use\ disorders?""")
PSYCH_POPULATION = _rx(r"""
    \bautis\w+ | asperger | \bpsychiatr\w+ | mental\ (?:health|disorders?|illness\w*)
    | (?-i:\bADHD\b) | attention[- ]deficit""")
NOT_PSYCH = _rx(r"""
    (?:respiratory|ventilatory|\bCNS|central\ nervous\ system|ST[- ]segment|spreading|myocardial|cardiac
        |cardiovascular|circulatory|ha?emodynamic|neuronal|marrow|immune|synaptic|long-term)\ depression
    | depress(?:ion|ed)\ (?:of|in)\ (?:consciousness|respiration|ventilation)
    | depressed\ (?:level|consciousness)
    | (?:pre|peri|post|intra)[- ]?(?:operative|procedural|anesthetic|anaesthetic)\ anxiety
    | (?:procedural|separation|parental|dental|situational|induction)\ anxiety | anxiety\ at\ induction
    | yale\ preoperative\ anxiety\ scale | \w+-like\b""")
ECT = _rx(r"\bECT\b | electroconvulsive")
# Medical conditions ketamine treats outside psychiatry: named in a title, they say what the study is about.
MEDICAL = _rx(r"""
    status\ (?:epilepticus|asthmaticus) | \bepilep\w+ | \bseizures? | \basthma\w* | bronchospasm
    | bronchiolitis | \bRett\b | traumatic\ brain\ injur\w* | intracranial\ pressure | encephalitis""")
# What makes a title about anaesthesia or analgesia itself, not only about a setting (intensive care).
SEDATION_OR_PAIN = _rx(r"""
    (?<!sub)(?<!sub-)an(?:a)?esthe\w* | \bsedat\w+ | analges\w+ | \bpain(?:ful)?\b | \bprocedur\w+
    | \bsurg(?:ery|eries|ical)\b | (?:pre|post|peri|intra)[- ]?operative(?:ly)? | intubat\w*""")
# Settings that make ketamine an anaesthetic or an analgesic ("subanesthetic" doses are psychiatric).
ANAESTHESIA = _rx(r"""
    (?<!sub)(?<!sub-)an(?:a)?esthe\w* | \bsedati\w+ | \bsedated\b | \bprocedural\b | pre-?medicat\w*
    | intubat\w* | rapid[- ]sequence | (?:pre|post|peri|intra)[- ]?operative(?:ly)?
    | \bsurg(?:ery|eries|ical)\b
    | tonsillectom\w* | analges\w+ | \bpain(?:ful)?\b | opioid[- ](?:consumption|sparing|requirements?)
    | fractures? | lacerations? | emergency\ (?:department|room) | status\ epilepticus | \bseizures?\b
    | \bburns?\b | dressing\ changes? | \bMRI\b | \bdental\b | caudal | nerve\ blocks?
    | mechanical\ ventilation
    | intensive\ care | (?-i:\bP?ICU\b) | emergence\ (?:delirium|agitation) | \bdelirium\b | \bagitat\w+
    | chemical\ restraint | ca?esarean | bronchospasm | endoscop\w+ | colonoscop\w+ | lumbar\ puncture""")
# Ketamine as a street drug, and the signs that a record is about treatment instead.
RECREATIONAL = _rx(r"""
    recreational\w* | \billicit\w* | club\ drugs? | party\ drugs? | \braves?\b | nightlife | nightclub\w*
    | street\ (?:ketamine|drugs?) | non-?medical(?:ly)?\ (?:\w+\ )?(?:use|users?) | (?:ketamine|drug)\ users?
    | intoxicat\w+ | poisonings? | self-?medicat\w+
    | \babusers?\b
    | poison\ (?:control|cent(?:er|re)s?) | drug[- ]use\ (?:surveys?|patterns?) | drug\ seizures?
    | (?:past|last)[- ](?:year|month|30-day)\ (?:ketamine\ |drug\ |substance\ )?use
    | lifetime\ (?:ketamine\ )?use
    | prevalence\ of\ (?:ketamine\ |drug\ |illicit\ |substance\ )?(?:use|misuse|abuse)
    | ketamine\ use\ (?:among|in\ the\ general) | \bketamine\ (?:abuse|misuse|abusers)
    | ketamine\ use\ disorder
    | (?-i:\bNSDUH\b) | youth\ risk\ behavio\w+ | monitoring\ the\ future""")
THERAPEUTIC = _rx(r"""
    prescri\w+ | (?:es)?ketamine\ (?:treatment|therapy|infusions?|nasal\ spray|administration) | nasal\ spray
    | spravato | antidepressant\ (?:effects?|response|efficacy) | randomi[sz]ed | \btrials?\b | treated\ with
    | received\ (?:es)?ketamine | \binfusions? | mg/kg | treatment-resistant""")
OTHER_TREATMENT = _rx(r"""
    (?-i:\bSS?NRIs?\b|\bSSRIs?\b|\bCBT\b|\bIPT(?:-A)?\b|\bDBT\b|\br?TMS\b|\bdTMS\b|\btDCS\b|\bECT\b|\bMDMA\b)
    | fluoxetine | escitalopram | citalopram | sertraline | paroxetine | fluvoxamine | venlafaxine
    | duloxetine
    | bupropion | mirtazapine | vortioxetine | lithium | aripiprazole | quetiapine | lurasidone | olanzapine
    | psychotherap\w+ | cognitive[- ]behavio\w+ | interpersonal\ (?:psycho)?therapy | dialectical
    | family\ therapy | theta[- ]burst | transcranial | electroconvulsive | psilocybin | nitrous\ oxide
    | zuranolone | brexanolone | dextromethorphan | esmethadone | \bexercise\b | mindfulness | light\ therapy
    | deep\ brain\ stimulation | vagus\ nerve | omega-3""")

# Laboratory work on cells, tissue or assays: nobody was treated, so it is not a clinical study of ketamine.
LABORATORY = _rx(r"""
    \bin\ vitro\b | \biPSCs?\b | induced\ pluripotent | stem[- ]cell[- ]derived | \borganoids?\b | cell\ cultures?
    | cultured\ (?:neurons|cells) | \bLC-MS | mass\ spectrometry | chromatograph\w+ | assay\ validation
    | analytical\ method | limits?\ of\ (?:detection|quantification) | \bin\ silico\b | molecular\ docking""")

# People (not cells) being given a treatment.
TREATED = _rx(r"""
    (?:patients|participants|adolescents|youths?|children|subjects|individuals|volunteers|adults|cases?)\b
    [^.;]{0,60}?\b(?:received|were\ (?:treated|given|randomi[sz]ed|assigned)|underwent)""")

# --- who was studied ----------------------------------------------------------------------------------------
ANIMAL = _rx(r"""
    \brats?\b | \bmice\b | \bmouse\b | \bmurine\b | \brodents?\b | \bpups\b | \bdams\b | sprague[- ]dawley
    | \bwistar\b | \bC57BL | \bBALB | zebrafish | non-?human\ primates? | \bmonkeys?\b | macaques?
    | marmosets?
    | \bpiglets?\b | \bdogs?\b | beagles? | \bcats?\b | \bswine\b | \bpigs?\b | \bsheep\b | \brabbits?\b
    | \bhorses?\b | canine | feline | equine | postnatal\ days? | (?-i:\bPND\s?\d) | forced\ swim\w*
    | tail\ suspension | sucrose\ preference | novelty[- ]suppressed | social\ defeat
    | chronic\ (?:unpredictable|mild|social|restraint)\ \w*\ ?stress
    | (?:depressive|depression|anxiety|anhedonia|despair)-like | animal\ models? | knockout | transgenic""")
HUMAN = _rx(r"""
    \bpatients?\b | \bparticipants?\b | \bhumans?\b | \bclinical\b | \b(?:in|out)-?patients?\b | \bpeople\b
    | \bpersons?\b | \bindividuals\b | \bwomen\b | \bmen\b | \bgirls?\b | \bboys?\b | \bcases?\b
    | \bveterans\b
    | volunteers | \badolescents\b(?!\ (?:male|female|rats?|mice))""")
YOUTH = _rx(r"""
    \badolescen\w* | \bteen(?:s|age|agers?|aged)?\b | \b(?:school)?child(?:ren)?\b | \bkids\b | youngsters?
    | \bp(?:a)?ediatric\w* | \byouths?\b | young\ (?:people|persons?|adults?|patients|individuals|men|women)
    | transition(?:al)?[- ]age(?:d)?\ youths? | (?-i:\bTAY\b) | emerging\ adults? | college\ students?
    | (?:high|secondary|middle|junior\ high)\ schools? | university\ students? | \bminors\b | \bgirls?\b
    | \bboys?\b | \bjuveniles?\b | under\ (?:the\ age\ of\ )?18\b | children's\ depression
    | (?-i:\bCDRS(?:-R)?\b) | \bkiddie""")
# Words for youth that say nothing about who was studied: animal ages, an adult's childhood, hospital names.
NOT_YOUTH = _rx(r"""
    (?:adolescen\w*|juvenile|young|adult|infant|neonatal|weanling|pubertal|periadolescent|male|female)
        (?:\ (?:male|female|and\ adult|or\ adult|\w+-\w+|C57BL/6J?|Sprague-Dawley|Wistar))*
        \ (?:rats?|mice|mouse|rodents?|animals?|monkeys?|pups)
    | childhood\ (?:trauma\w*|maltreatment|adversit\w+|abuse|neglect|experiences?) | adverse\ childhood
    | child(?:hood)?\ (?:sexual\ )?(?:abuse|maltreatment|neglect) | child-?birth | child-?bearing | child-pugh
    | (?:since|in|during)\ (?:early\ )?(?:childhood|adolescence)
        (?=[^.]{0,40}\b(?:adults?|patients|women|men)\b)
    | (?:adolescent|childhood|early)-onset | children's\ hospital""")
YOUNG_ADULT = _rx(r"""
    young\ (?:adults?|people|persons?|patients|individuals|men|women) | transition(?:al)?[- ]age(?:d)?
    | (?-i:\bTAY\b) | emerging\ adults? | college\ students? | university\ students? | \byouths?\b""")
# Young adults proper: "young people" or "young patients" may be adolescents, so they do not widen the ages.
ADULT_YOUTH = _rx(r"""
    young\ (?:adults?|men|women) | transition(?:al)?[- ]age(?:d)? | (?-i:\bTAY\b) | emerging\ adults?
    | college\ students? | university\ students?""")
ADOLESCENT_WORD = _rx(r"""
    \badolescen\w* | \bteen\w* | (?:high|secondary|middle|junior\ high)\ schools? | \bminors\b
    | under\ (?:the\ age\ of\ )?18 | (?-i:\bCDRS) | children's\ depression""")
ADULT = _rx(r"""
    \badults?\b | older\ adults | \belderly\b | geriatric | late[- ]life | middle[- ]aged | \bveterans?\b
    | postpartum | \bpregnan\w+ | \bmenopaus\w* | \bperimenopaus\w*""")
MIXED_AGES = _rx(r"""
    (?:adolescents?|youths?|children)\ (?:and|or|&)\ adults
    | adults\ (?:and|or|&)\ (?:adolescents|children|youths?)
    | all\ ages | across\ the\ lifespan""")
# Ages: "aged 12-17", "12 to 17 years old", "adolescents (13-18 years)", ">= 18 years", "under 18".
AGE_RANGE = _rx(r"""
    (?:\bage[sd]?|age\ range(?:\ of|\ was)?|between\ the\ ages\ of)\s*(?:of\s*|from\s*|between\s*|[:=]\s*)?
        (?P<a>\d{1,2})\s*(?:-|to|and|through)\s*(?P<b>\d{1,2})\b(?!\s*(?:months|weeks|days))
    | \b(?P<c>\d{1,2})\s*(?:-|to)\s*(?P<d>\d{1,2})[\s-]*(?:years?|yrs?|y)[\s-]*(?:old|of\ age)
    | \b(?P<e>\d{1,2})-?\s*(?:to|-)\s*(?P<f>\d{1,2})-year-olds?
    | (?:adolescents?|children|youths?|patients|participants|individuals|people|subjects|girls|boys|students
        |adults|inpatients|outpatients|veterans|women|men|sample)
        (?:\s*[,(]\s*(?:aged?\s*|range:?\s*)?|\s+)(?P<g>\d{1,2})\s*(?:-|to)\s*(?P<h>\d{1,2})\b
        (?!\s*%|\.\d|\s*(?:months|weeks|days|mg|sessions|infusions))
    | between\ (?P<i>[1-9]\d)\ and\ (?P<j>\d{2})\ years
        (?!\ (?:of\ (?:follow|illness|treatment)|after|ago))""")
AGE_MIN = _rx(r"""
    (?:≥|>=|≧|>)\s*(?P<a>\d{2})\s*(?:years?|yrs?|y)\b
    | \b(?P<b>\d{2})\s*(?:years?\s*)?(?:of\ age\s*)?(?:or|and)\ (?:older|over|above)
    | (?:older\ than|(?:aged?|ages)\ (?:over|above|at\ least|of\ at\ least)|over\ the\ age\ of)
        \s*(?P<c>\d{2})\b
    | at\ least\s*(?P<d>\d{2})\s*years?\s*(?:of\ age|old)""")
AGE_MAX = _rx(r"""
    (?:under|younger\ than|below\ the\ age\ of)\s*(?:the\ age\ of\s*)?(?P<a>\d{2})\b
        (?!\s*(?:weeks?|months?|days?|hours?|%|mg|points?|kg|min))
    | (?:<|less\ than)\s*(?P<b>\d{2})\s*(?:years?|yrs?)
    | (?:≤|<=|≦|up\ to(?:\ the\ age\ of)?|aged\ up\ to)\s*(?P<c>\d{2})\s*(?:years?|yrs?)
    | \b(?P<d>\d{2})\s*(?:years?\s*)?(?:of\ age\s*)?(?:or|and)\ (?:younger|under|below)""")
AGE_SINGLE = _rx(r"""
    \b(?P<a>\d{1,2})[\s-]*(?:years?|yrs?|y)[\s-]*old\b | \b(?P<b>\d{1,2})-year-olds?\b
    | \baged\ (?P<c>\d{1,2})\b(?!\s*(?:-|to|and|or|through)\s*\d|\s*(?:weeks?|months?|days?))""")
AGE_MEAN = _rx(r"""
    (?:mean|average|median)\s*(?:\((?:SD|±\s*SD|range)\)\s*)?age\s*(?:\((?:SD|±\s*SD|range)\)\s*)?
    (?:of\ (?:the\ )?(?:participants|patients|sample)\s*)?(?:of|was|was\ of|=|:|,)?
    \s*(?P<a>\d{1,2}(?:\.\d+)?)""")
# MeSH age groups and the ages they stand for (PubMed's definitions); used only when the text states none.
MESH_AGES = {
    "infant": (0, 2), "child, preschool": (2, 5), "child": (6, 12), "adolescent": (13, 18),
    "young adult": (19, 24), "adult": (19, 44), "middle aged": (45, 64), "aged": (65, 79),
    "aged, 80 and over": (80, 99),
}  # fmt: skip

# --- design -------------------------------------------------------------------------------------------------
PUBTYPE_DESIGN = (
    ("clinical trial protocol", "protocol"),
    ("meta-analysis", "meta_analysis"),
    ("systematic review", "systematic_review"),
    ("scoping review", "systematic_review"),
    ("randomized controlled trial", "rct"),
    ("equivalence trial", "rct"),
    ("controlled clinical trial", "controlled_trial"),
    ("case reports", "case_report"),
    ("observational study", "cohort"),
)
# A generic type ("Clinical Trial", "Review") is a default; the text may only narrow it to these designs.
PUBTYPE_GENERIC = (
    ("clinical trial", "open_label_trial", ("protocol", "rct", "controlled_trial", "open_label_trial")),
    ("review", "narrative_review", ("meta_analysis", "systematic_review", "narrative_review")),
)
# In order: the first design whose wording appears wins (the title is read before the abstract).
DESIGN_TEXT = {
    "protocol": r"""
        study\ protocol | trial\ protocol | protocol\ (?:for|of)\ an?\b | design\ and\ rationale
        | rationale\ and\ design | \bwill\ be\ (?:randomi[sz]ed|recruited|enrolled|assigned|allocated)
        | \bwill\ receive\b | we\ will\ (?:recruit|randomi[sz]e|enrol|conduct|assess) | this\ protocol
        | (?:describes?|presents?|reports?)\ the\ (?:study\ |trial\ )?protocol""",
    "meta_analysis": r"meta-?analy(?:sis|ses|tic)",
    "systematic_review": r"""
        systematic(?:ally)?\ (?:review|search|literature) | scoping\ review | umbrella\ review
        | (?-i:PRISMA)""",
    "case_series": r"""
        case\ series
        | (?:report|describe|present)\ (?:on\ )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten
            |eleven|twelve)\ (?:cases|patients|adolescents|youths?|children|young\ people)""",
    "case_report": r"""
        case\ report | (?:report|describe|present)\ (?:the\ |a\ |an\ )?(?:unique\ |rare\ )?case
        | case\ of\ an?\ \d+[- ]year[- ]old
        | \ban?\ \d+[- ](?:year|yr)[- ]old\ (?:\w+\ )?(?:girl|boy|female|male|adolescent|patient|woman|man
            |teen\w*|youth|student)\b""",
    "narrative_review": r"""
        narrative\ review | (?:literature|critical|clinical|selective|comprehensive)\ review
        | review\ of\ the\ literature | (?:this|our)\ (?:review|overview|article\ reviews) | we\ review\b
        | overview\ of
        | we\ (?:summari[sz]e|discuss)\ (?:the\ )?(?:current\ )?(?:evidence|literature|data)""",
    "rct": r"""
        (?<!non-)(?<!non)randomi[sz]ed | randomly\ (?:assigned|allocated) | (?-i:\bRCTs?\b)
        | double[- ]blind\w* | placebo[- ]controlled""",
    "controlled_trial": r"controlled\ trial | control\ group | non-?randomi[sz]ed | comparison\ group",
    "open_label_trial": r"""
        open[- ]label | single[- ]arm | uncontrolled(?!\ (?:cohort|observational|retrospective)) | phase\ (?:I|II|1|2)\ (?:trial|study)""",
    "cohort": r"""
        retrospective | chart\ review | (?:medical|health|electronic)\ records? | cohort | registry
        | naturalistic | observational | real-world | prospective | longitudinal | claims\ data
        | we\ (?:retrospectively\ )?reviewed\ (?:the\ |all\ )?(?:\d|(?:\w+\ )?(?:records|charts|notes|files
            |admissions|episodes))
        | consecutive(?:ly)?\ (?:\w+\ )?(?:patients|children|adolescents|youths?|admissions|referrals|episodes
            |sedations|procedures|presentations)
        | propensity | matched\ (?:\w+\ )?(?:admissions|inpatients|outpatients|comparison|cohort)""",
}
DESIGN_PATTERNS = tuple((name, _rx(p)) for name, p in DESIGN_TEXT.items())
TITLE_REVIEW = _rx(r"(?<!chart\ )(?<!record\ )(?<!records\ )(?<!retrospective\ )\breview\b | \boverview\b")
EVIDENCE_RANK = {
    "meta_analysis": 1, "systematic_review": 2, "rct": 3, "controlled_trial": 4, "open_label_trial": 5,
    "cohort": 6, "case_series": 7, "case_report": 8, "narrative_review": 9, "protocol": 10, "other": 11,
    "animal": 12,
}  # fmt: skip

# --- abstract structure -------------------------------------------------------------------------------------
# Same-length character mapping, so a match in the normalised text quotes the user's own characters.
SAME_LENGTH = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        "\u2032": "'",
        "\u2019": "'",
    }
)
TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
# A sentence ends at ". " before a capital or a digit. Texts are whitespace-normalised (single spaces), so the
# break is one space; starting the pattern with it lets `re` skip ahead quickly.
SENTENCE_END = re.compile(r" (?<=[.!?] )(?=[\"'(\[]?[A-Z0-9])")
NLM_CATEGORIES = ("BACKGROUND", "OBJECTIVE", "METHODS", "RESULTS", "CONCLUSIONS")  # role = category.lower()
SECTION_ROLE_PATTERNS = tuple(
    (role, _rx(p))
    for role, p in (
        ("background", r"background | introduction | context | rationale | importance | significance"),
        ("objective", r"objective | \baims?\b | purpose | goal | question | hypothes"),
        ("results", r"result | finding | \bcases?\b | case\ \w+ | evidence\ synthesis | data\ synthesis"),
        (
            "conclusions",
            r"conclu | discussion | interpretation | implication | relevance | summary | limitation",
        ),
        (
            "methods",
            r"""method | design | setting | participant | patient | intervention | measure | procedure
            | material | population | subject | sample | source | selection | eligibility | search | exposure
            | outcome | analys""",
        ),
    )
)
INLINE_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[.\s]))(?P<label>BACKGROUND|Background|INTRODUCTION|Introduction|OBJECTIVES?|Objectives?"
    r"|AIMS?|Aims?|PURPOSE|Purpose|METHODS?|Methods?|DESIGN|RESULTS|Results|FINDINGS|Findings|CONCLUSIONS?"
    r"|Conclusions?|DISCUSSION|CASE PRESENTATION|Case presentation|TRIAL REGISTRATION"
    r"|Trial registration)\s*:\s*"
)
# Sentences that open the study itself; in an unlabelled abstract, what comes before the first is background.
STUDY_MARKER = _rx(r"""
    \b(?:we|our)\b
    | \bthis\ (?:study|trial|review|report|paper|article|analysis|case|pilot|work|meta-analysis)
    | the\ (?:present|current)\ (?:study|review|report|analysis) | \bhere(?:in)?\b | \baim(?:ed|s)?\b
    | objective | purpose | \bmethods?\b | year-old | case\ (?:report|series) | \bn\s*=\s*\d
    | (?:to|was\ to)\ (?:assess|evaluate|examine|investigate|determine|compare|describe|review|report
        |characteri[sz]e|explore|summari[sz]e|synthesi[sz]e|test|estimate)
    | were\ (?:randomi[sz]ed|enrolled|recruited|included|treated|assigned|identified|analy[sz]ed)
    | \b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen
        |seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)\ (?:\w+\ )?(?:patients|participants
        |adolescents|youths?|children|subjects|individuals|studies|trials|cases|records|articles)
    | retrospective | prospective | randomi[sz]ed | open-label | double-blind | searched | databases?""")
# Where a hedged sentence splits into clauses that can stand alone ("X was well tolerated, but Y is unknown").
CLAUSE_BREAK = _rx(r"[,;]\s+(?=(?:but|however|whereas|although|while|yet)\b) | ;\s+")
FUTURE = _rx(
    r"\bwill\b | \bshall\b | \b(?:is|are)\ planned\b | \bwe\ plan\b | \bto\ be\ (?:recruited|enrolled)\b"
)
HEDGE = _rx(r"""
    (?:future|further|more|larger|additional)\ (?:research|studies|trials|work|investigation)
    | (?:is|are|be)\ (?:needed|warranted|required)
    | remains?\ (?:\w+\ )?(?:unknown|unclear|uncertain|to\ be|limited)
    | little\ is\ known | (?:is|are|remain)\ (?:lacking|limited|scarce|sparse|unknown|unclear)
    | lack\ of\ (?:data|evidence|studies) | limited\ (?:data|evidence) | concerns?\ (?:about|regarding|over)
    | not\ (?:been\ )?(?:well\ )?(?:established|studied|characteri[sz]ed|assessed|evaluated|examined|measured)
    | ha(?:s|ve)\ not\ been | requires?\ (?:further\ |more\ )?(?:study|research|investigation|evaluation)
    | \bexclu(?:ded|sion)\b | should\ (?:be\ )?(?:examine|investigat|explor|stud|address)""")

# --- outcomes -----------------------------------------------------------------------------------------------
EFFICACY = _rx(r"""
    respon(?:se|ses|ded|ders?)\b | remission | \bremit\w* | relaps\w+ | recurren\w+
    | (?-i:MADRS|CDRS|HAM-?D|HDRS|QIDS|BDI|PHQ|C-SSRS|BSS|SSI|CDI|RADS|CGI|YMRS|CAPS|Y-BOCS)
    | depressi\w+\ (?:symptoms?|scores?|severity|ratings?)
    | antidepressant\ (?:effects?|response|benefit|efficacy)
    | efficacy | effectiveness | suicidal\ (?:ideation|thoughts) | \bmood\b | euthymi\w*
    | remain\w*\ (?:well|stable|asymptomatic|symptom-free|free\ of\ (?:depressi|suicid)\w*)""")
EFFICACY_WEAK = _rx(r"""
    improve\w* | \beffective\b | \beffects?\b | reduc\w+ | \bsymptoms?\b | \bscores?\b | \boutcomes?\b
    | benefit\w* | significan\w* | \bdifferences?\b | superior\w*""")
# Durability wording; not after a negation ("rapid but not sustained improvement" reports no durability).
LONG_TERM = _rx(r"""
    (?<!not\ )(?<!no\ )(?<!non-)(?<!lack\ of\ )
    (?:maintenance\ (?:ketamine|esketamine|treatment|therapy|infusions?|dosing|doses|sessions|phase|ECT)
    | continuation\ (?:phase|treatment|therapy|infusions?) | durab(?:le|ility) | time\ to\ relapse
    | relapse\ (?:prevention|rates?|risk) | \brelaps(?:e|ed)\b
    | sustained\ (?:response|remission|improvement|reduction|antidepressant|effects?|benefits?|efficacy)
    | \b(?:was|were|remained|being)\ (?:sustained|maintained|durable) | \bpersisted\b
    | long[- ]term\ (?:efficacy|effectiveness|outcomes?|effects?|benefits?|response|remission|maintenance
        |follow-up|treatment|course))""")

# Durations: "6-month", "12 weeks", "one-year", "4 wk", "6- and 12-month", "at 1, 3 and 6 months".
_NUM = r"""(?:\d+(?:\.\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen
    |sixteen|eighteen|twenty-four|twenty|thirty|forty|fifty|sixty|ninety|an?)\b)"""
_TAIL = rf"""(?:(?:-?\s*,\s*{_NUM})*-?\s*,?\s*(?:and|or)\s*{_NUM}|\s*(?:-|to|through)\s*{_NUM})"""
DURATION = _rx(rf"""
    (?<![\w.])(?P<nums>{_NUM}{_TAIL}?)\s*-?\s*
    (?P<unit>hours?|hrs?|h|days?|(?-i:d)|weeks?|wks?|months?|mos?|years?|yrs?|y)\b(?!-old)""")
# "day 30", "week 4"; a plural only before a list or range ("weeks 2 and 6"), never "12 weeks 45% responded".
TIMEPOINT = _rx(rf"""
    (?<!postnatal\ )\b(?P<unit>day|week|month|year)(?:\s+|s\s+(?=\d+{_TAIL}))
    (?P<nums>\d+{_TAIL}?)\b(?![.,]\d|\s*%)""")
UNIT_WEEKS = {"h": 1 / 168, "d": 1 / 7, "w": 1.0, "m": 52 / 12, "y": 52.0}
NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)?", re.IGNORECASE)
_SMALL = "zero one two three four five six seven eight nine ten eleven twelve".split()
NUMBER_WORDS = {
    **{w: n for n, w in enumerate(_SMALL)},
    "a": 1, "an": 1, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20, "twenty-four": 24,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip
FOLLOW_UP_TAIL = _rx(r"""
    \s*(?:follow[- ]?up | post[- ]?(?:infusion|treatment|baseline)
    | after\ (?:the\ )?(?:last|final|first)\ \w+)""")
# Numbers with a time unit that are not follow-up: ages, illness history, look-back windows, dosing frequency.
DURATION_SKIP_AFTER = _rx(r"""
    ^\s*-?\s*(?:olds?\b | of\ age | of\ life | '?s?\ (?:of\ )?gestation | history | period\b | ago\b | earlier
    | before | prior | previously | apart
    | of\ (?:pregnancy|illness|depression|experience|education|schooling)
    | (?:retrospective\ )?(?:registry|database|review|span|window|interval)\b)""")
DURATION_SKIP_BEFORE = _rx(r"""
    (?:\bage[sd]?|older\ than|younger\ than|\bunder|over\ the\ age\ of|postnatal|gestation\w*|\bonce|\btwice
        |thrice|\btimes|\bevery|\bper|\beach|biweekly)\W*(?:\w+\W+)?$
    | (?:\bpast|\blast|previous|preceding|\bprior|lifetime|history\ of)\W+(?:\w+\W+){0,2}$
    | (?:illness|disease|episode|depression|disorder|symptom)\w*\ duration\W*(?:\w+\W+){0,2}$
    | duration\ of\ (?:the\ )?(?:current\ )?(?:illness|disease|episode|depression|disorder|symptoms|untreated)
        [^.;]{0,20}$
    | (?:adequate|failed|failure)[^.;]{0,40}$""")
# "at least 6 months" is usually an inclusion criterion, unless it is about follow-up or a lasting effect.
DURATION_AT_LEAST = _rx(r"(?:at\ least|≥|>|more\ than)\s*$")
DURATION_LASTING = _rx(r"follow | remain | sustain | maintain | persist | durab | relapse | stable")
DURATION_AGE_BEFORE = _rx(
    r"(?:\( | \bmean | median | average | range | \bSD | ± | \bage | \bover | \babove)\W*$"
)

# --- safety signals (the vocabulary the digest shows) -------------------------------------------------------
SAFETY_SIGNALS = {
    "dissociation": r"""
        dissociat\w+(?!\ (?:anesthetic|anaesthetic|agent|drug|constant)) | out-of-body | depersonali[sz]ation
        | dereali[sz]ation | (?-i:\bCADSS\b) | (?:feelings?|sense|sensations?)\ of\ (?:unreality|detachment)""",
    "psychotomimetic": r"""
        psychotomimetic\w* | psychotic(?:-like)?\ (?:symptoms|reactions?|effects?|experiences?|episodes?)
        | hallucinat\w+
        | perceptual\ (?:disturbances?|changes|distortions?|alterations?) | (?-i:\bBPRS\b)
        | emergence\ (?:reactions?|phenomena) | (?:ketamine-induced|transient|emergent|induced)\ psychosis""",
    "blood_pressure": r"blood\ pressure | hypertensi\w+ | \bsystolic | \bdiastolic",
    "heart_rate": r"heart\ rate | tachycardi\w* | bradycardi\w* | palpitations? | arrhythmi\w* | \bpulse\b(?!\ ox)",
    "nausea": r"\bnause\w+",
    "vomiting": r"\bvomit\w* | \bemesis",
    "dizziness": r"\bdizz\w+ | vertigo | light-?headed\w*",
    "sedation": r"\bsedat\w+ | somnolen\w+ | drows(?:y|i\w+) | sleep(?:iness|ier|y)\b",
    "headache": r"headaches?",
    "cognition": r"""
        \bcognition\b | neurocogniti\w+ | memory\ (?:impairment|deficits?|loss|problems)
        | decline\ in\ (?:memory|attention|cognit\w+) | neuropsycholog\w+\ (?:testing|tests?|performance)
        | executive\ function\w*
        | \bcognitive\ (?:impairment|deficits?|dysfunction|function\w*|effects?|side[- ]effects?|performance
            |decline|safety|changes|outcomes|testing|battery|adverse)""",
    "urological": r"""
        cystitis | urolog\w+ | uropath\w+
        | urinary\ (?:tract|symptoms?|frequency|urgency|incontinence|retention)
        | \bbladder\b | ha?ematuria | dysuria | hydronephrosis""",
    "abuse_misuse": r"""
        \bmisus\w+ | abuse\ (?:potential|liability|risk) | potential\ for\ (?:abuse|misuse) | \bdiversion\b
        | (?:ketamine|esketamine|drug)\ abuse | drug-seeking | non-?medical\ use | recreational\ use""",
    "dependence": r"""
        \bdependence\b | \baddicti\w+ | withdrawal\ (?:symptoms?|syndrome) | \bcraving\w*
        | ketamine\ use\ disorder""",
    "suicidality_worsening": r"""
        (?:worsen\w*|increase[sd]?\ in|emergen\w+\ (?:of\ )?|new-onset|treatment-emergent
            |exacerbat\w+\ (?:of\ )?)
            \ ?suicid\w+
        | suicid\w+\ (?:ideation\ |thoughts\ |behaviou?rs?\ )?(?:worsened|increased|emerged)
        | \bideation\ (?:worsened|increased)
        | attempted\ suicide | suicide\ attempts?\ (?:occurred|was\ reported|were\ reported|during|after)
        | died\ by\ suicide | completed\ suicides?""",
    "death": r"\bdeaths?\b | \bdied\b | \bmortality\b | \bfatal\w* | completed\ suicides?",
    "hepatotoxicity": r"""
        hepatotox\w+ | liver\ (?:injury|damage|function|enzymes?|toxicity) | transaminase\w*
        | hepatic\ (?:injury|enzymes?|dysfunction) | (?-i:\b(?:ALT|AST)\b) | cholesta\w+ | biliary""",
    "adverse_events_general": r"""
        adverse\ (?:events?|effects?|reactions?|drug\ reactions?) | side[- ]effects? | (?-i:\bT?E?AEs?\b)
        | \bsafety\b | \bsafe(?:ly)?\b | (?:hypo)?manic\ switch\w* | mood\ switch\w*
        | (?:develop\w*|switch\w*\ (?:to|into)|induc\w*|emergen\w*\ of|emergent|precipitat\w*)
            \ (?:hypo)?mani(?:a|c)\w*""",
    "tolerability_general": r"""
        tolera(?:bility|ble|ted) | (?:discontinu\w+|dropouts?|withdr[ae]w\w*)\ (?:due\ to|because\ of)
        \ (?:adverse|side)""",
}
SIGNAL_PATTERNS = tuple((name, _rx(p)) for name, p in SAFETY_SIGNALS.items())
NOT_SAFETY = _rx(r"""
    leading\ cause\ of\ death | risk\ of\ (?:death|suicide)\w*
    | active\ (?:placebo|control|comparator)[^.;]{0,80}
    | (?:enough|powered|designed|short|small|few)\ to\ (?:assess|detect|evaluate|examine|measure)[^.;]{0,60}
    | mimic\w*\ [^.;]{0,40}effects | safety\ plan\w* | patient\ safety | safety\ net
    | dissociative\ an(?:a)?esthe\w*
    | death\ (?:ideation|wish) | thoughts\ of\ death | \bsafe\ (?:space|environment|place)""")
MESH_KETAMINE = ("ketamine", "esketamine")
MESH_SAFETY_QUALIFIERS = ("adverse effects", "toxicity", "poisoning")
MESH_SIGNALS = {
    "cystitis": "urological", "urinary bladder diseases": "urological",
    "substance-related disorders": "abuse_misuse", "psychoses, substance-induced": "psychotomimetic",
    "hallucinations": "psychotomimetic", "dissociative disorders": "dissociation",
    "blood pressure": "blood_pressure", "hypertension": "blood_pressure", "heart rate": "heart_rate",
    "tachycardia": "heart_rate", "nausea": "nausea", "vomiting": "vomiting", "dizziness": "dizziness",
    "headache": "headache", "cognition": "cognition", "cognitive dysfunction": "cognition",
    "chemical and drug induced liver injury": "hepatotoxicity", "death": "death",
    "drug-related side effects and adverse reactions": "adverse_events_general",
}  # fmt: skip
