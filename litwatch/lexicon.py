"""The classifier's term lists: patterns for drug, conditions, ages, designs and safety (data only)."""

from __future__ import annotations

import re

# Outcome terms live in their own module; re-exported here, so every pattern is in one namespace (the pattern
# index and its tests collect `vars(lexicon)`).
from litwatch.lexicon_outcomes import *  # noqa: F403


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
        |compar(?:ed|ing|isons?)\ (?:(?:it|them|this|these)\ )?(?:with|to|against))\ (?:\w+\ ){{0,2}}?{_K}
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
    status\ (?:epilepticus|asthmaticus|dystonicus) | dystoni\w+ | movement\ disorders? | \bepilep\w+ | \bseizures? | \basthma\w* | bronchospasm
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
# Ketamine given as part of an operation or a sedation: its role is the anaesthetic, whatever mood outcome is
# measured ("intraoperative esketamine", "ketamine at induction", "ketamine-based sedation").
KETAMINE_ANAESTHETIC = _rx(r"""
    (?:pre|peri|intra)[- ]?operative(?:ly)?\ (?:\w+\ ){0,2}?\w*ketamin[ea]?\b
    | \b\w*ketamin[ea]?\b[^.;]{0,60}?\b(?:at|during|after|before)\ (?:the\ )?
        (?:an(?:a)?esthe\w+\ induction|induction\ of\ (?:general\ )?an(?:a)?esthe)
    | \b\w*ketamin[ea]?\b[^.;]{0,40}?\b(?:during|throughout|until\ the\ end\ of)\ (?:the\ )?
        (?:surgery|operation|procedure|general\ an(?:a)?esthesia)
    | \b\w*ketamin[ea]?[- ](?:based\ |propofol\ )?(?:an(?:a)?esthesia|sedation|analgesia)
    | (?<!sub)(?<!sub-)an(?:a)?esthe\w+\ (?:induced\ |maintained\ )?(?:with|using)\ (?:\w+\ ){0,2}?\w*ketamin""")
# Ketamine as a street drug, and the signs that a record is about treatment instead.
RECREATIONAL = _rx(r"""
    recreational\w* | \billicit\w* | club\ drugs? | party\ drugs? | \braves?\b | nightlife | nightclub\w*
    | street\ (?:ketamine|drugs?) | non-?medical(?:ly)?\ (?:\w+\ )?(?:use|users?) | (?:ketamine|drug)\ users?
    | intoxicat\w+ | poisonings? | self-?medicat\w+ | self-?treat\w+ | \bsnort\w* | dark\ web
    | (?:heavy|daily|regular|frequent|chronic|binge)\ ketamine\ use
    | (?:bought|buying|purchas\w+)\ (?:\w+\ ){0,3}?(?:online|from\ (?:friends|dealers?)|on\ the\ street)
    | (?:obtained|sourced|got)\ (?:\w+\ ){0,3}?(?:from\ (?:friends|dealers?)|on\ the\ street|illegally)
    | \babusers? | polysubstance | harm[- ]reduction | coroners?\b | post-?mortem
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
# A title that says something was given or tried (route, dose form, trial), whatever the drug: with ketamine
# only in passing, the treatment studied is another one.
TREATMENT_TITLE = _rx(r"""
    \bintravenous | intranasal | \boral\b | sublingual | \binfusions? | supplement\w* | augmentation
    | adjunctive | open-label | pilot\ (?:study|trial) | randomi[sz]ed | (?:controlled|clinical)\ trial""")

# Laboratory work on cells, tissue or assays, or counts of publications: nobody was treated, so it is not a
# clinical study of ketamine.
LABORATORY = _rx(r"""
    bibliometric | citation\ analys\w+ |
    \bin\ vitro\b | \biPSCs?\b | induced\ pluripotent | stem[- ]cell[- ]derived | \borganoids?\b | cell\ cultures?
    | cultured\ (?:neurons|cells) | \bLC-MS | mass\ spectrometry | chromatograph\w+ | assay\ validation
    | analytical\ method | limits?\ of\ (?:detection|quantification) | \bin\ silico\b | molecular\ docking
    | molecular\ dynamics | computational\ (?:model\w*|simulations?|study) | binding\ free\ energ\w+
    | cryo-?(?:electron\ microscopy|EM)\b""")
# Media as the unit of study (videos, posts, news): named in a title, nobody in the study was treated.
MEDIA = _rx(r"""
    \b(?:TikTok|YouTube|Twitter|Reddit|Instagram)\b | social\ media\ (?:posts|content|videos)
    | news\ (?:coverage|media|articles) | media\ coverage | online\ (?:forums?|posts|discussions|videos)
    | \bwebsites?\b
    | content\ analysis\ of\ (?:\w+\ ){0,4}?(?:videos|posts|tweets|websites|news|media|advertis\w+|coverage)
    | google\ trends | \btweets\b""")

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
    | \b(?P<b>\d{2})\s*(?:(?:years?\s*)?(?:of\ age\s*)?(?:or|and)\ older|(?:years?|of\ age)\s*(?:or|and)\ (?:over|above))
    | (?:older\ than|(?:aged?|ages)\ (?:over|above|at\ least|of\ at\ least)|over\ the\ age\ of)
        \s*(?P<c>\d{2})\b
    | at\ least\s*(?P<d>\d{2})\s*years?\s*(?:of\ age|old)""")
