"""Terminal output (rich): consoles that honour NO_COLOR and pipes, progress bars, the digest view, tables, messages."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape as rich_escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from litwatch.formats import (  # noqa: F401  (DIGEST_FORMATS and digest_as are re-exported for the CLI)
    DIGEST_FORMATS,
    NOTHING_NEW,
    digest_as,
    doi_url,
    excluded_line,
    heading,
    humanize_design,
    humanize_exclusion,
    humanize_follow_up,
    humanize_population,
    humanize_signal,
    nothing_at_all,
    other_items,
    pmc_url,
    sections,
    summary_line,
)
from litwatch.models import Digest, QueryRunResult


def _rich_link(url: str) -> str:
    # DOI and PMC URLs are percent-encoded here; a bracket (which would end the tag) can only come from a bad PMID.
    return rich_escape(url) if "[" in url or "]" in url else f"[link={url}]{rich_escape(url)}[/link]"


def digest_rich(console: Console, d: Digest) -> None:
    """The terminal view: a rule per section, bold titles, dim metadata, clickable links where supported."""

    def say(markup: str = "", **kw) -> None:
        console.print(markup, emoji=False, highlight=False, **kw)

    say(f"[bold]{rich_escape(heading(d))}[/bold]")
    say(rich_escape(summary_line(d)))
    if nothing_at_all(d):
        return
    for name, items in sections(d):
        console.rule(f"[bold]{name} ({len(items)})[/bold]", align="left")
        if not items:
            say(f"[dim]{NOTHING_NEW}[/dim]")
        for n, it in enumerate(items, 1):
            say(f"{n}. [bold]{rich_escape(it.title)}[/bold]")
            say(f"   [dim]{rich_escape(' · '.join(it.source))}[/dim]")
            if it.study:
                say(f"   [dim]{rich_escape(' · '.join(it.study))}[/dim]")
            if it.signals:
                say(f"   Safety signals: {rich_escape(it.signals)}")
            if it.why:
                say(f"   [dim]Why: {rich_escape('; '.join(it.why))}[/dim]")
            for label, url in it.links:
                say(f"   {label}: {_rich_link(url)}", overflow="ignore", crop=False)
            say()
    other = other_items(d)
    console.rule(f"[bold]Other new on-topic studies ({len(other)})[/bold]", align="left")
    for it in other:
        say(f"• {rich_escape(' · '.join(it.short))}")
        say(f"  {_rich_link(it.links[0][1])}", overflow="ignore", crop=False)
    if not other:
        say(f"[dim]{NOTHING_NEW}[/dim]")
    say()
    console.rule(f"[bold]Left out ({sum(d.excluded.values())})[/bold]", align="left")
    say(rich_escape(excluded_line(d)))


def make_console(stderr: bool = False, force_terminal: bool | None = None) -> Console:
    """A Console for stdout (data) or stderr (messages): plain text when not a TTY, no colour under NO_COLOR.

    FORCE_COLOR (rich's own switch) is still honoured, because a user who sets it asked for codes in a pipe.
    """
    stream = sys.stderr if stderr else sys.stdout
    if force_terminal is None and not os.environ.get("FORCE_COLOR"):
        isatty = getattr(stream, "isatty", None)
        force_terminal = bool(isatty and isatty())
    return Console(stderr=stderr, force_terminal=force_terminal, highlight=False, emoji=False)


@contextmanager
def progress(console: Console | None, description: str) -> Iterator[Callable[[str, int, int], None]]:
    """Yield `advance(stage, done, total)`: a bar on a terminal; nothing at all when piped, logged or quiet."""
    if console is None or not console.is_terminal:
        yield lambda stage, done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    labels = {"search": "Searching PubMed", "fetch": "Downloading records", "import": "Importing records"}
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def advance(stage: str, done: int, total: int) -> None:
            bar.update(task, description=labels.get(stage, stage), completed=done, total=total or None)

        yield advance


def error(console: Console, message: str) -> None:
    """One line on stderr: 'Error: ...' (no markup interpretation of the message)."""
    console.print(f"Error: {message}", markup=False, highlight=False, emoji=False, soft_wrap=True)


def warn(console: Console, message: str) -> None:
    text = message if message.lower().startswith("warning") else f"Warning: {message}"
    console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)


def note(console: Console, message: str) -> None:
    console.print(message, markup=False, highlight=False, emoji=False, soft_wrap=True)


def _table(title: str | None, columns: Sequence[str]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for c in columns:
        table.add_column(c, justify="right" if c in NUMERIC else "left", overflow="fold")
    return table


NUMERIC = {"matched", "new", "fetched", "requests", "seconds", "count", "articles", "n"}


def run_summary(console: Console, results: Sequence[QueryRunResult], fmt: str = "table") -> None:
    """Per query: status, matched, new, fetched, requests, seconds (JSON: one object per query)."""
    if fmt == "json":
        rows = [
            {
                k: getattr(r, k)
                for k in (
                    "query",
                    "status",
                    "count",
                    "matched",
                    "new",
                    "fetched",
                    "requests",
                    "seconds",
                    "window_start",
                    "window_end",
                    "error",
                    "warnings",
                    "skipped",
                )
            }
            for r in results
        ]
        console.print_json(json.dumps(rows)) if console.is_terminal else print(json.dumps(rows, indent=2))
        return
    table = _table(None, ("query", "status", "matched", "new", "fetched", "requests", "seconds"))
    table.show_footer = len(results) > 1
    totals = {"fetched": sum(r.fetched for r in results), "requests": sum(r.requests for r in results)}
    table.columns[0].footer = "total"
    table.columns[4].footer = str(totals["fetched"])
    table.columns[5].footer = str(totals["requests"])
    table.columns[6].footer = f"{sum(r.seconds for r in results):.1f}"
    for r in results:
        table.add_row(
            r.query, r.status, str(r.matched), str(r.new), str(r.fetched), str(r.requests), f"{r.seconds:.1f}"
        )
    console.print(table)
    for r in results:
        for w in r.warnings:
            console.print(f"{r.query}: {w}", markup=False, highlight=False)


def queries_table(console: Console, queries, source, state: dict, fmt: str = "table") -> None:
    """The saved queries with where they come from and each one's mark."""
    rows = [
        {
            "name": q.name,
            "title": q.title,
            "term": q.term,
            "focus": list(q.focus),
            "backfill_from": q.backfill_from.isoformat() if q.backfill_from else None,
            "covered_until": (state.get(q.name) or {}).get("covered_until"),
            "path": str(q.path) if q.path else None,
        }
        for q in queries
    ]
    if fmt == "json":
        print(json.dumps({"source": str(source.path), "origin": source.origin, "queries": rows}, indent=2))
        return
    console.print(
        f"{len(rows)} saved queries from {source.path} ({source.origin})", markup=False, highlight=False
    )
    table = _table(None, ("name", "title", "covered until", "term"))
    for r in rows:
        term = r["term"] if len(r["term"]) <= 70 else r["term"][:69] + "…"  # the whole term: --format json
        table.add_row(r["name"], r["title"] or "", r["covered_until"] or "never run", term)
    console.print(table)


def config_table(console: Console, settings) -> None:
    """Effective settings, secrets masked, with where each value came from."""
    console.print(f"config file: {settings.config_path}", markup=False, highlight=False)
    table = _table(None, ("setting", "value", "from"))
    for name, value in settings.masked().items():
        shown = ", ".join(value) if isinstance(value, tuple) else ("" if value is None else str(value))
        table.add_row(name, shown, settings.sources[name])
    console.print(table)


def _hl(snippet: str) -> str:
    """Snippet markers -> rich bold, with the record text escaped."""
    from litwatch.search import HL_END, HL_START

    return rich_escape(snippet).replace(HL_START, "[bold yellow]").replace(HL_END, "[/bold yellow]")


def search_results(console: Console, hits, fmt: str = "table") -> None:
    """Ranked hits: one row each, with the highlighted snippet under the title."""
    from litwatch.export import to_json
    from litwatch.search import HL_END, HL_START

    if fmt == "json":
        rows = []
        for rank, h in enumerate(hits, 1):
            doc = to_json(h.stored)
            doc.update(
                rank=rank,
                score=None if h.score is None else round(h.score, 4),
                ranked_by=h.ranked_by,
                snippet=h.snippet.replace(HL_START, "**").replace(HL_END, "**"),
            )
            rows.append(doc)
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not hits:
        console.print(
            "No matching studies (off-topic ones are hidden: add --all to include them).", markup=False
        )
        return
    table = _table(None, ("#", "PMID", "year", "design", "labels", "title"))
    for rank, h in enumerate(hits, 1):
        a, c = h.stored.article, h.stored.classification
        labels = []
        if c and c.long_term_efficacy:
            labels.append("long-term")
        if c and c.safety:
            labels.append("safety")
        if c and not c.on_topic:
            labels.append(f"off-topic: {humanize_exclusion(c.excluded or 'off_topic')}")
        title = f"[bold]{rich_escape(a.title)}[/bold]" + (
            f"\n[dim]{_hl(h.snippet)}[/dim]" if h.snippet else ""
        )
        table.add_row(
            str(rank),
            a.pmid,
            str(a.year or ""),
            humanize_design(c.design) if c else "",
            ", ".join(labels),
            title,
        )
    console.print(table)
    if hits[0].ranked_by == "evidence":
        console.print(
            "[dim]Every word searched is in most stored studies, so relevance cannot rank them: "
            "best evidence first, then newest. Add a more specific word or a filter to rank by relevance.[/dim]"
        )


def show_article(console: Console, stored) -> None:
    """One record laid out for reading: citation, structured abstract, MeSH, classification and its reasons, links."""
    a, c = stored.article, stored.classification

    def line(label: str, value: str) -> None:
        if value:
            console.print(f"[bold]{label}:[/bold] {rich_escape(value)}", highlight=False, soft_wrap=True)

    console.print(f"[bold]{rich_escape(a.title)}[/bold]", highlight=False)
    line("Authors", "; ".join(au.display for au in a.authors))
    cite = " ".join(
        p
        for p in (
            a.journal or "",
            a.pub_date.display(),
            f"{a.volume}({a.issue})" if a.volume else "",
            a.pages or "",
        )
        if p
    )
    line("Source", cite)
    line("PMID", a.pmid)
    line("Publication types", ", ".join(a.publication_types))
    line("Language", ", ".join(a.language))
    console.print()
    for s in a.abstract:
        if s.label:
            console.print(f"[bold]{rich_escape(s.label)}[/bold]", highlight=False)
        console.print(rich_escape(s.text), highlight=False)
        console.print()
    if not a.abstract:
        console.print("[dim](no abstract)[/dim]")
        console.print()
    mesh = [
        m.descriptor + "".join(f"/{q.name}" for q in m.qualifiers) + ("*" if m.is_major else "")
        for m in a.mesh
    ]
    line("MeSH", "; ".join(mesh))
    line("Keywords", "; ".join(a.keywords))
    if c:
        console.rule("[bold]Classification[/bold]", align="left")
        verdict = "on topic" if c.on_topic else f"off topic ({humanize_exclusion(c.excluded or 'off_topic')})"
        line("Verdict", verdict)
        line("Long-term efficacy", "yes" if c.long_term_efficacy else "no")
        line("Safety", "yes" if c.safety else "no")
        line("Design", humanize_design(c.design))
        line("Population", humanize_population(c.population))
        line("Follow-up", humanize_follow_up(c.follow_up_weeks))
        line("Safety signals", ", ".join(humanize_signal(s) for s in c.safety_signals))
        for label, reasons in c.reasons.items():
            if reasons:
                line(f"Why {label.replace('_', ' ')}", "; ".join(reasons))
        line("Classifier version", c.version)
    console.rule(style="dim")
    line("Matched queries", ", ".join(stored.queries))
    line("First seen", (stored.first_seen or "")[:19].replace("T", " "))
    console.print(f"[bold]PubMed:[/bold] {a.url}", highlight=False)
    if a.doi:
        console.print(f"[bold]DOI:[/bold] {doi_url(a.doi)}", highlight=False)
    if a.pmcid:
        console.print(f"[bold]PMC:[/bold] {pmc_url(a.pmcid)}", highlight=False)


def _bars(console: Console, title: str, counts: dict, width: int = 40) -> None:
    if not counts:
        return
    top = max(counts.values()) or 1
    table = _table(title, ("", "n", ""))
    for key, n in counts.items():
        table.add_row(str(key), str(n), "█" * max(1, round(n / top * width)) if n else "")
    console.print(table)
    console.print()


def stats_view(console: Console, figures: dict, fmt: str = "table") -> None:
    """Counts with small bar charts; last run per query with its outcome."""
    if fmt == "json":
        print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
        return
    cats = figures["categories"]
    console.print(
        f"{figures['articles']} stored articles: {cats['on_topic']} on topic "
        f"({cats['long_term_efficacy']} long-term efficacy, {cats['safety']} safety), {cats['off_topic']} left out; "
        f"{figures['digests_sent']} digests sent",
        markup=False,
        highlight=False,
    )
    console.print()
    _bars(console, "Articles per saved query", figures["per_query"])
    _bars(
        console,
        "On-topic studies per design",
        {humanize_design(k): v for k, v in figures["per_design"].items()},
    )
    _bars(console, "On-topic studies per publication year", figures["per_year"])
    _bars(console, "Left out, by reason", {humanize_exclusion(k): v for k, v in figures["excluded"].items()})
    if figures["last_runs"]:
        table = _table(
            "Last run of each query", ("query", "outcome", "finished", "new", "covered until", "error")
        )
        for r in figures["last_runs"]:
            table.add_row(
                r["query"],
                r["status"],
                (r["finished_at"] or r["started_at"] or "")[:19].replace("T", " "),
                str(r["new"] or 0),
                r["covered_until"] or "",
                r["error"] or "",
            )
        console.print(table)
