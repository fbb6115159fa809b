"""Which backend a run uses when none is configured (no ``backend`` setting, variable or ``-b``).

The offline engine comes first: if an installed model (or two, through English) serves the
language pair, the run is ``local``. Otherwise a DeepL key that is already set up (the key store
or ``DEEPL_AUTH_KEY``) keeps the run on DeepL, as before models existed. Otherwise it is
``local`` still, whose missing model is then reported as one line naming both ways forward:
``translator models install SOURCE-TARGET``, or a service and its key (see ``missing_model``).
"""

from __future__ import annotations

from collections.abc import Mapping

from .store import ModelStore, pair_name

LOCAL = "local"
KEYED_FALLBACK = ("deepl", ("DEEPL_AUTH_KEY",))


def default_backend(source: str, target: str, env: Mapping[str, str]) -> str:
    if ModelStore.for_env(env).route(source, target):
        return LOCAL
    name, variables = KEYED_FALLBACK
    if any(env.get(variable) for variable in variables) or _stored(name, env):
        return name
    return LOCAL


def _stored(name: str, env: Mapping[str, str]) -> bool:
    from ..errors import ConfigError
    from ..keys import stored_key

    try:
        return bool(stored_key(name, env))
    except ConfigError:
        return False  # an unreadable key store is reported when a backend needs a key, not here


def missing_model(source: str, target: str) -> str:
    """The one line for a run that has no model and no service: both ways forward."""
    name = pair_name(source, target)
    return (
        f"no offline model for {source}→{target}: run 'translator models install {name}' "
        "(one download, then offline), or give a service its key and choose it with -b "
        "(e.g. DEEPL_AUTH_KEY for DeepL; see 'translator backends')"
    )
