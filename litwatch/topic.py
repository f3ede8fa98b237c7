"""Is a record about ketamine for a psychiatric condition in young people, or which confuser is it?"""

from __future__ import annotations

from litwatch import lexicon as lx
from litwatch.sentences import Doc, Sentence, find, hits, quote

YOUTH_POPULATIONS = ("adolescent", "child", "youth_mixed", "mixed_all_ages")


def _score(hits, title: int = 2) -> int:
    """Sentences that mention something; a title counts more (it states what the study is about)."""
    sentences = {id(s): s for s, _ in hits}
    return sum(title if s.role == "title" else 1 for s in sentences.values())


def laboratory_work(doc: Doc) -> tuple[tuple[str, ...], list[Sentence]]:
    """(why this is laboratory work, the sentences where people were given something): cells are nobody."""
    title = [s for s in doc.sentences if s.role == "title"]
    lab_title = hits(lx.LABORATORY, title) or hits(lx.MEDIA, title)  # videos and posts are nobody either
    lab = lab_title or hits(lx.LABORATORY, doc.study)
    treated = hits(lx.TREATED, doc.study) if lab else []
    if lab_title or (lab and not treated):
        return ("laboratory study: nobody was treated", quote(lab[0])), [s for s, _ in treated]
    return (), []


def exclusion(doc: Doc, population: str, population_why, animal_why, lab_why) -> tuple[str | None, dict]:
    """None (on topic) or the exclusion, with the reasons for either."""
    every = list(doc.sentences)
    if animal_why:
        return "animal", {"excluded": animal_why}
    # "Unlike ketamine, ...", "none had received ketamine", "trials of ketamine are needed": not about ketamine
    stated = [s for s in every if s.where != "abstract"] + [s for s in doc.plain if s.where == "abstract"]
    ketamine = hits(lx.KETAMINE, stated, lx.KETAMINE_ASIDE)
    mesh_ketamine = doc.has_mesh(*lx.MESH_KETAMINE)
    central = [h for h in ketamine if h[0].role in ("title", "keyword")]
    central += hits(lx.KETAMINE, doc.study, lx.KETAMINE_ASIDE)
    psych = hits(lx.PSYCH, every, lx.NOT_PSYCH)
    psych_population = hits(lx.PSYCH_POPULATION, every)
    anaesthesia = hits(lx.ANAESTHESIA, every)
    if ketamine or mesh_ketamine:
        recreational, therapeutic = hits(lx.RECREATIONAL, doc.study), hits(lx.THERAPEUTIC, every)
        in_title = [h for h in recreational if h[0].role == "title"]
        # misuse that began with a prescription for a psychiatric condition is a harm of treatment (safety)
        prescribed = any(s.role == "title" for s, _ in therapeutic) and hits(
            lx.PSYCH, [s for s, _ in in_title]
        )
        if (
            recreational
            and not prescribed
            and (in_title or not therapeutic or len(recreational) > len(therapeutic))
        ):
            return "recreational_use", {"excluded": (quote((in_title or recreational)[0]),)}
    if lab_why:  # cells, assays and publication counts: whatever setting they come from, nobody was treated
        return "off_topic", {"excluded": lab_why}
    psych_score = _score(psych, title=3) + (2 if hits(lx.ECT, every) and len(psych) > 1 else 0)
    psych_title = any(s.role == "title" for s, _ in psych)
    title = [s for s in every if s.role == "title"]
    # Asthma, status epilepticus: a condition treated (whatever the ward), unless the title is about sedation.
    medical = hits(lx.MEDICAL, every)
    sedation = hits(lx.SEDATION_OR_PAIN, every) if medical else []
    sedation_title = any(s.role == "title" for s, _ in sedation)
    if medical and (ketamine or mesh_ketamine) and not (psych_title or sedation_title):
        if _score(medical) > max(psych_score, _score(sedation)):
            return "not_psychiatric", {"excluded": (quote(medical[0]),)}
    as_anaesthetic = hits(lx.KETAMINE_ANAESTHETIC, doc.study)  # ketamine given for an operation or sedation
    if as_anaesthetic and not hits(lx.ECT, every):  # (as the ECT anaesthetic it is part of psychiatric care)
        return "anaesthesia_or_analgesia", {"excluded": (quote(as_anaesthetic[0]),)}
    if anaesthesia and (_score(anaesthesia), not psych_title) > (psych_score, False):
        return "anaesthesia_or_analgesia", {"excluded": (quote(anaesthesia[0]),)}
    # Another treatment named in the title, ketamine only in one sentence of the abstract: a comparison or an
    # aside ("unlike ketamine, ..."), not a study of ketamine.
    other_in_title = hits(lx.OTHER_TREATMENT, title) or (hits(lx.TREATMENT_TITLE, title) if psych else [])
    # the sentences that say ketamine was given or studied: not the background's motive, not a plan
    named = {s.text for s, _ in ketamine if s.role != "background" and not find(lx.FUTURE, s.norm)}
    headline = mesh_ketamine or any(s.role in ("title", "keyword") for s, _ in ketamine)
    in_passing = len(named) <= 1 and not headline
    if other_in_title and in_passing:
        return "other_treatment", {"excluded": (quote(other_in_title[0]), "ketamine only in passing")}
    if (
        central and in_passing
    ):  # one sentence names ketamine; title, keywords and MeSH are about something else
        return "off_topic", {"excluded": ("ketamine only in passing", quote(central[0]))}
    if not central and not mesh_ketamine:
        other = hits(lx.OTHER_TREATMENT, doc.study)
        if other and psych:
            return "other_treatment", {"excluded": (quote(other[0]),)}
        aside = ketamine or hits(lx.KETAMINE, every)
        why = ("ketamine only in passing", quote(aside[0])) if aside else ("no ketamine mentioned",)
        return "off_topic", {"excluded": why}
    if not psych and not psych_population:
        return "not_psychiatric", {"excluded": ("no psychiatric condition mentioned",)}
    if population not in YOUTH_POPULATIONS:
        if population == "adult":
            return "adult_only", {"excluded": population_why}
        return "off_topic", {"excluded": ("no adolescents, children or youth mentioned",)}
    k = quote(central[0]) if central else f"MeSH: {mesh_ketamine.title()}"
    return None, {"on_topic": (k, quote((psych or psych_population)[0]), population_why[0])}
