"""The classifier's outcome terms: efficacy, durability, follow-up durations and safety signals (data only)."""

from __future__ import annotations

import re


def _rx(pattern: str) -> re.Pattern[str]:
    """Patterns are written verbose (spaces are ignored, a literal space is '\\ ') and match any case."""
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


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

# Durations: "6-month", "12 weeks", "one-year", "4 wk", "6- and 12-month", "at 1, 3 and 6 months"; the number
# of a time point is not the first of a list ("at week 4, and three months after").
_NUM = r"""(?:\d+(?:\.\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen
    |sixteen|eighteen|twenty-four|twenty|thirty|forty|fifty|sixty|ninety|an?)\b)"""
_TAIL = rf"""(?:(?:-?\s*,\s*{_NUM})*-?\s*,?\s*(?:and|or)\s*{_NUM}|\s*(?:-|to|through)\s*{_NUM})"""
DURATION = _rx(rf"""
    (?<![\w.])(?<!day\ )(?<!days\ )(?<!week\ )(?<!weeks\ )(?<!month\ )(?<!year\ )(?P<nums>{_NUM}{_TAIL}?)\s*-?\s*
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
        | dereali[sz]ation | (?-i:\bCADSS\b) | (?:feelings?|sense|sensations?)\ of\ (?:unreality|detachment)
        | \bdetached\b | floating\ (?:sensations?|feelings?)""",
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
        \bcognition\b | neurocogniti\w+ | memory\ (?:impairment|deficits?|loss|lapses?|complaints?|problems)
        | (?:working|verbal|episodic|visual|visuospatial|short-term)\ memory
        | decline\ in\ (?:memory|attention|cognit\w+) | neuropsycholog\w+\ (?:testing|tests?|performance)
        | executive\ function\w*
        | \bcognitive\ (?:impairment|deficits?|dysfunction|function\w*|effects?|side[- ]effects?|performance
            |decline|safety|changes|outcomes|testing|tests?|battery|screen\w*|assessments?|scores?|adverse)""",
    "urological": r"""
        cystitis | urolog\w+ | uropath\w+
        | urinary\ (?:tract|symptoms?|frequency|urgency|incontinence|retention)
        | \bbladder\b | ha?ematuria | dysuria | hydronephrosis""",
    "abuse_misuse": r"""
        \bmisus\w+ | abuse\ (?:potential|liability|risk) | potential\ for\ (?:abuse|misuse) | \bdiversion\b
        | (?:ketamine|esketamine|drug)\ abuse | drug-seeking | non-?medical\ use | recreational\ use""",
    "dependence": r"""
        \bdependence\b | (?:become|becoming|became|becomes|physically|psychologically)\ dependent | \baddicti\w+ | withdrawal\ (?:symptoms?|syndrome) | \bcraving\w*
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
    | dissociative\ an(?:a)?esthe\w* | (?:procedural|for)\ sedation
    | death\ (?:ideation|wish) | thoughts\ of\ death | \bsafe\ (?:space|environment|place|setting)
    | (?:feel|felt|feeling|feels)\ (?:\w+\ )?safe(?:r|ty)?\b | (?:sense\ of|emotional|psychological)\ safety""")
# Past-tense reports of events ("dissociation occurred in 17 of 20"): what a protocol's pilot phase found.
EVENTS_REPORTED = _rx(r"""
    \boccurred\b | \b(?:was|were)\ (?:observed|reported|seen|noted)\b | \bwithdrew\b | \bexperienced\b
    | \b(?:resolved|settled)\ (?:within|without|after|spontaneously)""")
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
