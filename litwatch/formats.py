"""Digest renderings as plain strings (text, Markdown, HTML, JSON) and the words that explain codes to readers."""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from litwatch.models import Author, Digest, StoredArticle

_DESIGNS = {
    "meta_analysis": "meta-analysis",
    "systematic_review": "systematic review",
    "rct": "randomised controlled trial",
    "controlled_trial": "controlled trial (non-randomised)",
    "open_label_trial": "open-label trial",
    "cohort": "cohort study",
    "case_series": "case series",
    "case_report": "case report",
    "narrative_review": "narrative review",
    "protocol": "study protocol",
    "animal": "animal study",
    "other": "other design",
}
_SIGNALS = {
    "abuse_misuse": "abuse/misuse",
    "adverse_events_general": "adverse events",
    "tolerability_general": "tolerability",
    "suicidality_worsening": "worsening suicidality",
    "urological": "urological harm",
    "psychotomimetic": "psychotomimetic effects",
    "cognition": "cognitive effects",
}
_EXCLUSIONS = {
    "animal": "animal studies",
    "adult_only": "adult-only",
    "anaesthesia_or_analgesia": "anaesthesia/sedation/analgesia",
    "recreational_use": "recreational use",
    "other_treatment": "other treatments",
    "not_psychiatric": "not psychiatric",
    "off_topic": "off topic",
    "unclassified": "not yet classified",
}
_POPULATIONS = {
    "adolescent": "adolescents",
    "child": "children",
    "youth_mixed": "adolescents and young adults",
    "adult": "adults",
    "animal": "animals",
    "mixed_all_ages": "all ages",
    "unknown": "",
}
NOTHING_NEW = "Nothing new"
_WRAP = {"width": 78, "break_long_words": False, "break_on_hyphens": False}  # never break a URL or DOI


def humanize_design(design: str) -> str:
    """'rct' -> 'randomised controlled trial'; unknown codes read with spaces for underscores."""
    return _DESIGNS.get(design, design.replace("_", " "))


def humanize_signal(s: str) -> str:
    """'blood_pressure' -> 'blood pressure': classifier codes in the words a clinician uses."""
    return _SIGNALS.get(s, s.replace("_", " "))


def humanize_exclusion(r: str) -> str:
    """'animal' -> 'animal studies', 'adult_only' -> 'adult-only'."""
    return _EXCLUSIONS.get(r, r.replace("_", " "))


def humanize_population(p: str) -> str:
    """'adolescent' -> 'adolescents'; 'unknown' -> '' so nothing is shown."""
    return _POPULATIONS.get(p, p.replace("_", " "))


def first_author_et_al(authors: Sequence[Author]) -> str:
    """'Smith JA', 'Smith JA and Lee K' or 'Smith JA et al.'; '' when the record names no author."""
    names = [a.display for a in authors if a.display]
    if len(names) <= 1:
        return names[0] if names else ""
    return f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."


def humanize_follow_up(weeks: float | None) -> str:
    """26 -> 'follow-up 26 weeks'; under a week is given in days."""
    if weeks is None:
        return ""
    if weeks < 1:
        days = round(weeks * 7)
        return f"follow-up {days} day{'' if days == 1 else 's'}"
    n = int(weeks) if float(weeks).is_integer() else round(weeks, 1)
    text = f"follow-up {n} week{'' if n == 1 else 's'}"
    if weeks >= 12:  # clinicians think in months and years past a quarter
        months = round(weeks * 12 / 52)
        text += (
            f" (~{months // 12} year{'s' if months >= 24 else ''})"
            if months % 12 == 0
            else f" (~{months} months)"
        )
    return text


def doi_url(doi: str) -> str:
    """The resolver link, percent-encoded so parentheses and brackets in old DOIs cannot break a link."""
    return "https://doi.org/" + quote(doi.strip(), safe="/:;")


