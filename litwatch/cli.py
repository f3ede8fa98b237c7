"""The command line: parse options, call one core function, render. Errors become one line and an exit code."""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from litwatch import __version__, config, deliver, digest, ingest, render, runlog, store
from litwatch import queries as queries_mod
from litwatch.errors import DatabaseBusy, LitwatchError, UsageError

app = typer.Typer(
    help="Track the PubMed literature on ketamine/esketamine for adolescent mental health.",
    pretty_exceptions_show_locals=False,  # API keys and SMTP passwords sit in locals
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
queries_app = typer.Typer(help="List and check the saved PubMed queries.", no_args_is_help=True)
config_app = typer.Typer(help="Show the effective settings.", no_args_is_help=True)
app.add_typer(queries_app, name="queries")
app.add_typer(config_app, name="config")

DbOpt = Annotated[
    Path | None, typer.Option("--db", help="SQLite database [env: LITWATCH_DB; default ./litwatch.db]")
]
QueriesOpt = Annotated[
    Path | None, typer.Option("--queries", help="Folder of saved queries (*.toml) [env: LITWATCH_QUERIES]")
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Config file [env: LITWATCH_CONFIG]")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success (for cron).")]
LogOpt = Annotated[
    Path | None, typer.Option("--log-file", help="Append one line per run [env: LITWATCH_LOG_FILE]")
]
EmailOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--email-to",
        metavar="ADDR",
        help="Email the digest to this address (repeatable) [env: LITWATCH_EMAIL_TO]",
    ),
]
SkipEmptyOpt = Annotated[bool, typer.Option("--skip-empty", help="Send nothing when nothing is new.")]
WaitOpt = Annotated[
    float | None,
    typer.Option(
        "--wait", help="Seconds to wait for another run on the same database [env: LITWATCH_LOCK_TIMEOUT; 30]"
    ),
]


def err_console() -> Console:
    return render.make_console(stderr=True)


def out_console() -> Console:
    return render.make_console(stderr=False)


def handle_errors(fn):
    """Turn litwatch's errors (and a few OS ones) into one line on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except LitwatchError as exc:
            render.error(err_console(), str(exc))
            raise typer.Exit(exc.exit_code) from None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                render.error(
                    err_console(),
                    str(DatabaseBusy("the database is locked by another process; try again later")),
                )
                raise typer.Exit(DatabaseBusy.exit_code) from None
            raise
        except KeyboardInterrupt:
            render.error(
                err_console(), "interrupted; what was stored is kept, the next run completes the rest"
            )
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `litwatch export | head`
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test runner swaps it between invocations)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _setup_logging(quiet: bool) -> None:
    """Library modules only log; the CLI decides: warnings (retries, skipped records) to stderr unless --quiet."""
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("litwatch: %(message)s"))
    root = logging.getLogger("litwatch")
    root.handlers[:] = [handler]
    root.setLevel(logging.ERROR if quiet else logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry full URLs


def _settings(*, config_path: Path | None = None, **flags) -> config.Settings:
    settings = config.resolve({k: v for k, v in flags.items()}, config_path=config_path)
    for warning in settings.warnings:
        render.warn(err_console(), warning)
    return settings


def _query_source(settings: config.Settings):
    """--queries (or the config file's `queries`, which ranks below LITWATCH_QUERIES) > env > ./queries > packaged."""
    explicit = settings.queries if settings.sources["queries"] != "LITWATCH_QUERIES" else None
    return queries_mod.resolve_dir(Path(explicit).expanduser() if explicit else None)


def _queries(settings: config.Settings, names=()) -> list:
    return queries_mod.load_queries(_query_source(settings).path, names)


def _open_classified(settings: config.Settings):
    """The existing database, its classifications brought up to the installed classifier first."""
    database = store.open_db(settings.db_path, must_exist=True)
    ingest.ensure_classified(database)
    return database


def _check_format(value: str, choices: tuple[str, ...], option: str = "--format") -> str:
    if value not in choices:
        raise UsageError(f"{option} {value!r}: choose one of {', '.join(choices)}")
    return value


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    """litwatch: saved PubMed queries -> SQLite -> digests of new long-term efficacy and safety studies."""
    if version:
        typer.echo(f"litwatch {__version__}")
        raise typer.Exit(0)


@app.command()
@handle_errors
def run(
    query: Annotated[
        list[str] | None,
        typer.Option("--query", metavar="NAME", help="Run only this saved query (repeatable)."),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Search the whole range again and re-download stored records.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="Summary as table or json.")] = "table",
    db: DbOpt = None,
    queries: QueriesOpt = None,
    config_file: ConfigOpt = None,
    quiet: QuietOpt = False,
    log_file: LogOpt = None,
    wait: WaitOpt = None,
) -> None:
    """Run the saved queries against PubMed and store what is new.

    Example: litwatch run --query core --query safety
    """
    _check_format(fmt, ("table", "json"))
    settings = _settings(
        config_path=config_file, db=db, queries=queries, log_file=log_file, lock_timeout=wait
    )
    results = _run(settings, query or (), refresh=refresh, show_progress=not quiet)
    if not quiet or any(r.status != "ok" for r in results):
        render.run_summary(out_console(), results, fmt=fmt)
    _exit_for(results)


