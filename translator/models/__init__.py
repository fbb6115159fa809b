"""Installed translation models for the offline ``local`` engine.

A model is an Argos Translate package (``.argosmodel``, a zip of one folder holding
``metadata.json``, a CTranslate2 model in ``model/`` and ``sentencepiece.model``), unpacked into
the user data folder under ``models/SOURCE-TARGET``. ``translator models`` lists, installs and
removes them; the ``local`` backend finds them by language pair.

- ``store``: where models live and which are installed (``TRANSLATOR_DATA_DIR`` relocates it)
- ``index``: the package index (``index.json``) and its entries
- ``download``: resumable, checksummed downloads
- ``unpack``: safe extraction of a package archive
- ``install``: NAME | FILE | URL → an installed model, atomically
- ``default``: which backend a run uses when none is configured
"""

from .errors import ModelError
from .store import InstalledModel, ModelStore, data_dir, models_dir

__all__ = ["InstalledModel", "ModelError", "ModelStore", "data_dir", "models_dir"]
