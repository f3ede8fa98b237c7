"""Saved queries: the curated set, where the folder comes from, and what a user sees for a bad query file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from litwatch import queries
from litwatch.errors import ConfigError, UsageError
from litwatch.queries import load_queries, resolve_dir, validate

GOOD = "term = '\"Ketamine\"[Mesh] AND adolescen*[tiab]'\n"
CURATED = sorted(queries.CHECKOUT.glob("*.toml"))
FOLDER, SYMLINK = (
    object(),
    object(),
)  # markers for `make`: a directory / a dangling symlink named like a query


def make(folder: Path, files: dict[str, object]) -> Path:
    """Write `files` (name -> text, bytes, FOLDER or SYMLINK) into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if content is FOLDER:
            path.mkdir()
        elif content is SYMLINK:
            path.symlink_to(folder / "gone.txt")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def qdir(tmp_path):
    """./queries under the test's working directory, so messages read 'queries/foo.toml'."""
    return tmp_path / "queries"


# --- the curated set ---------------------------------------------------------------------------------------


def test_packaged_set_loads_and_validates_without_warnings(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = resolve_dir(None, env={}, cwd=elsewhere)
    assert source.origin == "packaged"
    loaded = load_queries(source.path)
    assert {"core", "suicide", "bipolar", "anxiety", "long-term", "safety"} <= {q.name for q in loaded}
    assert validate(source.path) == []
    for query in loaded:
        assert query.title and query.description and query.focus, query.name
        assert query.backfill_from is not None and query.backfill_from <= dt.date.today()
        assert query.path is not None and query.path.name == f"{query.name}.toml"


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_query_explains_itself_and_drops_animal_only_studies(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), "each curated query starts with a comment saying what it is for"
    (query,) = load_queries(path.parent, [path.stem])
    assert query.term.endswith('NOT ("Animals"[Mesh] NOT "Humans"[Mesh])')
    assert '"Ketamine"[Mesh]' in query.term and "esketamine[tiab]" in query.term
    assert '"Adolescent"[Mesh]' in query.term and "adolescen*[tiab]" in query.term


@pytest.mark.parametrize(
    "name, needles",
    [
        ("safety", ['"adverse effects"[sh]', "dissociat*[tiab]", '"blood pressure"[tiab]', "cystitis[tiab]"]),
        (
            "long-term",
            ["maintenance[tiab]", "relaps*[tiab]", '"repeated infusion*"[tiab]', '"follow-up"[tiab]'],
        ),
        ("suicide", ['"Suicidal Ideation"[Mesh]', "suicid*[tiab]"]),
        ("anxiety", ["PTSD[tiab]", "OCD[tiab]", '"Anxiety Disorders"[Mesh]']),
    ],
)
def test_curated_topic_queries_search_their_topic(name, needles):
    (query,) = load_queries(queries.CHECKOUT, [name])
    for needle in needles:
        assert needle in query.term


# --- where the folder comes from -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flag, env, local, origin",
    [
        (True, True, True, "--queries"),
        (False, True, True, "LITWATCH_QUERIES"),
        (False, False, True, "./queries"),
        (False, False, False, "packaged"),
    ],
)
def test_folder_precedence_flag_env_local_packaged(tmp_path, monkeypatch, flag, env, local, origin):
    work = tmp_path / "work"
    dirs = {
        "--queries": make(tmp_path / "from-flag", {"a.toml": GOOD}),
        "LITWATCH_QUERIES": make(tmp_path / "from-env", {"a.toml": GOOD}),
        "./queries": work / "queries",
    }
    work.mkdir()
    if local:
        make(work / "queries", {"a.toml": GOOD})
    if env:
        monkeypatch.setenv("LITWATCH_QUERIES", str(dirs["LITWATCH_QUERIES"]))
    monkeypatch.chdir(work)
    source = resolve_dir(dirs["--queries"] if flag else None)
    assert source.origin == origin
    if origin != "packaged":
        assert source.path.resolve() == dirs[origin].resolve()
    else:
        assert {q.name for q in load_queries(source.path)} >= {"core", "safety"}


def test_relative_flag_is_read_from_the_working_folder_and_empty_env_is_unset(tmp_path):
    make(tmp_path / "mine", {"a.toml": GOOD})
    source = resolve_dir(Path("mine"), env={"LITWATCH_QUERIES": ""}, cwd=tmp_path)
    assert (source.origin, source.path) == ("--queries", tmp_path / "mine")


