"""translator: English study material to natural Japanese, structure kept, glossary enforced."""

from ._version import __version__

__all__ = ["__version__"]
