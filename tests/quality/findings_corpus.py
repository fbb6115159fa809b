"""A varied corpus of segment pairs and what translate's checks say about each of them.

The pairs, about 1,700, all from files in the repository:

* 1,000 machine translations of Wikipedia sentences (``bench/data/mlqe-pe-en-ja``, CC0): numbers
  in words and digits, names glossed in brackets, katakana, both sentence styles; grouped 20 to a
  document so the document-level style rule has something to compare. Every second one is scored
  against a perfect round trip (the source as its back-translation), every fifth gets its own
  Japanese back (an engine that echoed), the rest is not back-translated;
* the 500 Tanaka pairs (``tests/fixtures/samples/corpus``, human translations);
* the AWS documentation and Bedrock workshop pages (``tests/fixtures/samples``, Markdown with
  links, inline code and URLs) protected with the shipped glossary and translated as the DeepL
  emulator does (a ``[ja]`` marker, glossary terms replaced, every other English word left: one
  finding per word before), each also damaged (codes dropped, digits changed) and echoed back;
* the Bedrock workshop's own Japanese translation of its introduction and summarization pages,
  paired paragraph by paragraph.

``outcomes()`` runs ``Assessor.rule_findings``, ``document_findings``, ``score`` and ``decide``
over them as a run does and returns, per segment, its findings, scores and verdict as plain data.
``python -m tests.quality.findings_corpus FILE`` writes them as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from translator import markup
from translator.backends.pseudo_text import pseudo_translate
from translator.config import Settings
from translator.formats.io import load_document
from translator.glossary.enforce import GlossaryStage, build_glossary_stage
from translator.quality.assess import Assessor
from translator.quality.pairs import _renamed, align  # the way check renames a translation's codes
from translator.quality.rules import RuleSet, load_rules, shipped_rules_dir
from translator.quality.scores import Scorer
from translator.quality.terms import KATAKANA_RE, TermIndex
from translator.quality.verdict import Thresholds
from translator.segmenter import tagged
from translator.types import Segment, Translation

ROOT = Path(__file__).resolve().parents[2]
MLQE = ROOT / "bench" / "data" / "mlqe-pe-en-ja"
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
PAGES = [
    SAMPLES / "awsdocs" / "sagemaker__how-it-works-training.md",
    SAMPLES / "awsdocs" / "sagemaker__model-managed-spot-training.md",
    SAMPLES / "bedrock-en-ja" / "00_Intro_README.en.md",
    SAMPLES / "bedrock-en-ja" / "02_Summarization_README.en.md",
    ROOT / "tests" / "fixtures" / "markdown" / "edge-cases.md",
    ROOT / "tests" / "fixtures" / "questions" / "practice-exam.md",
]
# What the damaged translations change besides codes and digits: units.
UNIT_SWAPS = {" GB": " MB", "GB ": "MB ", " ms": " s", "vCPU": "CPU"}
BEDROCK = ["00_Intro_README", "02_Summarization_README"]

Item = tuple[Segment, Translation]


def _text_pair(seg_id: str, source: str, target: str, scope: str, back: str | None) -> Item:
    source_text, source_spans = tagged(source)
    target_text, target_spans = tagged(target, "t")
    segment = Segment(seg_id, "text", source_text, {**source_spans, **target_spans}, meta={"scope": scope})
    return segment, Translation(seg_id, target_text, back_translation=back)


def _mlqe() -> list[Item]:
    sources = (MLQE / "en-ja.src").read_text(encoding="utf-8").splitlines()
    targets = (MLQE / "en-ja.mt").read_text(encoding="utf-8").splitlines()
    items = []
    for index, (source, target) in enumerate(zip(sources, targets, strict=True)):
        back = target if index % 5 == 0 else source if index % 2 == 0 else None
        items.append(_text_pair(f"mlqe{index}", source, target, f"mlqe-{index // 20}", back))
    return items


def _tanaka() -> list[Item]:
    corpus = SAMPLES / "corpus"
    english = (corpus / "small_parallel_enja.dev.en").read_text(encoding="utf-8").splitlines()
    japanese = (corpus / "small_parallel_enja.dev.ja").read_text(encoding="utf-8").splitlines()
    return [
        _text_pair(f"tanaka{index}", e.strip(), j.replace(" ", "").strip(), f"tanaka{index}", None)
        for index, (e, j) in enumerate(zip(english, japanese, strict=True))
    ]


def _damaged(tagged_text: str) -> str:
    """The translation with its standalone codes dropped, every digit and some units changed."""
    kept = [
        markup.escape(token.value) if token.kind == "text" else markup.code_markup(token)
        for token in markup.tokens(tagged_text)
        if token.kind != "x"
    ]
    text = "".join(kept).translate(str.maketrans("0123456789", "1234567890"))
    for unit, other in UNIT_SWAPS.items():
        text = text.replace(unit, other)
    return text


def _damaging_words(glossary: GlossaryStage, rules: RuleSet) -> dict[str, str]:
    """English terms → a katakana rendering the glossary or the katakana rule forbids, else the
    preferred one: what a careless engine writes."""
    words: dict[str, str] = {}
    for entry in glossary.glossary.entries:
        rendering = entry.rendering("ja")
        if entry.keep or rendering is None:
            continue
        chosen = next((f for f in rendering.forbidden if KATAKANA_RE.match(f)), rendering.preferred)
        if chosen:
            words.update({surface: chosen for surface in entry.surfaces})
    for rule in rules.rules:
        for english, forms in (rule.params.get("transliterations") or {}).items():
            words[english] = forms[0]
    return words


def _pages(glossary: GlossaryStage, rules: RuleSet) -> list[Item]:
    pairs = glossary.native_pairs("en", "ja")
    variants = {"pseudo": dict(pairs.entries) if pairs is not None else {}, "damaged": _damaging_words(glossary, rules)}
    items: list[Item] = []
    for page in PAGES:
        for variant, words in variants.items():
            for segment in load_document(str(page), "markdown").translatable():
                protected = glossary.protect(segment)
                seg_id = f"{page.stem}.{variant}.{segment.id}"
                protected.id = seg_id
                protected.meta = {"scope": f"{page.stem}.{variant}"}
                text = pseudo_translate(protected.text, "ja", word_table=words, ignore_tags=("x",))
                translation = Translation(seg_id, text, back_translation=f"[en] {text}")
                if variant == "damaged":
                    translation.text = _damaged(text)  # not repaired: the rules see the damage
                else:
                    translation = glossary.check(protected, translation)
                items.append((protected, translation))
    return items


def _bedrock() -> list[Item]:
    items: list[Item] = []
    for name in BEDROCK:
        sources = load_document(str(SAMPLES / "bedrock-en-ja" / f"{name}.en.md"), "markdown").translatable()
        targets = load_document(str(SAMPLES / "bedrock-en-ja" / f"{name}.ja.md"), "markdown").translatable()
        for source_run, target_run in align(sources, targets, None):
            if len(source_run) != 1 or len(target_run) != 1:
                continue
            source, target = source_run[0], target_run[0]
            text, spans = _renamed(target.text, target.spans, "t")
            seg_id = f"{name}.human.{source.id}"
            segment = Segment(seg_id, source.kind, source.text, {**source.spans, **spans}, meta={"scope": name})
            items.append((segment, Translation(seg_id, text)))
    return items


def corpus() -> tuple[Assessor, list[Item]]:
    """The assessor a run without a report builds (shipped rules and glossary, chrF) and the pairs."""
    glossary = build_glossary_stage(Settings(), [])
    rules = load_rules("ja", [shipped_rules_dir() / "ja.yaml"])
    assessor = Assessor(
        rules,
        TermIndex(glossary.glossary, "ja", matcher=glossary.matcher),
        Scorer(("chrf",)),
        "chrf",
        Thresholds(),
    )
    return assessor, [*_mlqe(), *_tanaka(), *_pages(glossary, rules), *_bedrock()]


def outcomes() -> dict[str, Any]:
    """Per segment id: its findings (check, severity, message, expected, found, span, repaired),
    its scores and its verdict, after the checks ran as in a run."""
    assessor, items = corpus()
    for segment, translation in items:
        translation.findings.extend(assessor.rule_findings(segment, translation))
    by_id = {segment.id: translation for segment, translation in items}
    for finding in assessor.document_findings(items):
        by_id[finding.segment_id].findings.append(finding)
    for segment, translation in items:
        assessor.score(segment, translation)
        assessor.decide(translation)
    return {
        segment.id: {
            "findings": [
                [f.check, f.severity, f.message, f.expected, f.found, list(f.span) if f.span else None, f.repaired]
                for f in translation.findings
            ],
            "scores": translation.scores,
            "verdict": translation.verdict,
        }
        for segment, translation in items
    }


def write(path: Path, found: dict[str, Any]) -> None:
    """``found`` as JSON, one segment a line, each message once in a table (a rule's explanation
    is the message of every one of its findings)."""
    messages: dict[str, int] = {}
    lines = []
    for seg_id, outcome in found.items():
        findings = [[*f[:2], messages.setdefault(f[2], len(messages)), *f[3:]] for f in outcome["findings"]]
        lines.append(json.dumps([seg_id, outcome["verdict"], outcome["scores"], findings], ensure_ascii=False))
    header = json.dumps(list(messages), ensure_ascii=False, indent=0)
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, Any]:
    """What ``write`` wrote, as ``outcomes()`` returns it."""
    header, _, body = path.read_text(encoding="utf-8").partition("\n]\n")
    messages = json.loads(header + "]")
    found: dict[str, Any] = {}
    for line in body.splitlines():
        seg_id, verdict, scores, findings = json.loads(line)
        found[seg_id] = {
            "findings": [[*f[:2], messages[f[2]], *f[3:]] for f in findings],
            "scores": scores,
            "verdict": verdict,
        }
    return found


def main() -> None:
    write(Path(sys.argv[1]), outcomes())


if __name__ == "__main__":
    main()