def pmc_url(pmcid: str) -> str:
    pmcid = pmcid.strip()
    return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{quote(pmcid if pmcid.startswith('PMC') else 'PMC' + pmcid)}/"


@dataclass(frozen=True)
class _Item:
    """One study as every format shows it: already humanised, not yet escaped."""

    title: str
    source: list[str]  # first author et al., journal, date
    study: list[str]  # design, population, follow-up
    short: list[str]  # the one-line form: title, first author et al., journal, year
    signals: str
    why: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (label, url): PubMed, then DOI and PMC when known


def _item(sa: StoredArticle, section: str | None) -> _Item:
    a, c = sa.article, sa.classification
    links = [("PubMed", a.url)]
    if a.doi:
        links.append(("DOI", doi_url(a.doi)))
    if a.pmcid:
        links.append(("PMC", pmc_url(a.pmcid)))
    title = a.title.strip() or f"(untitled record {a.pmid})"
    byline, journal = first_author_et_al(a.authors), a.journal or a.journal_abbrev or ""
    study = (
        [humanize_design(c.design), humanize_population(c.population), humanize_follow_up(c.follow_up_weeks)]
        if c
        else []
    )
    return _Item(
        title=title,
        source=[p for p in (byline, journal, a.pub_date.display()) if p],
        study=[p for p in study if p],
        short=[p for p in (title, byline, journal, str(a.year or "")) if p],
        signals=", ".join(humanize_signal(s) for s in c.safety_signals) if c else "",
        why=tuple(c.reasons.get(section, ())) if c and section else (),
        links=tuple(links),
    )


def sections(d: Digest) -> list[tuple[str, list[_Item]]]:
    return [
        ("Long-term efficacy", [_item(sa, "long_term_efficacy") for sa in d.long_term_efficacy]),
        ("Safety", [_item(sa, "safety") for sa in d.safety]),
    ]


def other_items(d: Digest) -> list[_Item]:
    return [_item(sa, None) for sa in d.other_on_topic]


def _excluded(d: Digest) -> list[tuple[str, int]]:
    """Reasons with their counts, largest first, in human words."""
    rows = sorted(((r, n) for r, n in d.excluded.items() if n), key=lambda rn: (-rn[1], rn[0]))
    return [(humanize_exclusion(r), n) for r, n in rows]


def _day(ts: str) -> str:
    return ts[:10] if ts else "the start"


def heading(d: Digest) -> str:
    return f"litwatch digest: {_day(d.since)} to {_day(d.until)}"


def nothing_at_all(d: Digest) -> bool:
    return d.is_empty and not sum(d.excluded.values())


def summary_line(d: Digest) -> str:
    """One line of counts; a study in both sections is counted once in the total."""
    if nothing_at_all(d):
        return f"Nothing new since {d.since_label}: no new studies matched the saved queries."
    total = len({sa.article.pmid for sa in (*d.long_term_efficacy, *d.safety, *d.other_on_topic)})
    left_out = sum(d.excluded.values())
    return (
        f"{total} new on-topic {'study' if total == 1 else 'studies'} since {d.since_label}: "
        f"{len(d.long_term_efficacy)} on long-term efficacy, {len(d.safety)} on safety, "
        f"{len(d.other_on_topic)} other; {left_out} left out."
    )


def excluded_line(d: Digest) -> str:
    return ", ".join(f"{r}: {n}" for r, n in _excluded(d)) or NOTHING_NEW


def _json_item(sa: StoredArticle) -> dict:
    a, c = sa.article, sa.classification
    return {
        "pmid": a.pmid,
        "title": a.title,
        "authors": [x.display for x in a.authors],
        "journal": a.journal,
        "pub_date": a.pub_date.iso(),
        "year": a.year,
        "design": c.design if c else None,
        "evidence_rank": c.evidence_rank if c else None,
        "population": c.population if c else None,
        "follow_up_weeks": c.follow_up_weeks if c else None,
        "safety_signals": list(c.safety_signals) if c else [],
        "reasons": {k: list(v) for k, v in c.reasons.items()} if c else {},
        "url": a.url,
        "doi": a.doi,
        "doi_url": doi_url(a.doi) if a.doi else None,
        "pmcid": a.pmcid,
        "pmc_url": pmc_url(a.pmcid) if a.pmcid else None,
        "first_seen": sa.first_seen,
        "queries": list(sa.queries),
    }