def _run(
    settings: config.Settings, names, *, refresh: bool, show_progress: bool, command: str = "run"
) -> list:
    """Shared by `run` and `weekly`: lock, run, log a line; returns the per-query results."""
    from litwatch.entrez import Client  # imported here so `litwatch --help` stays quick

    _setup_logging(quiet=not show_progress)
    qs = _queries(settings, names)
    db = store.open_db(settings.db_path)
    results = []
    problem = ""
    try:
        with store.write_lock(settings.db_path, timeout=settings.lock_timeout, what=f"litwatch {command}"):
            ingest.close_interrupted_runs(db)
            with (
                Client(
                    settings.eutils_url,
                    email=settings.email,
                    api_key=settings.api_key,
                    max_retries=settings.max_retries,
                ) as client,
                render.progress(err_console() if show_progress else None, "Searching PubMed") as advance,
            ):
                results = ingest.run_queries(
                    db,
                    client,
                    qs,
                    refresh=refresh,
                    batch_size=settings.batch_size,
                    overlap_days=settings.overlap_days,
                    progress=advance,
                )
    except LitwatchError as exc:
        problem = f"error={exc}"
        raise
    finally:
        if settings.log_file:
            runlog.append(Path(settings.log_file), command, results, extra=problem)
    return results


def _exit_for(results) -> None:
    failed = [r for r in results if r.status != "ok"]
    for r in failed:
        render.error(err_console(), f"query '{r.query}' failed: {r.error}")
    if failed:
        raise typer.Exit(1)


@app.command("import")
@handle_errors
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="PubMed XML files (.xml or .xml.gz) from PubMed or EDirect.")
    ],
    db: DbOpt = None,
    config_file: ConfigOpt = None,
    quiet: QuietOpt = False,
    wait: WaitOpt = None,
) -> None:
    """Load PubMed XML files into the database (offline; bounded memory for baseline files).

    Example: litwatch import pubmed_export.xml.gz
    """
    settings = _settings(config_path=config_file, db=db, lock_timeout=wait)
    for f in files:
        if not f.is_file():
            raise UsageError(f"{f}: no such file")
    database = store.open_db(settings.db_path)
    with store.write_lock(settings.db_path, timeout=settings.lock_timeout, what="litwatch import"):
        with render.progress(None if quiet else err_console(), "Importing") as advance:
            result = ingest.import_files(database, files, batch_size=settings.batch_size, progress=advance)
    for problem in result.skipped:
        render.warn(err_console(), f"skipped unreadable record {problem}")
    if not quiet:
        typer.echo(f"imported {result.records} records from {result.files} file(s): {result.new} new")


