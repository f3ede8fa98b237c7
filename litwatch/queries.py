"""Saved queries: one TOML file per PubMed search in a folder; the file stem is the query's name."""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.resources
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from litwatch.errors import ConfigError, UsageError
from litwatch.models import SavedQuery

PACKAGED = importlib.resources.files("litwatch") / "_queries"  # the wheel force-includes queries/ there
CHECKOUT = Path(__file__).resolve().parent.parent / "queries"  # running from a source checkout
ENV_VAR = "LITWATCH_QUERIES"
FIELDS = ("term", "title", "description", "focus", "backfill_from")
FOCUS_TAGS = ("long_term_efficacy", "safety", "population", "condition", "design")
NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

# PubMed search field tags (pubmed.ncbi.nlm.nih.gov/help/#search-tags), their long names and the E-utilities
# field names esearch also accepts; all compared lowercased.
TAGS = """
ad: affiliation, affl | aid: article identifier | all: all fields | au: author, auth | auid: author identifier
book | cn: corporate author, coln | cois: conflict of interest statement, conflict of interest statements
crdt: create date, date - create | dcom: completion date, date - completion, cdat | ed: editor
dp: publication date, date - publication, pdat | edat: entry date, entrez date, date - entry
epdt: electronic publication date | fau: full author name, full | fir: full investigator name, finv
filter: sb, subset, filt | 1au: first author name, first author, faut | gr: grant number, grants and funding, grnt
ip: issue, iss | ir: investigator, invr | isbn | jid: nlm unique id | la: language, lang | lid: location id
lastau: last author name, last author, laut | lr: modification date, date - modification, mdat
majr: mesh major topic | mh: mesh terms, mesh | mhda: mesh date, date - mesh
nm: supplementary concept, substance name, subs | ot: other term, otrm | pa: pharmacological action, papx
pg: pagination, page | pl: place of publication, cnty | pmid: uid | ppdt: print publication date
ps: personal name as subject | pt: publication type, ptyp | pubn: publisher | rn: ec/rn number, ecno
sh: mesh subheading, mesh subheadings, subh | si: secondary source id | ta: journal, jour | ti: title, titl
tiab: title/abstract | tt: transliterated title | tw: text word, text words, word | vi: volume, vol
"""
CANONICAL = {  # every spelling PubMed accepts inside [...] -> its short tag
    alias.strip(): tag.strip()
    for entry in TAGS.replace("\n", " | ").split("|")
    if entry.strip()
    for tag, _, aliases in [entry.partition(":")]
    for alias in [tag, *aliases.split(",")]
    if alias.strip()
}
NOEXP_TAGS = {"mh", "majr", "sh", "pt"}  # [mh:noexp]: turn off MeSH explosion
PROXIMITY_TAGS = {"ti", "tiab", "ad"}  # "a b"[tiab:~2]
OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class QuerySource:
    """The folder the saved queries are read from, and which setting chose it."""

    path: Path
    origin: str  # "--queries" | "LITWATCH_QUERIES" | "./queries" | "packaged"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a saved query; `str()` is the line the user sees, file first."""

    path: Path
    field: str | None
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = _display(self.path)
        return f"{where}: {self.message}" if self.level == "error" else f"{where}: warning: {self.message}"


def resolve_dir(
    flag: Path | None, env: Mapping[str, str] = os.environ, cwd: Path | None = None
) -> QuerySource:
    """Pick the queries folder: --queries DIR > $LITWATCH_QUERIES > ./queries > the packaged set."""
    base = cwd or Path.cwd()
    for given, origin in ((flag, "--queries"), (env.get(ENV_VAR) or None, ENV_VAR)):
        if given is None:
            continue
        path = base / Path(given).expanduser()
        shown = f"--queries {given}" if origin == "--queries" else f"{ENV_VAR}={given}"
        if not path.exists():
            raise ConfigError(f"{shown}: folder not found")
        if not path.is_dir():
            raise ConfigError(f"{shown}: not a folder; point it at a folder of saved queries (*.toml)")
        return QuerySource(path, origin)
    if (base / "queries").is_dir():
        return QuerySource(base / "queries", "./queries")
    if isinstance(PACKAGED, Path) and PACKAGED.is_dir():
        return QuerySource(PACKAGED, "packaged")
    if CHECKOUT.is_dir():
        return QuerySource(CHECKOUT, "packaged")
    raise ConfigError(f"the packaged saved queries are missing; pass --queries DIR or set {ENV_VAR}")


