"""The shared glossary: model, loading and merging, matching, enforcement, and its commands.

``load_glossary`` (loader) reads canonical YAML (and TBX/CSV/TSV through ``interchange``);
``Matcher`` finds entries in text; ``enforce.build_glossary_stage`` plugs the glossary into a run.
"""

from .model import Entry, Glossary, Rendering

__all__ = ["Entry", "Glossary", "Rendering"]