@app.command("digest")
@handle_errors
def digest_cmd(
    since: Annotated[str, typer.Option("--since", help="last-digest | 7d | 2w | YYYY-MM-DD")] = "last-digest",
    fmt: Annotated[str, typer.Option("--format", help="rich | text | markdown | html | json")] = "rich",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    mark_sent: Annotated[
        bool, typer.Option("--mark-sent", help="Record this digest as delivered (moves last-digest).")
    ] = False,
    email_to: EmailOpt = None,
    skip_empty: SkipEmptyOpt = False,
    quiet: QuietOpt = False,
    db: DbOpt = None,
    config_file: ConfigOpt = None,
) -> None:
    """Show (or email) the new long-term efficacy and safety studies since the last delivered digest.

    Printing never moves the last-digest mark unless --mark-sent; emailing moves it once the server accepted.

    Example: litwatch digest --since 7d --format markdown
    """
    _check_format(fmt, render.DIGEST_FORMATS)
    settings = _settings(config_path=config_file, db=db, email_to=tuple(email_to or ()))
    database = store.open_db(settings.db_path)
    ingest.ensure_classified(database)
    d = digest.compose(database, since)
    if email_to:
        sent = deliver.email_digest(database, d, settings.smtp(), settings.email_to, skip_empty=skip_empty)
        if not quiet:
            render.note(err_console(), _sent_line(d, settings.email_to, sent))
    elif not quiet:
        _write_digest(d, fmt, output)
    if mark_sent and not email_to:
        digest.mark_sent(database, d, channel="mark-sent")


def _sent_line(d, recipients, sent: bool) -> str:
    from litwatch.mail import digest_subject

    if not sent:
        return "nothing new: no email sent (--skip-empty); the last-digest mark is unchanged"
    return f"sent '{digest_subject(d)}' to {', '.join(recipients)}"


@app.command()
@handle_errors
def weekly(
    email_to: EmailOpt = None,
    skip_empty: SkipEmptyOpt = False,
    mark_sent: Annotated[
        bool, typer.Option("--mark-sent", help="Without --email-to: count the printed digest as delivered.")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", help="Printed digest: rich | text | markdown | html | json")
    ] = "text",
    db: DbOpt = None,
    queries: QueriesOpt = None,
    config_file: ConfigOpt = None,
    quiet: QuietOpt = False,
    log_file: LogOpt = None,
    wait: WaitOpt = None,
) -> None:
    """Run every saved query, then send (or print) the digest: one command for crontab or a systemd timer.

    If the run cannot complete, no digest goes out: with --email-to a short failure notice does, and the exit is 1.

    Example: litwatch weekly --email-to team@example.org --quiet
    """
    _check_format(fmt, render.DIGEST_FORMATS)
    settings = _settings(
        config_path=config_file,
        db=db,
        queries=queries,
        log_file=log_file,
        lock_timeout=wait,
        email_to=tuple(email_to or ()),
    )
    recipients = settings.email_to
    try:
        results = _run(settings, (), refresh=False, show_progress=not quiet, command="weekly")
    except LitwatchError as exc:
        _notify_failure(settings, recipients, str(exc))
        raise
    failed = [r for r in results if r.status != "ok"]
    if failed:
        what = "; ".join(f"query '{r.query}': {r.error}" for r in failed)
        _notify_failure(settings, recipients, what)
        render.run_summary(out_console(), results)
        _exit_for(results)
    if not quiet:
        render.run_summary(err_console(), results)
    database = store.open_db(settings.db_path)
    d = digest.compose(database, "last-digest")
    if recipients:
        sent = deliver.email_digest(database, d, settings.smtp(), recipients, skip_empty=skip_empty)
        if not quiet:
            render.note(err_console(), _sent_line(d, recipients, sent))
    else:
        if not (quiet and d.is_empty):
            _write_digest(d, fmt, None)
        if mark_sent:
            digest.mark_sent(database, d, channel="mark-sent")


def _notify_failure(settings: config.Settings, recipients, what: str) -> None:
    if not recipients:
        return
    try:
        database = store.open_db(settings.db_path)
        hint = f"see {settings.log_file}" if settings.log_file else None
        deliver.email_failure(database, what, settings.smtp(), recipients, hint)
    except LitwatchError as exc:  # the failure itself is still reported on stderr and in the exit code
        render.error(err_console(), f"could not send the failure notice: {exc}")


