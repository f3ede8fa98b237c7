"""Settings resolved once, in one documented order: command-line flag > environment > config file > default."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litwatch.errors import ConfigError
from litwatch.mail import MASK, SmtpSettings
from litwatch.mail import SECURITIES as SECURITY_CHOICES

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"

# setting name -> (env var, config file key as "section.key", default)
SPEC: dict[str, tuple[str | None, str, Any]] = {
    "db": ("LITWATCH_DB", "db", "litwatch.db"),
    "queries": ("LITWATCH_QUERIES", "queries", None),
    "log_file": ("LITWATCH_LOG_FILE", "log_file", None),
    "lock_timeout": ("LITWATCH_LOCK_TIMEOUT", "lock_timeout", 30.0),
    "eutils_url": ("LITWATCH_EUTILS_URL", "ncbi.eutils_url", DEFAULT_EUTILS_URL),
    "email": ("NCBI_EMAIL", "ncbi.email", None),
    "api_key": ("NCBI_API_KEY", "ncbi.api_key", None),
    "batch_size": ("LITWATCH_BATCH_SIZE", "ncbi.batch_size", 500),
    "max_retries": ("LITWATCH_MAX_RETRIES", "ncbi.max_retries", 5),
    "overlap_days": ("LITWATCH_OVERLAP_DAYS", "ncbi.overlap_days", 3),
    "smtp_host": ("LITWATCH_SMTP_HOST", "smtp.host", None),
    "smtp_port": ("LITWATCH_SMTP_PORT", "smtp.port", None),
    "smtp_user": ("LITWATCH_SMTP_USER", "smtp.user", None),
    "smtp_password": ("LITWATCH_SMTP_PASSWORD", "smtp.password", None),
    "smtp_security": ("LITWATCH_SMTP_SECURITY", "smtp.security", "starttls"),
    "mail_from": ("LITWATCH_MAIL_FROM", "smtp.mail_from", None),
    "email_to": ("LITWATCH_EMAIL_TO", "digest.email_to", ()),
}
SECRETS = {"api_key", "smtp_password"}
INTS = {"batch_size", "overlap_days", "smtp_port", "max_retries"}
FLOATS = {"lock_timeout"}


def default_config_path(env: Mapping[str, str] = os.environ) -> Path:
    """$LITWATCH_CONFIG, else $XDG_CONFIG_HOME/litwatch/config.toml, else ~/.config/litwatch/config.toml."""
    if env.get("LITWATCH_CONFIG"):
        return Path(env["LITWATCH_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "litwatch" / "config.toml"


@dataclass
class Settings:
    """Effective settings; `sources` says where each came from (flag, env var, config file, default)."""

    values: dict[str, Any]
    sources: dict[str, str]
    config_path: Path
    warnings: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"Settings({self.masked()!r})"

    def masked(self) -> dict[str, Any]:
        """The values with secrets replaced by a mask, for `config show` and logs."""
        return {k: (MASK if k in SECRETS and v else v) for k, v in self.values.items()}

    @property
    def db_path(self) -> Path:
        return Path(self.values["db"]).expanduser()

    def smtp(self) -> SmtpSettings:
        """SMTP settings for litwatch.mail."""
        return SmtpSettings(
            host=self.smtp_host,
            port=self.smtp_port,
            user=self.smtp_user,
            password=self.smtp_password,
            security=self.smtp_security,
            mail_from=self.mail_from,
        )


def _read_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    warnings: list[str] = []
    if not path.exists():
        return {}, warnings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: invalid TOML ({exc}); fix the file or point LITWATCH_CONFIG elsewhere"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                flat[f"{key}.{sub}"] = subvalue
        else:
            flat[key] = value
    known = {spec[1] for spec in SPEC.values()}
    for key in flat:
        if key not in known:
            raise ConfigError(f"{path}: unknown setting '{key}'; known settings: {', '.join(sorted(known))}")
    if ("smtp.password" in flat or "ncbi.api_key" in flat) and os.name == "posix":
        mode = path.stat().st_mode
        if mode & (stat.S_IRGRP | stat.S_IROTH):
            warnings.append(
                f"warning: {path} holds a secret and is readable by others; run: chmod 600 {path}"
            )
    return flat, warnings


def _coerce(name: str, value: Any, origin: str) -> Any:
    if value is None:
        return None
    try:
        if name in INTS:
            return int(value)
        if name in FLOATS:
            return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: '{name}' must be a number, got {value!r}") from None
    if name == "email_to":
        if isinstance(value, str):
            return tuple(a.strip() for a in value.split(",") if a.strip())
        return tuple(str(a) for a in value)
    if name == "smtp_security":
        value = str(value).lower()
        if value not in SECURITY_CHOICES:
            raise ConfigError(
                f"{origin}: smtp security must be one of {', '.join(SECURITY_CHOICES)}, got {value!r}"
            )
    return value


def resolve(
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] = os.environ,
    config_path: Path | None = None,
) -> Settings:
    """Resolve every setting: flag (not None) > env var (non-empty) > config file > default."""
    flags = flags or {}
    path = config_path or default_config_path(env)
    file_values, warnings = _read_file(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, (env_name, file_key, default) in SPEC.items():
        if flags.get(name) not in (None, ()):
            raw, origin = flags[name], f"--{name.replace('_', '-')}"
        elif env_name and env.get(env_name):
            raw, origin = env[env_name], env_name
        elif file_key in file_values:
            raw, origin = file_values[file_key], f"{path} [{file_key}]"
        else:
            raw, origin = default, "default"
        values[name] = _coerce(name, raw, origin)
        sources[name] = origin
    if values["lock_timeout"] is not None and values["lock_timeout"] < 0:
        raise ConfigError(f"{sources['lock_timeout']}: lock timeout must be >= 0 seconds")
    if not 0 <= values["max_retries"] <= 20:
        raise ConfigError(f"{sources['max_retries']}: retries must be between 0 and 20")
    if values["batch_size"] is not None and not 1 <= values["batch_size"] <= 10000:
        raise ConfigError(f"{sources['batch_size']}: batch size must be between 1 and 10000")
    return Settings(values=values, sources=sources, config_path=path, warnings=warnings)
