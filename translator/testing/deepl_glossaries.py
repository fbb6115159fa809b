"""DeepL glossary state and wire format, for :class:`translator.testing.deepl.DeepLEmulator`.

Why separate: glossaries are the only stateful part of the DeepL API, with two
generations of endpoints over the same data. DeepL stores them once: v2
("monolingual") glossaries are v3 glossaries holding exactly one dictionary.
The emulator does the same, so

* v3 endpoints see every glossary,
* v2 endpoints see the glossaries that have exactly one dictionary,
* ``/v2/translate`` accepts the id of either.

Language codes are stored and returned lower-case (``"en"``), as the spec's
``GlossarySourceLanguage`` enum and the real service do.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from translator.testing.server import (
    ApiError,
    Request,
    Response,
    Route,
    json_response,
    text_response,
)

__all__ = ["GLOSSARY_LANGUAGES", "Glossary", "GlossaryService", "parse_entries"]

# The spec's GlossarySourceLanguage / GlossaryTargetLanguage enum.
GLOSSARY_LANGUAGES = (
    "ar bg cs da de el en es et fi fr he hu id it ja ko lt lv nb nl pl pt ro ru sk sl sv th tr uk vi zh"
).split()

Pair = tuple[str, str]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Glossary:
    """One glossary: a name and one dictionary per language pair."""

    glossary_id: str
    name: str
    dictionaries: dict[Pair, dict[str, str]]  # (source, target) -> {source term: target term}
    creation_time: str = field(default_factory=_now)

    @property
    def is_v2(self) -> bool:
        return len(self.dictionaries) == 1

    def v2_json(self) -> dict[str, Any]:
        [((source, target), entries)] = self.dictionaries.items()
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "ready": True,
            "source_lang": source,
            "target_lang": target,
            "creation_time": self.creation_time,
            "entry_count": len(entries),
        }

    def v3_json(self) -> dict[str, Any]:
        return {
            "glossary_id": self.glossary_id,
            "name": self.name,
            "dictionaries": [dictionary_json(pair, entries) for pair, entries in self.dictionaries.items()],
            "creation_time": self.creation_time,
        }


def dictionary_json(pair: Pair, entries: Mapping[str, str]) -> dict[str, Any]:
    return {"source_lang": pair[0], "target_lang": pair[1], "entry_count": len(entries)}


def entries_tsv(entries: Mapping[str, str]) -> str:
    return "\n".join(f"{source}\t{target}" for source, target in entries.items())


def parse_entries(text: Any, entries_format: Any) -> dict[str, str]:
    """Parse TSV (``source<TAB>target``) or CSV (``source,target[,src_lang,tgt_lang]``) entries.

    Errors follow DeepL: 400 "Invalid glossary entries provided" plus a ``detail``.
    """
    if not isinstance(text, str):
        raise ApiError(400, "Missing or invalid argument: entries")
    if entries_format == "tsv":
        rows = [line.split("\t") if "\t" in line else [line] for line in text.split("\n")]
    elif entries_format == "csv":
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise ApiError(400, "Value for entries_format not supported.")
    entries: dict[str, str] = {}
    for index, row in enumerate(rows):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) not in (2, 4) or not cells[0] or not cells[1]:
            raise ApiError(
                400,
                "Invalid glossary entries provided",
                detail=f"Entry with the index {index} is not a valid source/target pair",
            )
        if cells[0] in entries:
            raise ApiError(
                400, "Invalid glossary entries provided", detail=f"Key with the index {index} duplicates an earlier key"
            )
        entries[cells[0]] = cells[1]
    if not entries:
        raise ApiError(400, "Missing or invalid argument: entries")
    return entries


def glossary_pair(source_lang: Any, target_lang: Any) -> Pair:
    """Validate a glossary language pair; regional variants are not glossary languages."""
    for name, value in (("source_lang", source_lang), ("target_lang", target_lang)):
        if not isinstance(value, str) or not value:
            raise ApiError(400, f"Missing or invalid argument: {name}")
    pair = (source_lang.lower(), target_lang.lower())
    if pair[0] == pair[1] or not all(lang in GLOSSARY_LANGUAGES for lang in pair):
        raise ApiError(400, "Unsupported glossary source and target language pair")
    return pair


def language_pairs() -> list[dict[str, str]]:
    return [
        {"source_lang": source, "target_lang": target}
        for source in GLOSSARY_LANGUAGES
        for target in GLOSSARY_LANGUAGES
        if source != target
    ]


class GlossaryService:
    """The glossary endpoints of the emulated DeepL account, and their state."""

    def __init__(self) -> None:
        self.glossaries: dict[str, Glossary] = {}
        self.creations = 0
        gid = r"(?P<glossary_id>[^/]+)"
        self.routes: list[Route] = [
            ("GET", re.compile(r"/v2/glossary-language-pairs"), self.language_pairs),
            ("POST", re.compile(r"/v2/glossaries"), self.create_v2),
            ("GET", re.compile(r"/v2/glossaries"), self.list_v2),
            ("GET", re.compile(rf"/v2/glossaries/{gid}"), self.get_v2),
            ("DELETE", re.compile(rf"/v2/glossaries/{gid}"), self.delete_v2),
            ("GET", re.compile(rf"/v2/glossaries/{gid}/entries"), self.entries_v2),
            ("POST", re.compile(r"/v3/glossaries"), self.create_v3),
            ("GET", re.compile(r"/v3/glossaries"), self.list_v3),
            ("GET", re.compile(rf"/v3/glossaries/{gid}"), self.get_v3),
            ("PATCH", re.compile(rf"/v3/glossaries/{gid}"), self.patch_v3),
            ("DELETE", re.compile(rf"/v3/glossaries/{gid}"), self.delete_v3),
            ("GET", re.compile(rf"/v3/glossaries/{gid}/entries"), self.entries_v3),
            ("PUT", re.compile(rf"/v3/glossaries/{gid}/dictionaries"), self.put_dictionary),
            ("DELETE", re.compile(rf"/v3/glossaries/{gid}/dictionaries"), self.delete_dictionary),
        ]

    def clear(self) -> None:
        self.glossaries.clear()
        self.creations = 0

    # -- used by /v2/translate -------------------------------------------------

    def terms_for(self, glossary_id: str, source_lang: str, target_lang: str) -> dict[str, str]:
        """Entries a translate request may use; regional variants match their base language."""
        glossary = self._get(glossary_id)
        pair = (source_lang.split("-")[0].lower(), target_lang.split("-")[0].lower())
        if pair not in glossary.dictionaries:
            raise ApiError(400, f"No dictionary found for language pair {pair[0]}-{pair[1]} in glossary")
        return glossary.dictionaries[pair]

    # -- v2 ----------------------------------------------------------------------

    def language_pairs(self, request: Request) -> Response:
        return json_response(200, {"supported_languages": language_pairs()})

    def create_v2(self, request: Request) -> Response:
        params = request.params()
        if params is None:
            raise ApiError(400, "Invalid request body")
        pair = glossary_pair(params.get("source_lang"), params.get("target_lang"))
        entries = parse_entries(params.get("entries"), _entries_format(params))
        return json_response(201, self._create(params.get("name"), {pair: entries}).v2_json())

    def list_v2(self, request: Request) -> Response:
        return json_response(200, {"glossaries": [g.v2_json() for g in self.glossaries.values() if g.is_v2]})

    def get_v2(self, request: Request, glossary_id: str) -> Response:
        return json_response(200, self._get(glossary_id, v2=True).v2_json())

    def delete_v2(self, request: Request, glossary_id: str) -> Response:
        del self.glossaries[self._get(glossary_id, v2=True).glossary_id]
        return Response(204)

    def entries_v2(self, request: Request, glossary_id: str) -> Response:
        accept = request.headers.get("accept", "*/*")
        if not any(kind in accept for kind in ("text/tab-separated-values", "*/*", "text/*")):
            raise ApiError(415, "No supported media type specified in Accept header")
        [entries] = self._get(glossary_id, v2=True).dictionaries.values()
        return text_response(200, entries_tsv(entries), "text/tab-separated-values; charset=UTF-8")

    # -- v3 ----------------------------------------------------------------------

    def create_v3(self, request: Request) -> Response:
        params = _json_params(request)
        dictionaries = params.get("dictionaries")
        if not isinstance(dictionaries, list) or not dictionaries:
            raise ApiError(400, "Glossary dictionaries must be provided")
        parsed = dict(_parse_dictionary(d) for d in dictionaries)
        return json_response(201, self._create(params.get("name"), parsed).v3_json())

    def list_v3(self, request: Request) -> Response:
        return json_response(200, {"glossaries": [g.v3_json() for g in self.glossaries.values()]})

    def get_v3(self, request: Request, glossary_id: str) -> Response:
        return json_response(200, self._get(glossary_id).v3_json())

    def patch_v3(self, request: Request, glossary_id: str) -> Response:
        """Rename and/or merge entries into one dictionary (created if missing)."""
        glossary = self._get(glossary_id)
        params = _json_params(request)
        dictionaries = params.get("dictionaries", [])
        if not isinstance(dictionaries, list) or len(dictionaries) > 1:
            raise ApiError(400, "Only dictionaries of length 0 or 1 are supported")
        if "name" in params:
            if not isinstance(params["name"], str) or not params["name"]:
                raise ApiError(400, "Missing or invalid argument: name")
            glossary.name = params["name"]
        for pair, entries in map(_parse_dictionary, dictionaries):
            glossary.dictionaries.setdefault(pair, {}).update(entries)
        return json_response(200, glossary.v3_json())

    def delete_v3(self, request: Request, glossary_id: str) -> Response:
        del self.glossaries[self._get(glossary_id).glossary_id]
        return Response(204)

    def entries_v3(self, request: Request, glossary_id: str) -> Response:
        """DeepL wraps the single requested dictionary in a ``dictionaries`` list."""
        glossary = self._get(glossary_id)
        pair = self._query_pair(request, glossary)
        dictionary = {
            "source_lang": pair[0],
            "target_lang": pair[1],
            "entries": entries_tsv(glossary.dictionaries[pair]),
            "entries_format": "tsv",
        }
        return json_response(200, {"dictionaries": [dictionary]})

    def put_dictionary(self, request: Request, glossary_id: str) -> Response:
        """Replace (or add) one dictionary."""
        glossary = self._get(glossary_id)
        pair, entries = _parse_dictionary(_json_params(request))
        glossary.dictionaries[pair] = entries
        return json_response(200, dictionary_json(pair, entries))

    def delete_dictionary(self, request: Request, glossary_id: str) -> Response:
        glossary = self._get(glossary_id)
        del glossary.dictionaries[self._query_pair(request, glossary)]
        return Response(204)

    # -- helpers -----------------------------------------------------------------

    def _create(self, name: Any, dictionaries: dict[Pair, dict[str, str]]) -> Glossary:
        if not isinstance(name, str) or not name:
            raise ApiError(400, "Missing or invalid argument: name")
        glossary = Glossary(str(uuid.uuid4()), name, dictionaries)
        self.glossaries[glossary.glossary_id] = glossary
        self.creations += 1
        return glossary

    def _get(self, glossary_id: str, *, v2: bool = False) -> Glossary:
        try:
            uuid.UUID(glossary_id)
        except ValueError:
            raise ApiError(400, "Value for 'glossary_id' not supported.") from None
        glossary = self.glossaries.get(glossary_id)
        if glossary is None or (v2 and not glossary.is_v2):
            raise ApiError(404, "Glossary not found")
        return glossary

    @staticmethod
    def _query_pair(request: Request, glossary: Glossary) -> Pair:
        query = {name: values[0] for name, values in request.query.items()}
        pair = glossary_pair(query.get("source_lang"), query.get("target_lang"))
        if pair not in glossary.dictionaries:
            raise ApiError(404, "Dictionary not found")
        return pair


def _entries_format(params: Mapping[str, Any]) -> Any:
    if "entries_format" not in params:
        raise ApiError(400, "Missing or invalid argument: entries_format")
    return params["entries_format"]


def _json_params(request: Request) -> dict[str, Any]:
    """v3 bodies nest objects, which only JSON can carry."""
    if request.content_type != "application/json":
        raise ApiError(415, "Invalid Content-Type", detail="Content-Type must be application/json.")
    params = request.params()
    if params is None:
        raise ApiError(400, "Invalid request body")
    return params


def _parse_dictionary(value: Any) -> tuple[Pair, dict[str, str]]:
    if not isinstance(value, dict):
        raise ApiError(400, "Missing or invalid argument: dictionaries")
    pair = glossary_pair(value.get("source_lang"), value.get("target_lang"))
    return pair, parse_entries(value.get("entries"), _entries_format(value))
