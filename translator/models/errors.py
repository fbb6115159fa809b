"""The errors the model commands raise: each shown as one line, with nothing installed."""

from __future__ import annotations

from ..errors import TransientError, TranslatorError


class ModelError(TranslatorError):
    """A package that cannot be found, verified or unpacked safely (exit code 1)."""


class ModelSourceUnavailable(ModelError, TransientError):
    """The index or a package could not be fetched: the network, an HTTP error, a download that
    kept breaking. Exit code 5, like any service that cannot be reached."""
