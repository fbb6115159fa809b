"""One redaction for everything the tool shows or writes about a run: messages, warnings, log lines,
reports. It removes URL user-info (``https://user:KEY@host``) whatever the scheme, and every key
value the run knows of (resolved keys, the services' key variables, stored keys), so a server that
echoes a credential back in an error body cannot get it printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

USER_INFO_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s|\"'<>]*@")
MIN_SECRET_LENGTH = 6  # shorter values are too likely to be ordinary words
SECRET_ENV_RE = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)$")

_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    if value and len(value) >= MIN_SECRET_LENGTH:
        _secrets.add(value)


def register_environment(env: Mapping[str, str]) -> None:
    """Every value of a variable named like a credential (``DEEPL_AUTH_KEY``, ``AWS_SESSION_TOKEN``…)."""
    for name, value in env.items():
        if SECRET_ENV_RE.search(name.upper()):
            register_secret(value)


def register_all(values: Iterable[str]) -> None:
    for value in values:
        register_secret(value)


def redact(text: str) -> str:
    text = USER_INFO_RE.sub(r"\1", text)
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    return text
