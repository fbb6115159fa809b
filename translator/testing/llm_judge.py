"""How the LLM emulators answer the quality judge's prompts (``translator.quality.judges.llm``).

A judge request is recognised by its user message: JSON with ``source`` and ``translation``
(a translation request carries ``texts``). The answer is ``{"errors": [...]}``, built from:

* planted errors: ``plant("あなたは", "fluency/unnatural", "minor")`` reports that span in every
  translation containing it (an ``accuracy/omission`` span: in every source containing it);
* the glossary entries the prompt gives (``terms``): a rendering listed under ``never`` that the
  translation contains is a major terminology error, as a careful reviewer would report it.

``malformed(count, kind)`` spoils the next ``count`` judge answers the way models do: ``"not-json"``
(prose instead of JSON), ``"unknown-category"`` (a category the prompt did not offer) or
``"span-not-found"`` (a span that is not in the translation). ``requests`` keeps each judge
message received, parsed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MALFORMED_KINDS = ("not-json", "unknown-category", "span-not-found")


@dataclass
class JudgeAnswers:
    planted: list[dict[str, str]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    _malformed: list[str] = field(default_factory=list)

    @staticmethod
    def is_judge_request(payload: Any) -> bool:
        return isinstance(payload, dict) and "translation" in payload and "source" in payload

    def plant(self, span: str, category: str, severity: str, explanation: str = "") -> None:
        """Report ``span`` as an error of ``category``/``severity`` wherever it occurs."""
        self.planted.append({"span": span, "category": category, "severity": severity, "explanation": explanation})

    def malformed(self, count: int = 1, kind: str = "not-json") -> None:
        if kind not in MALFORMED_KINDS:
            raise ValueError(f"unknown malformed answer {kind!r}; expected one of {MALFORMED_KINDS}")
        self._malformed.extend([kind] * count)

    def reset(self) -> None:
        self.planted.clear()
        self.requests.clear()
        self._malformed.clear()

    def answer(self, payload: dict[str, Any]) -> str:
        self.requests.append(payload)
        source, translation = str(payload.get("source", "")), str(payload.get("translation", ""))
        errors = [
            dict(e)
            for e in self.planted
            if e["span"] in (source if e["category"] == "accuracy/omission" else translation)
        ]
        for term in payload.get("terms") or []:
            for wrong in term.get("never") or []:
                if wrong and wrong in translation:
                    errors.append(
                        {
                            "span": wrong,
                            "category": "terminology",
                            "severity": "major",
                            "explanation": f"'{term.get('term')}' should not be rendered as {wrong}",
                        }
                    )
        if self._malformed:
            kind = self._malformed.pop(0)
            if kind == "not-json":
                return "Here is my review: the translation looks mostly fine, with one minor issue."
            if kind == "unknown-category":
                errors.append({"span": translation[:2], "category": "grammar-ish", "severity": "minor"})
            else:
                errors.append({"span": "これは訳文にない", "category": "accuracy/mistranslation", "severity": "major"})
        return json.dumps({"errors": errors}, ensure_ascii=False)