def load_queries(source_dir: Path, names: Sequence[str] = ()) -> list[SavedQuery]:
    """The saved queries in `source_dir` (only `names` if given), sorted by name; ConfigError on the first problem.

    Name clashes anywhere in the folder are errors; with `names`, only the chosen files are parsed, so one
    broken query does not stop the others from running.
    """
    files, problems = _scan(source_dir)
    if problems:
        raise ConfigError(str(problems[0]))
    if names:
        unknown = [n for n in dict.fromkeys(names) if n not in files]
        if unknown:
            raise UsageError(_unknown_names(unknown, sorted(files)))
        files = {n: p for n, p in files.items() if n in names}
    queries = []
    for name in sorted(files):
        query, found = _load_file(files[name], name)
        errors = [p for p in found if p.level == "error"]
        if errors:
            raise ConfigError(str(errors[0]))
        queries.append(query)
    return queries


def validate(source_dir: Path) -> list[Problem]:
    """Every problem in every saved query, errors and PubMed-syntax warnings, file by file."""
    files, problems = _scan(source_dir)
    for name in sorted(files):
        problems.extend(_load_file(files[name], name)[1])
    return problems


def _scan(source_dir: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Map query names to files; problems with the folder itself or with file names."""
    if not source_dir.exists():
        return {}, [Problem(source_dir, None, "folder not found")]
    if not source_dir.is_dir():
        return {}, [Problem(source_dir, None, "not a folder; saved queries live in a folder of *.toml files")]
    try:
        entries = sorted(source_dir.iterdir(), key=lambda p: p.name)
    except OSError as e:
        return {}, [Problem(source_dir, None, f"cannot list the folder ({e.strerror or e})")]
    groups: dict[str, list[Path]] = {}
    for path in entries:
        if path.name.startswith(".") or not path.name.lower().endswith(".toml"):
            continue
        groups.setdefault(path.name[:-5].lower(), []).append(path)
    if not groups:
        hint = "add one or point --queries at a folder that has them"
        return {}, [Problem(source_dir, None, f"no saved queries (*.toml) found; {hint}")]
    files, problems = {}, []
    for key, paths in sorted(groups.items()):
        stem = paths[0].name[:-5]
        if len(paths) > 1:
            others = " and ".join(_display(p) for p in paths[1:])
            message = f"same query name '{key}' as {others}; rename or remove one"
            problems.append(Problem(paths[0], None, message))
        elif not NAME_RE.fullmatch(stem):
            fixed = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_") or "my-query"
            rule = "use lowercase letters, digits, '-' and '_'"
            problems.append(
                Problem(paths[0], None, f"invalid query name '{stem}': {rule} (e.g. {fixed}.toml)")
            )
        else:
            files[stem] = paths[0]
    return files, problems


def _load_file(path: Path, name: str) -> tuple[SavedQuery | None, list[Problem]]:
    """Read and check one query file; the query is None when there is any error."""
    doc, problems = _read_toml(path)
    if doc is None:
        return None, problems
    values: dict[str, Any] = {}
    for key, value in doc.items():
        if key not in FIELDS:
            problems.append(Problem(path, key, _unknown_field(key)))
            continue
        value, message = _check_field(key, value)
        if message:
            problems.append(Problem(path, key, message))
        else:
            values[key] = value
    if "term" not in doc:
        problems.append(Problem(path, "term", "missing required field 'term'"))
    if "term" in values:
        problems += [Problem(path, "term", f"term: {w}", "warning") for w in lint_term(values["term"])]
    if "focus" in values:
        problems += [Problem(path, "focus", w, "warning") for w in _focus_typos(values["focus"])]
    if any(p.level == "error" for p in problems):
        return None, problems
    return SavedQuery(name=name, path=path, **values), problems


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    if path.is_dir():
        return None, [Problem(path, None, "is a folder, not a query file")]
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [Problem(path, None, f"cannot read the file ({e.strerror or e})")]
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, [
            Problem(path, None, f"line {line}: not UTF-8 text (byte 0x{data[e.start]:02x}); save it as UTF-8")
        ]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as e:
        detail = str(e)
        if m := re.search(r" \(at line (\d+), column (\d+)\)$", detail):
            line, detail = m[1], f"{detail[: m.start()]}, column {m[2]}"
        else:
            line, detail = (
                str(text.count("\n") + 1),
                detail.replace(" (at end of document)", " at end of file"),
            )
        return None, [Problem(path, None, f"line {line}: invalid TOML ({detail})")]


def _check_field(key: str, value: Any) -> tuple[Any, str | None]:
    """The cleaned value of one known field, or an error message naming the field."""
    if key in ("term", "title", "description"):
        if not isinstance(value, str):
            return None, f"field '{key}' must be a string, got {_show(value)}"
        cleaned = " ".join(value.split()) if key == "term" else value.strip()
        if key == "term" and not cleaned:
            return None, "field 'term' is empty; write the PubMed search to run"
        return cleaned or None, None
    if key == "focus":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return (
                None,
                f"field 'focus' must be a list of non-empty strings like [\"safety\"], got {_show(value)}",
            )
        return tuple(dict.fromkeys(v.strip() for v in value)), None
    return _check_date(value)


def _check_date(value: Any) -> tuple[dt.date | None, str | None]:
    problem = f"field 'backfill_from' must be a date like 2015-01-01, got {_show(value)}"
    if isinstance(value, dt.datetime):
        return None, problem
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()) if DATE_RE.fullmatch(value.strip()) else None
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        return None, problem
    if value > dt.date.today():
        return None, f"field 'backfill_from' is in the future ({value.isoformat()}); use a past date"
    return value, None


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return repr(value)


def _unknown_field(key: str) -> str:
    close = difflib.get_close_matches(key, FIELDS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{key}'{hint}; allowed: {', '.join(FIELDS)}"


def _unknown_names(unknown: list[str], available: list[str]) -> str:
    first = unknown[0]
    close = difflib.get_close_matches(first, available, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    what = "unknown saved query" if len(unknown) == 1 else "unknown saved queries"
    listed = ", ".join(f"'{n}'" for n in unknown)
    return f"{what} {listed}{hint}; available: {', '.join(available)}"


def _focus_typos(focus: tuple[str, ...]) -> list[str]:
    """Free tags are allowed; one that looks like a misspelt standard tag is probably a mistake."""
    out = []
    for tag in focus:
        close = difflib.get_close_matches(tag, FOCUS_TAGS, n=1, cutoff=0.75)
        if tag not in FOCUS_TAGS and close:
            out.append(f"focus: '{tag}' is not a standard tag (did you mean '{close[0]}'?)")
    return out


def _tokens(term: str) -> tuple[list[tuple[str, str, int]], list[str]]:
    """Split a PubMed search into (kind, text, position) tokens: ( ) phrase word op tag; plus syntax slips."""
    tokens, slips, i = [], [], 0
    while i < len(term):
        ch = term[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append((ch, ch, i))
            i += 1
        elif ch in '"[':
            close = term.find('"' if ch == '"' else "]", i + 1)
            if close < 0:
                what = "unbalanced quotes: double quote" if ch == '"' else "field tag: '['"
                slips.append(f"{what} never closed, near {_near(term, i)}")
                close = len(term)
            tokens.append(("phrase" if ch == '"' else "tag", term[i + 1 : close], i))
            i = close + 1
        elif ch == "]":
            slips.append(f"']' without a matching '[', near {_near(term, i)}")
            i += 1
        else:
            end = i
            while end < len(term) and not term[end].isspace() and term[end] not in '()"[]':
                end += 1
            word = term[i:end]
            tokens.append(("op" if word in OPERATORS else "word", word, i))
            i = end
    return tokens, slips


def lint_term(term: str) -> list[str]:
    """Warnings about PubMed syntax that would make the search quietly mean something else."""
    tokens, out = _tokens(term)
    if any(ch in term for ch in "\u201c\u201d\u201e"):
        out.append('typographic quotes (\u201c \u201d): PubMed needs straight double quotes (")')
    depth = 0
    for n, (kind, text, pos) in enumerate(tokens):
        prev = tokens[n - 1] if n else None
        nxt = tokens[n + 1] if n + 1 < len(tokens) else None
        if kind == "(":
            depth += 1
            if nxt and nxt[0] == ")":
                out.append(f"empty parentheses, near {_near(term, pos)}")
        elif kind == ")":
            depth -= 1
            if depth < 0:
                out.append(f"unbalanced parentheses: ')' without a matching '(', near {_near(term, pos)}")
                depth = 0
        elif kind == "op":
            if prev is None or prev[0] in ("(", "op") or nxt is None or nxt[0] == ")":
                out.append(f"operator {text} has nothing to combine on one side, near {_near(term, pos)}")
        elif kind == "word" and text.lower() in ("and", "or", "not") and not (nxt and nxt[0] == "tag"):
            advice = f"write {text.upper()}: PubMed only knows AND, OR, NOT in capitals"
            out.append(f"lowercase operator '{text}' is not an operator ({advice}), near {_near(term, pos)}")
        elif kind == "tag":
            out += _check_tag(term, text, pos, prev)
        if kind in ("word", "phrase"):
            out += _check_truncation(term, text, pos)
    if depth > 0:
        out.append(f"unbalanced parentheses: {depth} '(' never closed")
    return out


def _check_tag(term: str, text: str, pos: int, prev: tuple[str, str, int] | None) -> list[str]:
    name, _, modifier = (part.strip().lower() for part in text.partition(":"))
    tag = CANONICAL.get(name)
    if tag is None:
        close = difflib.get_close_matches(name, list(CANONICAL), n=1)
        hint = f" (did you mean [{close[0]}]?)" if close else ""
        return [f"unknown field tag [{text}]{hint}, near {_near(term, pos)}"]
    if not modifier:
        return []
    if modifier == "noexp":
        ok = tag in NOEXP_TAGS
        why = "':noexp' works only with MeSH tags ([mh], [majr], [sh], [pt])"
    elif re.fullmatch(r"~\d+", modifier):
        ok = tag in PROXIMITY_TAGS and prev is not None and prev[0] == "phrase"
        why = "proximity ':~N' needs a quoted phrase and [ti], [tiab] or [ad]"
    else:
        ok, why = False, "unknown modifier; PubMed knows ':noexp' and ':~N'"
    return [] if ok else [f"[{text}]: {why}, near {_near(term, pos)}"]


def _check_truncation(term: str, text: str, pos: int) -> list[str]:
    """PubMed ignores a truncated word with fewer than four characters before the '*'."""
    out = []
    for word in text.split():
        star = word.find("*")
        if star != -1 and len(word[:star].strip("\"'(-")) < 4:
            out.append(f"truncation '{word}' needs at least 4 characters before '*', near {_near(term, pos)}")
    return out


def _near(term: str, pos: int) -> str:
    start, end = max(0, pos - 15), min(len(term), pos + 20)
    return "'" + ("..." if start else "") + term[start:end] + ("..." if end < len(term) else "") + "'"


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        shown = str(path)
    is_folder = path.is_dir() and not path.name.lower().endswith(".toml")
    return shown + "/" if is_folder and not shown.endswith("/") else shown
