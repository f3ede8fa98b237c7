"""litwatch's exceptions: each carries the exit code the CLI returns and a one-line message for the user."""

from __future__ import annotations


class LitwatchError(Exception):
    """Base class: `str(error)` is the one line the user sees; `exit_code` is what the process returns."""

    exit_code = 1


class UsageError(LitwatchError):
    """The user asked for something that cannot be done as asked (bad option value, unknown name)."""

    exit_code = 2


class ConfigError(LitwatchError):
    """A configuration or input file is wrong: a query TOML, the config file, a database from a newer litwatch."""

    exit_code = 2


class RunFailed(LitwatchError):
    """A run could not complete (network, NCBI, broken responses); what was stored stays stored."""

    exit_code = 1


class NotFound(LitwatchError):
    """A record or object the user named is not in the database."""

    exit_code = 1


class DatabaseBusy(LitwatchError):
    """Another litwatch process holds the database for writing and did not let go in time."""

    exit_code = 1


class EntrezError(RunFailed):
    """E-utilities failed after retries, or answered with an error (HTTP status, <ERROR>, HTML page, bad XML)."""


class NCBIQueryError(EntrezError):
    """NCBI refused the search itself (ErrorList / ERROR in esearch): retrying will not help, fix the query."""


class ParseError(LitwatchError):
    """A document is not PubMed XML, or is truncated/malformed."""

    exit_code = 1


class MailError(RunFailed):
    """The SMTP server could not be reached, refused the login or a recipient; nothing counts as sent."""