def _write_digest(d, fmt: str, output: Path | None) -> None:
    if fmt == "rich" and output is None:
        render.digest_rich(out_console(), d)
        return
    text = render.digest_as(d, "text" if fmt == "rich" else fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=not text.endswith("\n"))


@app.command()
@handle_errors
def demo(
    db: Annotated[
        Path | None, typer.Option("--db", help="Keep the demo database here (default: a temporary file).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="rich | text | markdown | html | json")] = "rich",
) -> None:
    """Load the bundled sample records into a scratch database and print the digest (no network needed).

    Example: litwatch demo --format text
    """
    from importlib.resources import as_file, files

    _check_format(fmt, render.DIGEST_FORMATS)
    with tempfile.TemporaryDirectory(prefix="litwatch-demo-") as tmp:
        path = db or Path(tmp) / "demo.db"
        database = store.open_db(path)
        with as_file(files("litwatch.sample") / "sample_pubmed.xml") as sample:
            result = ingest.import_files(database, [sample])
        render.note(
            err_console(),
            f"demo: loaded {result.records} sample records into {path}. "
            "The sample records are invented for the demo; they are not real studies.",
        )
        _write_digest(digest.compose(database, "last-digest"), fmt, None)
        database.close()


@app.command()
@handle_errors
def reclassify(db: DbOpt = None, config_file: ConfigOpt = None, wait: WaitOpt = None) -> None:
    """Recompute every stored classification (after an upgrade of the classifier).

    Example: litwatch reclassify
    """
    settings = _settings(config_path=config_file, db=db, lock_timeout=wait)
    database = store.open_db(settings.db_path, must_exist=True)
    with store.write_lock(settings.db_path, timeout=settings.lock_timeout, what="litwatch reclassify"):
        n = ingest.ensure_classified(database, force=True)
    typer.echo(f"reclassified {n} articles")


CategoryOpt = Annotated[str | None, typer.Option("--category", help="long-term-efficacy | safety")]
DesignOpt = Annotated[
    str | None, typer.Option("--design", help="e.g. rct, meta_analysis, cohort, case_report")
]
PopulationOpt = Annotated[
    str | None, typer.Option("--population", help="adolescent | child | youth_mixed | ...")
]
YearFromOpt = Annotated[int | None, typer.Option("--year-from", help="Published in or after this year.")]
YearToOpt = Annotated[int | None, typer.Option("--year-to", help="Published in or before this year.")]
QueryOpt = Annotated[str | None, typer.Option("--query", help="Only studies this saved query matched.")]


def _filters(category, design, population, year_from, year_to, query, include_all):
    from litwatch.search import Filters

    f = Filters(category, design, population, year_from, year_to, query, include_all)
    f.validate()
    return f


@app.command()
@handle_errors
def search(
    text: Annotated[str, typer.Argument(help='Words, "phrases", AND/OR/NOT, prefix*')],
    category: CategoryOpt = None,
    design: DesignOpt = None,
    population: PopulationOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    query: QueryOpt = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Include off-topic studies (hidden by default).")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many results.")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    db: DbOpt = None,
    config_file: ConfigOpt = None,
) -> None:
    """Full-text search of the saved studies, best match first, with highlighted snippets.

    Example: litwatch search '"dissociation" AND infusion*' --category safety
    """
    from litwatch import search as search_mod

    _check_format(fmt, ("table", "json"))
    f = _filters(category, design, population, year_from, year_to, query, include_all)
    settings = _settings(config_path=config_file, db=db)
    database = _open_classified(settings)
    render.search_results(out_console(), search_mod.search(database, text, f, limit), fmt=fmt)


@app.command()
@handle_errors
def show(
    pmid: Annotated[str, typer.Argument(help="PubMed ID")],
    fmt: Annotated[str, typer.Option("--format", help="rich | json")] = "rich",
    db: DbOpt = None,
    config_file: ConfigOpt = None,
) -> None:
    """Show one stored study in full: abstract, MeSH, classification with its reasons, links.

    Example: litwatch show 39000001
    """
    from litwatch.errors import NotFound
    from litwatch.export import to_json

    _check_format(fmt, ("rich", "json"))
    settings = _settings(config_path=config_file, db=db)
    database = _open_classified(settings)
    stored = store.get_stored(database, pmid.strip())
    if stored is None:
        raise NotFound(
            f"PMID {pmid} is not in {settings.db_path}; run `litwatch search` to find stored studies"
        )
    if fmt == "json":
        typer.echo(json.dumps(to_json(stored), indent=2, ensure_ascii=False))
    else:
        render.show_article(out_console(), stored)


@app.command()
@handle_errors
def stats(
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    db: DbOpt = None,
    config_file: ConfigOpt = None,
) -> None:
    """Counts per saved query, category, design and year, and each query's last run.

    Example: litwatch stats
    """
    from litwatch import stats as stats_mod

    _check_format(fmt, ("table", "json"))
    settings = _settings(config_path=config_file, db=db)
    database = _open_classified(settings)
    render.stats_view(out_console(), stats_mod.collect(database), fmt=fmt)


@app.command()
@handle_errors
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="ris | bibtex | medline | csv | jsonl | markdown")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    category: CategoryOpt = None,
    design: DesignOpt = None,
    population: PopulationOpt = None,
    year_from: YearFromOpt = None,
    year_to: YearToOpt = None,
    query: QueryOpt = None,
    on_topic: Annotated[
        bool, typer.Option("--on-topic", help="Only on-topic studies (default: every stored one).")
    ] = False,
    db: DbOpt = None,
    config_file: ConfigOpt = None,
) -> None:
    """Export stored studies for reference managers (RIS, BibTeX, MEDLINE) or data tools (CSV, JSONL, Markdown).

    Example: litwatch export --format ris --category safety --output safety.ris
    """
    from litwatch import export as export_mod
    from litwatch import search as search_mod

    _check_format(fmt, export_mod.FORMATS)
    include_all = not (on_topic or category)
    f = _filters(category, design, population, year_from, year_to, query, include_all)
    settings = _settings(config_path=config_file, db=db)
    database = _open_classified(settings)
    records = search_mod.filtered(database, f)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            n = export_mod.export(records, fmt, fh)
        render.note(err_console(), f"wrote {n} records to {output}")
    else:
        export_mod.export(records, fmt, sys.stdout, bom=False)