def digest_json(d: Digest) -> str:
    """The digest for scripts: every field by its code name, not humanised."""
    doc = {
        "generated_at": d.generated_at,
        "since": d.since,
        "until": d.until,
        "since_label": d.since_label,
        "counts": {k: len(getattr(d, k)) for k in ("long_term_efficacy", "safety", "other_on_topic")}
        | {"excluded": sum(d.excluded.values())},
        "sections": {
            "long_term_efficacy": [_json_item(sa) for sa in d.long_term_efficacy],
            "safety": [_json_item(sa) for sa in d.safety],
        },
        "other_on_topic": [_json_item(sa) for sa in d.other_on_topic],
        "excluded": dict(d.excluded),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, initial_indent=first, subsequent_indent=rest, **_WRAP) or [first.rstrip()]


def _underlined(heading: str) -> list[str]:
    return ["", heading, "=" * len(heading)]


def digest_text(d: Digest) -> str:
    """Plain text for email bodies and pipes: no markup, wrapped at 78 columns, URLs never broken."""
    out = [heading(d), *_wrap(summary_line(d))]
    if nothing_at_all(d):
        return "\n".join(out) + "\n"
    for name, items in sections(d):
        out += _underlined(f"{name} ({len(items)})")
        if not items:
            out.append(NOTHING_NEW)
        for n, it in enumerate(items, 1):
            pad = " " * (len(str(n)) + 2)
            out += ["", *_wrap(it.title, f"{n}. ", pad), *_wrap(" | ".join(it.source), pad, pad)]
            out += _wrap(" | ".join(it.study), pad, pad) if it.study else []
            out += _wrap(f"Safety signals: {it.signals}", pad, pad + "  ") if it.signals else []
            out += _wrap("Why: " + "; ".join(it.why), pad, pad + "  ") if it.why else []
            out += [f"{pad}{label}: {url}" for label, url in it.links]
    other = other_items(d)
    out += _underlined(f"Other new on-topic studies ({len(other)})")
    for it in other:
        out += [*_wrap(" | ".join(it.short), "- ", "  "), f"  {it.links[0][1]}"]
    out += [] if other else [NOTHING_NEW]
    out += [*_underlined(f"Left out ({sum(d.excluded.values())})"), *_wrap(excluded_line(d))]
    return "\n".join(out) + "\n"


