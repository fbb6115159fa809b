"""The one error the model commands raise: shown as one line, exit code 1, nothing installed."""

from __future__ import annotations

from ..errors import TranslatorError


class ModelError(TranslatorError):
    """A package that cannot be found, fetched, verified or unpacked safely."""
