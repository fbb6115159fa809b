"""The exception tree. The CLI turns any ``TranslatorError`` into one line and exit code 1.

::

    TranslatorError                  anything a user can cause or fix
    ├── InputError                   a source that cannot be read as its format (file:line: …)
    │   └── UnsupportedFormatError   no reader for this extension / content
    ├── ConfigError                  translator.toml, env vars or flags that do not make sense
    ├── FetchError                   a URL that could not be fetched (status, size, type, network)
    ├── GlossaryError                a glossary file that cannot be loaded (file:line: …)
    ├── OutputError                  an output that cannot be written (exists, not a folder, …)
    └── BackendError                 a translation service failed
        ├── BackendNotFound          no backend registered under that name
        ├── BackendNotReady          a key or server URL is missing (names the fix)
        ├── AuthError                the service refused the credentials (no retry)
        ├── QuotaExceeded            the account's quota is used up (no retry)
        │   └── BudgetExceeded       the run's --budget would be exceeded (nothing more is sent)
        ├── RequestRejected          the service says the request itself is wrong (no retry)
        ├── MalformedAnswer          not one non-empty text per text sent (asked once more)
        └── TransientError           429, 5xx, timeouts, dropped connections (retried)
            └── RetriesExhausted     still failing after the last retry

Retries, the answer check and the request limit are applied once, around every backend
(``translator.backends.stack``), so a plugin only raises these.
"""

from __future__ import annotations

from .notices import safe_name


class TranslatorError(Exception):
    """Base of every error a user can cause or fix; its message is shown as one line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        # Names and server answers can hold ESC sequences; each line is made inert for a terminal.
        return "\n".join(safe_name(line) for line in f"{where}{self.message}".split("\n"))


class InputError(TranslatorError):
    pass


class UnsupportedFormatError(InputError):
    pass


class ConfigError(TranslatorError):
    pass


class FetchError(TranslatorError):
    pass


class GlossaryError(TranslatorError):
    pass


class OutputError(TranslatorError):
    pass


class BackendError(TranslatorError):
    pass


class BackendNotFound(BackendError):
    pass


class BackendNotReady(BackendError):
    pass


class AuthError(BackendError):
    pass


class QuotaExceeded(BackendError):
    pass


class BudgetExceeded(QuotaExceeded):
    pass


class RequestRejected(BackendError):
    pass


class TransientError(BackendError):
    """A failure worth retrying; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class RetriesExhausted(TransientError):
    pass


class MalformedAnswer(BackendError):
    """The backend answered, but not with one non-empty text per text sent. Asked once more, then
    the document that needed it fails (the others go on): a service that answers ``""`` or
    ``null`` must never turn prose into nothing in silence, nor into the memory."""


# Exit codes, distinct for what an unattended job must tell apart (documented in README and --help).
EXIT_OK = 0
EXIT_INPUT = 1  # a source, setting or output was wrong (the other sources were still done)
EXIT_USAGE = 2  # the command line itself (Click)
EXIT_AUTH = 3  # the service refused the credentials
EXIT_QUOTA = 4  # the service's quota, or the run's --budget, is used up
EXIT_UNAVAILABLE = 5  # the service failed or could not be reached, even after retries
EXIT_INTERRUPTED = 130  # Ctrl-C / SIGINT


def exit_code(error: TranslatorError) -> int:
    if isinstance(error, AuthError):
        return EXIT_AUTH
    if isinstance(error, QuotaExceeded):
        return EXIT_QUOTA
    if isinstance(error, TransientError):  # still failing after the retries, or unreachable
        return EXIT_UNAVAILABLE
    return EXIT_INPUT