_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown specials so record text can never become emphasis, links or raw HTML."""
    text = _MD_SPECIALS.sub(r"\\\1", " ".join(text.split()))
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _md_links(it: _Item) -> str:
    return " · ".join(f"[{label}]({url})" for label, url in it.links)


def digest_markdown(d: Digest) -> str:
    """Markdown for notes, chat and issue trackers; record text escaped, links as [PubMed](url)."""
    out = [f"# {md_escape(heading(d))}", "", md_escape(summary_line(d))]
    if nothing_at_all(d):
        return "\n".join(out) + "\n"
    for name, items in sections(d):
        out += ["", f"## {name} ({len(items)})", ""]
        if not items:
            out.append(NOTHING_NEW)
        for n, it in enumerate(items, 1):
            lines = [f"**{md_escape(it.title)}**", " · ".join(md_escape(p) for p in it.source)]
            lines += [md_escape(" · ".join(it.study))] if it.study else []
            lines += [f"Safety signals: {md_escape(it.signals)}"] if it.signals else []
            lines += ["Why: " + md_escape("; ".join(it.why))] if it.why else []
            lines.append(_md_links(it))
            pad = " " * (len(str(n)) + 2)
            out += [""] * (n > 1) + [f"{n}. " + f"  \n{pad}".join(lines)]  # loose list: a blank line between
    other = other_items(d)
    out += ["", f"## Other new on-topic studies ({len(other)})", ""]
    out += [f"- {' · '.join(md_escape(p) for p in it.short)} · [PubMed]({it.links[0][1]})" for it in other]
    out += [] if other else [NOTHING_NEW]
    out += ["", f"## Left out ({sum(d.excluded.values())})", "", md_escape(excluded_line(d))]
    return "\n".join(out) + "\n"


_BODY = "margin:0;padding:16px;font-family:Arial,sans-serif;font-size:15px;line-height:1.45;color:#222"
_H1 = "font-size:22px;margin:0 0 6px 0"
_H2 = "font-size:18px;margin:24px 0 8px 0;padding-bottom:4px;border-bottom:1px solid #ccc"
_ITEM = "margin:0 0 16px 0"
_P = "margin:2px 0"
_META = "margin:2px 0;color:#555;font-size:14px"
_A = "color:#1a5fb4"
_UL = "margin:0;padding-left:20px"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _a(label: str, url: str) -> str:
    return f'<a href="{_e(url)}" rel="noopener" style="{_A}">{_e(label)}</a>'


def _html_item(it: _Item) -> str:
    parts = [f'<p style="{_P}"><strong>{_e(it.title)}</strong></p>']
    parts.append(f'<p style="{_META}">{_e(" · ".join(it.source))}</p>')
    parts += [f'<p style="{_META}">{_e(" · ".join(it.study))}</p>'] if it.study else []
    parts += [f'<p style="{_P}">Safety signals: {_e(it.signals)}</p>'] if it.signals else []
    parts += [f'<p style="{_META}">Why: {_e("; ".join(it.why))}</p>'] if it.why else []
    parts.append(f'<p style="{_P}">' + " · ".join(_a(label, url) for label, url in it.links) + "</p>")
    return f'<div style="{_ITEM}">' + "".join(parts) + "</div>"


def digest_html(d: Digest) -> str:
    """A whole HTML email: inline styles only, no scripts, tables or remote resources; record text escaped."""
    body = [f'<h1 style="{_H1}">{_e(heading(d))}</h1>', f'<p style="{_META}">{_e(summary_line(d))}</p>']
    if not nothing_at_all(d):
        for name, items in sections(d):
            body.append(f'<h2 style="{_H2}">{_e(name)} ({len(items)})</h2>')
            body += [_html_item(it) for it in items] or [f'<p style="{_P}">{NOTHING_NEW}</p>']
        other = other_items(d)
        body.append(f'<h2 style="{_H2}">Other new on-topic studies ({len(other)})</h2>')
        rows = [f"<li>{_e(' · '.join(it.short))} · {_a('PubMed', it.links[0][1])}</li>" for it in other]
        body.append(
            f'<ul style="{_UL}">{"".join(rows)}</ul>' if rows else f'<p style="{_P}">{NOTHING_NEW}</p>'
        )
        body.append(f'<h2 style="{_H2}">Left out ({sum(d.excluded.values())})</h2>')
        body.append(f'<p style="{_P}">{_e(excluded_line(d))}</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(heading(d))}</title>\n</head>\n"
        f'<body style="{_BODY}">\n<div style="max-width:720px">\n'
        + "\n".join(body)
        + "\n</div>\n</body>\n</html>\n"
    )


DIGEST_FORMATS = ("rich", "text", "markdown", "html", "json")


def digest_as(d: Digest, fmt: str) -> str:
    """The digest in one of the string formats: text, markdown, html or json."""
    return {"text": digest_text, "markdown": digest_markdown, "html": digest_html, "json": digest_json}[fmt](
        d
    )