@pytest.mark.parametrize(
    "flag, env, needles",
    [
        ("nowhere", {}, ["--queries nowhere", "folder not found"]),
        ("a-file.txt", {}, ["--queries a-file.txt", "not a folder"]),
        (None, {"LITWATCH_QUERIES": "nowhere"}, ["LITWATCH_QUERIES=nowhere", "folder not found"]),
        (None, {"LITWATCH_QUERIES": "a-file.txt"}, ["LITWATCH_QUERIES=a-file.txt", "not a folder"]),
    ],
)
def test_bad_folder_setting_names_the_setting(tmp_path, flag, env, needles):
    (tmp_path / "a-file.txt").write_text("x")
    with pytest.raises(ConfigError) as err:
        resolve_dir(Path(flag) if flag else None, env=env, cwd=tmp_path)
    assert err.value.exit_code == 2
    for needle in needles:
        assert needle in str(err.value)


# --- errors: one line naming the file and the field ---------------------------------------------------------


@pytest.mark.parametrize(
    "files, message",
    [
        (
            {"foo.toml": "term = 'x'\ntitle = 'y'\nfocus [\n"},
            "queries/foo.toml: line 3: invalid TOML (Expected '=' after a key in a key/value pair, column 7)",
        ),
        ({"foo.toml": "title = 'no term here'\n"}, "queries/foo.toml: missing required field 'term'"),
        (
            {"foo.toml": GOOD + "trem = 'x'\n"},
            "queries/foo.toml: unknown field 'trem' (did you mean 'term'?); "
            "allowed: term, title, description, focus, backfill_from",
        ),
        (
            {"foo.toml": GOOD + "backfill_from = 'last year'\n"},
            "queries/foo.toml: field 'backfill_from' must be a date like 2015-01-01, got 'last year'",
        ),
        (
            {"README.md": "x", ".hidden.toml": GOOD, "old.toml~": GOOD},
            "queries/: no saved queries (*.toml) found; add one or point --queries at a folder that has them",
        ),
    ],
    ids=["bad-toml", "missing-term", "unknown-field", "bad-date", "no-queries"],
)
def test_first_problem_is_one_exact_line(qdir, files, message):
    make(qdir, files)
    with pytest.raises(ConfigError) as err:
        load_queries(qdir)
    assert str(err.value) == message
    assert err.value.exit_code == 2


@pytest.mark.parametrize(
    "files, needles",
    [
        ({"foo.toml": "term = 42\n"}, ["queries/foo.toml", "field 'term' must be a string, got 42"]),
        ({"foo.toml": "term = '   '\n"}, ["queries/foo.toml", "field 'term' is empty"]),
        ({"foo.toml": "[term]\nx = 1\n"}, ["queries/foo.toml", "field 'term' must be a string, got a table"]),
        ({"foo.toml": GOOD + "title = 3\n"}, ["queries/foo.toml", "field 'title' must be a string"]),
        ({"foo.toml": GOOD + "description = []\n"}, ["field 'description' must be a string"]),
        ({"foo.toml": GOOD + "focus = 'safety'\n"}, ["queries/foo.toml", "field 'focus' must be a list"]),
        ({"foo.toml": GOOD + "focus = ['safety', ' ']\n"}, ["field 'focus' must be a list of non-empty"]),
        ({"foo.toml": GOOD + "focus = [1]\n"}, ["field 'focus'", "got [1]"]),
        (
            {"foo.toml": GOOD + "backfill_from = 2015-01-01T10:00:00\n"},
            ["'backfill_from'", "2015-01-01T10:00:00"],
        ),
        ({"foo.toml": GOOD + "backfill_from = '2015-02-30'\n"}, ["field 'backfill_from' must be a date"]),
        ({"foo.toml": GOOD + "backfill_from = '20150101'\n"}, ["field 'backfill_from' must be a date"]),
        ({"foo.toml": GOOD + "backfill_from = 2015\n"}, ["field 'backfill_from' must be a date", "got 2015"]),
        ({"foo.toml": "term = 'x'\ntitle = \"open\n"}, ["queries/foo.toml: line 2: invalid TOML"]),
        ({"foo.toml": b"title = 'ok'\nterm = 'caf\xe9'\n"}, ["queries/foo.toml: line 2: not UTF-8"]),
        ({"x.toml": FOLDER}, ["queries/x.toml: is a folder, not a query file"]),
        ({"x.toml": SYMLINK}, ["queries/x.toml: cannot read the file"]),
        (
            {"My Query.toml": GOOD},
            ["queries/My Query.toml", "invalid query name 'My Query'", "my-query.toml"],
        ),
        ({"Foo.toml": GOOD, "foo.toml": GOOD}, ["queries/Foo.toml", "queries/foo.toml", "'foo'"]),
        ({"foo.toml": GOOD, "foo.TOML": GOOD}, ["queries/foo.TOML", "queries/foo.toml", "'foo'"]),
    ],
)
def test_bad_file_is_a_config_error_naming_file_and_field(qdir, files, needles):
    make(qdir, files)
    with pytest.raises(ConfigError) as err:
        load_queries(qdir)
    assert err.value.exit_code == 2
    assert "\n" not in str(err.value)
    for needle in needles:
        assert needle in str(err.value)