@queries_app.command("list")
@handle_errors
def queries_list(
    queries: QueriesOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    db: DbOpt = None,
    config_file: ConfigOpt = None,
) -> None:
    """List the saved queries, where they come from, and each one's last successful run.

    Example: litwatch queries list --format json
    """
    _check_format(fmt, ("table", "json"))
    settings = _settings(config_path=config_file, queries=queries, db=db)
    source = _query_source(settings)
    qs = queries_mod.load_queries(source.path)
    state = {}
    if settings.db_path.exists():
        state = {r["query"]: r for r in store.open_db(settings.db_path).query("SELECT * FROM query_state")}
    render.queries_table(out_console(), qs, source, state, fmt=fmt)


@queries_app.command("validate")
@handle_errors
def queries_validate(queries: QueriesOpt = None, config_file: ConfigOpt = None) -> None:
    """Check every saved query file; exit 2 if any has an error.

    Example: litwatch queries validate --queries ./queries
    """
    settings = _settings(config_path=config_file, queries=queries)
    source = _query_source(settings)
    problems = queries_mod.validate(source.path)
    for p in problems:
        (render.error if p.level == "error" else render.note)(err_console(), str(p))
    if any(p.level == "error" for p in problems):
        raise typer.Exit(2)
    n = len(queries_mod.load_queries(source.path))
    typer.echo(
        f"{n} queries in {source.path} ({source.origin}): ok"
        + (f", {len(problems)} warning(s)" if problems else "")
    )


@config_app.command("show")
@handle_errors
def config_show(
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    config_file: ConfigOpt = None,
) -> None:
    """Print the effective settings and where each comes from (secrets masked).

    Example: litwatch config show
    """
    _check_format(fmt, ("table", "json"))
    settings = _settings(config_path=config_file)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "config_file": str(settings.config_path),
                    "settings": settings.masked(),
                    "sources": settings.sources,
                },
                indent=2,
                default=str,
            )
        )
    else:
        render.config_table(out_console(), settings)