AGE_MAX = _rx(r"""
    (?:under|younger\ than|below\ the\ age\ of)\s*(?:the\ age\ of\s*)?(?P<a>\d{2})\b
        (?!\s*(?:weeks?|months?|days?|hours?|%|mg|points?|kg|min))
    | (?:<|less\ than)\s*(?P<b>\d{2})\s*(?:years?|yrs?)
    | (?:≤|<=|≦|up\ to(?:\ the\ age\ of)?|aged\ up\ to)\s*(?P<c>\d{2})\s*(?:years?|yrs?)
    | \b(?P<d>\d{2})\s*(?:(?:years?\s*)?(?:of\ age\s*)?(?:or|and)\ younger|(?:years?|of\ age)\s*(?:or|and)\ (?:under|below))""")
AGE_SINGLE = _rx(r"""
    \b(?P<a>\d{1,2})[\s-]*(?:years?|yrs?|y)[\s-]*old\b | \b(?P<b>\d{1,2})-year-olds?\b
    | \b(?:aged|(?:at|by)\ (?:the\ )?age(?:\ of)?)\ (?P<c>\d{1,2})\b
        (?!\s*(?:-|to|and|or|through)\s*\d|\s*(?:weeks?|months?|days?))""")
# An age bound that nobody in the study met ("no one younger than 18 was treated") does not widen the ages.
AGE_NEGATED = _rx(r"""
    \b(?:no|none|not|nobody|never)\b(?:\ \w+){0,3}?\ (?:younger\ than|under|below|aged\ (?:under|below))
        \ (?:the\ age\ of\ )?\d{2}""")
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
    # Studies of records, prescriptions or opinions that follow nobody over time (epidemiology, surveys, models).
    "other": r"""
        cross-sectional | bibliometric | pharmacovigilance | qualitative | \bsurveys?\b | questionnaire\ study
        | prediction\ models? | predictive\ models? | machine[- ]learning | (?:time\ )?trends\ in
        | prescribing\ (?:patterns|trends|rates)""",
    "cohort": r"""
        follow-up\ study | we\ (?:prospectively\ )?followed | adjust(?:ed|ing|ment)\ for | retrospective
        | chart\ review | (?:medical|health|electronic)\ records? | cohort | registry
        | naturalistic | observational | real-world | prospective | longitudinal | claims\ data
        | we\ (?:retrospectively\ )?reviewed\ (?:the\ |all\ )?(?:\d|(?:\w+\ )?(?:records|charts|notes|files
            |admissions|episodes))
        | consecutive(?:ly)?\ (?:\w+\ )?(?:patients|children|adolescents|youths?|admissions|referrals|episodes
            |sedations|procedures|presentations)
        | propensity | matched\ (?:\w+\ )?(?:admissions|inpatients|outpatients|comparison|cohort)
        | we\ (?:retrospectively\ )?reviewed\ (?:the\ )?(?:outcomes\ (?:of|for|in)\b
            |all\ (?:\w+\ ){0,2}?(?:patients|adolescents|children|youths?|veterans|people|individuals|cases))
        | we\ (?:report|describe|evaluated|examined)\ (?:the\ )?outcomes\ (?:of|for|in)\b""",
}
DESIGN_PATTERNS = tuple((name, _rx(p)) for name, p in DESIGN_TEXT.items())
TITLE_REVIEW = _rx(r"""
    (?<!chart\ )(?<!record\ )(?<!records\ )(?<!retrospective\ )\breview\b
        (?!\ of\ (?:\S+\ ){0,3}?(?:records|charts|notes|files|registers|reports|cases)\b) | \boverview\b""")
# Study-design MeSH terms (indexers add them to older records): used when the text names no design.
MESH_DESIGN = {
    "retrospective studies": "cohort", "prospective studies": "cohort", "cohort studies": "cohort",
    "longitudinal studies": "cohort", "follow-up studies": "cohort", "cross-sectional studies": "other",
}  # fmt: skip
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