def test_missing_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="nope: folder not found"):
        load_queries(tmp_path / "nope")


def test_backfill_in_the_future_is_refused(qdir):
    future = dt.date.today() + dt.timedelta(days=400)
    make(qdir, {"foo.toml": GOOD + f"backfill_from = {future.isoformat()}\n"})
    with pytest.raises(ConfigError) as err:
        load_queries(qdir)
    assert f"queries/foo.toml: field 'backfill_from' is in the future ({future.isoformat()})" in str(
        err.value
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_config_error(qdir):
    make(qdir, {"foo.toml": GOOD})
    (qdir / "foo.toml").chmod(0)
    with pytest.raises(ConfigError, match="queries/foo.toml: cannot read the file"):
        load_queries(qdir)


# --- validate: every problem, errors and warnings ------------------------------------------------------------


def test_validate_reports_every_problem_in_every_file(qdir):
    make(
        qdir,
        {
            "a.toml": "title = 'x'\ntrem = 'y'\n",
            "b.toml": GOOD + "backfill_from = 'soon'\nfocus = 'safety'\n",
            "c.toml": "term = 'ketamine and depression'\n",
            "d.toml": "term = \n",
            "e.toml": GOOD,
        },
    )
    found = {(p.path.name, p.field, p.level) for p in validate(qdir)}
    assert found == {
        ("a.toml", "trem", "error"),
        ("a.toml", "term", "error"),
        ("b.toml", "backfill_from", "error"),
        ("b.toml", "focus", "error"),
        ("c.toml", "term", "warning"),
        ("d.toml", None, "error"),
    }
    with pytest.raises(ConfigError, match="^queries/a.toml: "):
        load_queries(qdir)


def test_validate_reports_folder_problems_instead_of_raising(tmp_path):
    (problem,) = validate(tmp_path / "nope")
    assert (problem.level, "folder not found" in str(problem)) == ("error", True)


@pytest.mark.parametrize(
    "term, needle",
    [
        ('("Ketamine"[Mesh] OR esketamine[tiab] AND adolescen*[tiab]', "unbalanced parentheses"),
        ('"Ketamine"[Mesh]) AND adolescen*[tiab]', "unbalanced parentheses"),
        ('"Ketamine[Mesh] AND adolescen*[tiab]', "unbalanced quotes"),
        ("ketamine[tiabs] AND adolescen*[tiab]", "unknown field tag [tiabs] (did you mean [tiab]?)"),
        ("ketamine[Mesh Term] AND teen*[tiab]", "unknown field tag [Mesh Term]"),
        ("ketamine[tiab] and adolescen*[tiab]", "lowercase operator 'and'"),
        ("ketamine[tiab] or esketamine[tiab]", "lowercase operator 'or'"),
        ("ketamine[tiab] AND adolescen*[tiab] not rats[tiab]", "lowercase operator 'not'"),
        ("ketamine[tiab] AND ado*[tiab]", "truncation 'ado*' needs at least 4 characters"),
        ("ketamine[tiab] AND", "operator AND has nothing to combine"),
        ("ketamine[tiab] OR OR esketamine[tiab]", "operator OR has nothing to combine"),
        ("ketamine[tw:~3]", "proximity"),
        ('"ketamine youth"[pt:~3]', "proximity"),
        ("ketamine[tiab:noexp]", "':noexp' works only with MeSH tags"),
        ("\u201cketamine\u201d[tiab]", "typographic quotes"),
        ("ketamine[tiab", "'[' never closed"),
        ("ketamine] AND youth", "']' without a matching '['"),
        ("ketamine[tiab] AND ()", "empty parentheses"),
    ],
)
def test_pubmed_syntax_slip_is_a_warning_that_does_not_block(qdir, term, needle):
    make(qdir, {"foo.toml": f"term = '{term}'\n"})
    (problem,) = validate(qdir)
    assert (problem.level, problem.field) == ("warning", "term")
    assert str(problem).startswith("queries/foo.toml: warning: term: ")
    assert needle in str(problem)
    assert [q.term for q in load_queries(qdir)] == [term]


@pytest.mark.parametrize(
    "term",
    [
        '"Ketamine"[Mesh] AND "Adolescent"[MeSH Terms] AND ketamine[Title/Abstract]',
        '"Ketamine"[mh:noexp] OR "Ketamine"[majr] OR "adverse effects"[sh] OR review[pt]',
        '"ketamine depression"[tiab:~3] AND "hip pain"[Title/Abstract:~2]',
        '"bipolar and related disorders"[tiab] NOT ("Animals"[Mesh] NOT "Humans"[Mesh])',
        "ketamine[tw] AND 2015/01/01:2020/12/31[dp] AND english[la] AND humans[sb] AND 2020:2024[edat]",
        "esketamine[nm] AND ketamine[ti] AND smith j[au] AND jama[ta] AND not[tiab]",
        '"repeated infusion*"[tiab] OR adolescen*[tiab] OR teen*[tiab]',
        "ketamine[ALL] OR ketamine[All Fields] OR ketamine[TIAB] OR ketamine[MESH] OR ketamine[Text Word]",
    ],
)
def test_correct_pubmed_syntax_gets_no_warning(qdir, term):
    make(qdir, {"foo.toml": f"term = '{term}'\n"})
    assert validate(qdir) == []


def test_misspelt_focus_tag_is_a_warning_and_free_tags_are_fine(qdir):
    make(qdir, {"foo.toml": GOOD + "focus = ['saftey', 'my-own-tag']\n"})
    (problem,) = validate(qdir)
    assert (problem.level, problem.field) == ("warning", "focus")
    assert "'saftey'" in str(problem) and "did you mean 'safety'" in str(problem)


# --- loading: names, values, files ---------------------------------------------------------------------------


def test_names_filter_returns_only_those_sorted_and_skips_other_broken_files(qdir):
    make(qdir, {"b.toml": GOOD, "a.toml": GOOD, "c.toml": GOOD, "broken.toml": "term = \n"})
    assert [q.name for q in load_queries(qdir, ["c", "a", "c"])] == ["a", "c"]


def test_unknown_name_is_a_usage_error_listing_the_available_names(qdir):
    make(qdir, {"core.toml": GOOD, "safety.toml": GOOD})
    with pytest.raises(UsageError) as err:
        load_queries(qdir, ["saftey"])
    assert err.value.exit_code == 2
    assert str(err.value) == "unknown saved query 'saftey' (did you mean 'safety'?); available: core, safety"


def test_values_are_read_and_cleaned(qdir):
    make(
        qdir,
        {
            "with-date.toml": "term = '''\n  ketamine[tiab]\n  AND   teen*[tiab]\n'''\n"
            "title = ' Title '\nfocus = ['safety', 'safety', 'design']\nbackfill_from = 2015-01-01\n",
            "with_string.TOML": "\ufeff" + GOOD + "backfill_from = '2015-01-01'\ndescription = ''\n",
            "ignored.txt": "not a query",
        },
    )
    first, second = load_queries(qdir)
    assert (first.name, first.term, first.title) == ("with-date", "ketamine[tiab] AND teen*[tiab]", "Title")
    assert (first.focus, first.backfill_from) == (("safety", "design"), dt.date(2015, 1, 1))
    assert (second.name, second.backfill_from, second.description) == (
        "with_string",
        dt.date(2015, 1, 1),
        None,
    )
    assert (second.title, second.focus, second.path) == (None, (), qdir / "with_string.TOML")
