"""Shared fixtures: every test runs hermetic (no LITWATCH_*/NCBI_* from the caller, no network)."""

from __future__ import annotations

import logging
import os
import socket

import pytest
from typer.testing import CliRunner

# `eutils`: a stateful E-utilities server on 127.0.0.1; `smtp_server`: a recording SMTP server on 127.0.0.1
pytest_plugins = ["fake_eutils", "smtp_server"]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Drop the caller's settings, put the DB and config under tmp_path, and point E-utilities at nothing."""
    for name in list(os.environ):
        if name.startswith(("LITWATCH_", "NCBI_")) or name == "NO_COLOR":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LITWATCH_DB", str(tmp_path / "litwatch.db"))
    monkeypatch.setenv("LITWATCH_CONFIG", str(tmp_path / "config.toml"))
    # Port 9 (discard) on loopback: a test that forgot the `eutils` fixture fails fast instead of calling NCBI.
    monkeypatch.setenv("LITWATCH_EUTILS_URL", "http://127.0.0.1:9/entrez/eutils/")
    monkeypatch.chdir(tmp_path)
    yield
    # the CLI configures the "litwatch" logger per invocation (--quiet); do not let that leak into other tests
    logger = logging.getLogger("litwatch")
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No test can reach the network: any name lookup but loopback fails (NCBI's host is named in fixtures)."""
    real = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host or ""
        if not (name in ("", "localhost", "::1") or name.startswith("127.")):
            raise OSError(f"test tried to reach {host!r}: only loopback is allowed")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "litwatch.db"


@pytest.fixture
def runner():
    return CliRunner(env={"NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"})
