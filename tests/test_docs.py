"""Documentation that cannot drift: every command has help text, an example, and a place in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from litwatch.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = ""):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):  # a sub-app (typer vendors its own click classes)
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


COMMANDS = dict(_commands(typer.main.get_command(app)))


def test_there_are_commands():
    assert {"run", "digest", "weekly", "search", "show", "export", "stats", "queries list"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    help_text = COMMANDS[name].help or ""
    assert help_text.strip(), f"{name} has no help"
    assert "Example: litwatch " in help_text, f"{name}'s help has no example"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_appears_in_the_readme(name):
    assert re.search(rf"litwatch {re.escape(name)}\b", README), f"`litwatch {name}` is not in README.md"


def test_readme_quick_start_has_exactly_the_two_setup_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    commands = [
        line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert any("litwatch run" in c and "litwatch digest" in c for c in commands)
    assert any("pytest" in c and ".[test]" in c for c in commands)


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    test_line = next(line for line in section.splitlines() if "pytest" in line)
    assert "pip install -q -e '.[test]' && pytest" in ci or test_line.split("&& ", 2)[-1] in ci


@pytest.mark.parametrize(
    "var",
    [
        "LITWATCH_DB",
        "LITWATCH_QUERIES",
        "LITWATCH_EUTILS_URL",
        "NCBI_EMAIL",
        "NCBI_API_KEY",
        "LITWATCH_SMTP_HOST",
        "LITWATCH_SMTP_PASSWORD",
        "LITWATCH_MAIL_FROM",
        "LITWATCH_CONFIG",
    ],
)
def test_every_environment_variable_is_documented(var):
    assert var in README
