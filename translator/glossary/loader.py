"""Read glossary files into a ``Glossary``, keeping the file and line of every entry.

YAML is composed into nodes (not loaded straight into dicts) so each value still knows its line:
a mistake in a 600-entry file is reported as ``file:line: what is wrong``. ``parse_yaml`` collects
every problem of a file (``lint`` shows them all); ``load_glossary`` stops at the first error.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from ..collector import without_collector
from ..errors import GlossaryError
from .model import CASE_RULES, PARTS_OF_SPEECH, Entry, Glossary, Rendering

TOP_KEYS = ("version", "language", "entries")
ENTRY_KEYS = ("term", "aliases", "case", "keep", "pos", "domain", "context", "source", "note", "targets")
TARGET_KEYS = ("preferred", "allowed", "forbidden", "note")
INTERCHANGE_SUFFIXES = (".tbx", ".tmx", ".csv", ".tsv")
SHIPPED_PACKAGE = "translator._glossaries"
# libyaml keeps line marks too and composes a large glossary several times faster.
MAX_GLOSSARY_BYTES = 2_000_000  # about 10,000 entries
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STRING_TAG = "tag:yaml.org,2002:str"


Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a glossary file, at a line (1-based)."""

    path: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class ParsedFile:
    """A file's entries plus what is wrong with it; ``nodes`` keeps each entry's YAML node."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    nodes: list[yaml.MappingNode] = field(default_factory=list)
    root: yaml.Node | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def shipped_dir() -> Path | None:
    """The folder of the glossaries (and rules) shipped with the package: installed package data,
    or the checkout's ``glossaries/`` when the ``translator/_glossaries`` link is absent."""
    try:
        # A namespace package's files() is a MultiplexedPath, not a path: ask one of its files.
        for item in resources.files(SHIPPED_PACKAGE).iterdir():
            if item.name.endswith(".yaml"):
                return Path(str(item)).parent
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        pass
    checkout = Path(__file__).resolve().parents[2] / "glossaries"
    return checkout if checkout.is_dir() else None


def shipped_paths() -> list[Path]:
    """The glossaries shipped with the package, in name order."""
    folder = shipped_dir()
    return sorted(folder.glob("*.yaml"), key=lambda p: p.name) if folder else []


def load_glossary(paths: Sequence[str | Path], *, shipped: bool = True) -> Glossary:
    """Shipped files first, then ``paths`` in order; a later entry with the same term wins."""
    all_paths: list[Path] = [*(shipped_paths() if shipped else []), *(Path(p) for p in paths)]
    merged: dict[str, Entry] = {}
    for path in all_paths:
        for entry in read_entries(path):
            key = entry.term.casefold()
            merged.pop(key, None)  # an override moves to its new place in load order
            merged[key] = entry
    return Glossary(tuple(merged.values()), tuple(str(p) for p in all_paths))


def read_entries(path: Path) -> list[Entry]:
    """The entries of one file of any supported kind; the first error is raised."""
    too_large = _too_large(path)
    if too_large:
        raise GlossaryError(too_large, path=str(path))
    if path.suffix.lower() in INTERCHANGE_SUFFIXES:
        return _import_interchange(path)
    parsed = parse_yaml(path)
    if parsed.errors:
        first = parsed.errors[0]
        raise GlossaryError(first.message, path=first.path, line=first.line)
    return parsed.entries


def _import_interchange(path: Path) -> list[Entry]:
    try:
        interchange = importlib.import_module("translator.glossary.interchange")
    except ModuleNotFoundError as exc:
        raise GlossaryError(
            f"reading {path.suffix} glossaries needs the interchange formats, which are not installed",
            path=str(path),
        ) from exc
    if not path.is_file():
        raise GlossaryError("no such glossary file", path=str(path))
    return list(interchange.import_file(path))


def _too_large(path: Path) -> str | None:
    """Why a glossary file is refused for its size, or None. Reading and matching a glossary
    costs time and memory in proportion to it (a 10 MB file: a minute and 800 MB before the
    first sentence), and a glossary of real terminology is far smaller."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it reports what is wrong
    if size <= MAX_GLOSSARY_BYTES:
        return None
    return (
        f"the glossary is {size / 1_000_000:.1f} MB; files over {MAX_GLOSSARY_BYTES // 1_000_000} MB are refused "
        "(keep the terms your material uses, or split it by subject)"
    )


@without_collector
def parse_yaml(path: str | Path, text: str | None = None) -> ParsedFile:
    """Parse one canonical YAML glossary, collecting every problem rather than stopping."""
    name = str(path)
    parsed = ParsedFile(name)
    if text is None:
        too_large = _too_large(Path(path))
        if too_large:
            parsed.problems.append(Problem(name, None, "error", too_large))
            return parsed
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            parsed.problems.append(Problem(name, None, "error", "no such glossary file"))
            return parsed
        except (OSError, UnicodeDecodeError) as exc:
            parsed.problems.append(Problem(name, None, "error", f"cannot read: {exc}"))
            return parsed
    try:
        root = yaml.compose(text, Loader=COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.line >= text.count("\n"):
            mark = exc.context_mark  # "unexpected end of file": point at what was left open
        what = " ".join(part for part in (exc.context, exc.problem) if part) or "not valid YAML"
        parsed.problems.append(Problem(name, mark.line + 1 if mark else None, "error", f"YAML syntax: {what}"))
        return parsed
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control code
        line = text.count("\n", 0, exc.position) + 1
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        what = f"character #x{code:04x}: {exc.reason}"
        parsed.problems.append(Problem(name, line, "error", f"YAML syntax: {what}"))
        return parsed
    except yaml.YAMLError as exc:
        parsed.problems.append(Problem(name, None, "error", f"YAML syntax: {str(exc).splitlines()[0]}"))
        return parsed
    parsed.root = root
    _Reader(parsed).file(root)
    return parsed


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Turns composed nodes into entries, recording problems against the parsed file."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.constructor = yaml.SafeLoader("")

    def problem(self, node: yaml.Node | None, message: str, severity: Severity = "error") -> None:
        self.parsed.problems.append(Problem(self.parsed.path, line_of(node) if node else None, severity, message))

    def pairs(self, node: yaml.MappingNode, known: Sequence[str], where: str) -> Iterator[tuple[str, yaml.Node]]:
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.problem(key_node, f"{where}: keys must be plain names")
                continue
            if key in seen:
                self.problem(key_node, f"{where}: '{key}' is given twice")
                continue
            seen.add(key)
            if key not in known:
                self.problem(key_node, f"{where}: unknown field '{key}' (known: {', '.join(known)})")
                continue
            yield key, value_node

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return node
        if node.tag == STRING_TAG:
            # What the safe constructor makes of a string, without its table of every object it
            # made (kept for anchors, which a scalar never needs): a large glossary read faster.
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            # A tag such as !!python/object/apply (never run: the safe constructor refuses it)
            # or !!int "abc" is the file's mistake, reported at its line like any other.
            reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, f"cannot read the value tagged {tag}: {reason.splitlines()[0]}")
            return None

    def text(self, node: yaml.Node, what: str) -> str | None:
        value = self.scalar(node)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(node, f"{what} must be text")
            return None
        if not isinstance(value, str):
            self.problem(node, f"{what} must be text; quote it", "warning")
            value = str(value)
        if not value.strip():
            self.problem(node, f"{what} is empty")
            return None
        if value != value.strip() and not (what in ("note", "source") and value == value.strip() + "\n"):
            self.problem(node, f"{what} has leading or trailing spaces", "warning")
        return value.strip()

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            if self.scalar(node) is None:
                return ()
            single = self.text(node, what)
            self.problem(node, f"{what} should be a list: [{single}]", "warning")
            return (single,) if single else ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list of text")
            return ()
        values = [self.text(item, f"an item of {what}") for item in node.value]
        kept = [v for v in values if v]
        if len(set(kept)) != len(kept):
            self.problem(node, f"{what} repeats an item", "warning")
        return tuple(dict.fromkeys(kept))

    def file(self, root: yaml.Node | None) -> None:
        if root is None:
            self.problem(None, "the file is empty; expected version, language and entries")
            return
        if not isinstance(root, yaml.MappingNode):
            self.problem(root, "a glossary file is a mapping with version, language and entries")
            return
        values = dict(self.pairs(root, TOP_KEYS, "file"))
        version = values.get("version")
        if version is None:
            self.problem(root, "missing 'version: 1'")
        elif self.scalar(version) != 1:
            self.problem(version, "unsupported version (this tool reads version 1)")
        language = values.get("language")
        if language is not None and self.text(language, "language") not in ("en", None):
            self.problem(language, "only English-source glossaries are supported (language: en)")
        entries = values.get("entries")
        if entries is None:
            self.problem(root, "missing 'entries' (a list)")
            return
        if not isinstance(entries, yaml.SequenceNode):
            if self.scalar(entries) is not None:
                self.problem(entries, "'entries' must be a list")
            return
        for node in entries.value:
            entry = self.entry(node)
            if entry is not None:
                self.parsed.entries.append(entry)
                self.parsed.nodes.append(node)

    def entry(self, node: yaml.Node) -> Entry | None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "an entry must be a mapping starting with 'term:'")
            return None
        values = dict(self.pairs(node, ENTRY_KEYS, "entry"))
        if "term" not in values:
            self.problem(node, "entry without 'term'")
            return None
        term = self.text(values["term"], "term")
        if term is None:
            if self.scalar(values["term"]) is None:  # "term:" with nothing after it
                self.problem(values["term"], "term is empty")
            return None
        where = f"'{term}'"
        case = "insensitive"
        if "case" in values:
            case = self.scalar(values["case"])
            if case not in CASE_RULES:
                self.problem(values["case"], f"{where}: case must be one of {', '.join(CASE_RULES)}")
                case = "insensitive"
        keep = False
        if "keep" in values:
            keep = self.scalar(values["keep"])
            if not isinstance(keep, bool):
                self.problem(values["keep"], f"{where}: keep must be true or false")
                keep = False
        pos = self.text(values["pos"], "pos") if "pos" in values else None
        if pos is not None and pos not in PARTS_OF_SPEECH:
            self.problem(values["pos"], f"{where}: pos must be one of {', '.join(PARTS_OF_SPEECH)}")
        aliases = self.texts(values["aliases"], f"{where} aliases") if "aliases" in values else ()
        if term in aliases:
            self.problem(values["aliases"], f"{where}: an alias repeats the term", "warning")
            aliases = tuple(a for a in aliases if a != term)
        targets = self.targets(values.get("targets"), where, keep)
        if not keep and not targets:
            self.problem(node, f"{where}: no target rendering (add targets, or keep: true)")
        return Entry(
            term=term,
            aliases=aliases,
            case=case,
            keep=keep,
            pos=pos,
            domain=self.texts(values["domain"], f"{where} domain") if "domain" in values else (),
            context=self.texts(values["context"], f"{where} context") if "context" in values else (),
            source=self.text(values["source"], "source") if "source" in values else None,
            note=self.text(values["note"], "note") if "note" in values else None,
            targets=targets,
            origin=(self.parsed.path, line_of(node)),
        )

    def targets(self, node: yaml.Node | None, where: str, keep: bool) -> dict[str, Rendering]:
        if node is None or (isinstance(node, yaml.ScalarNode) and self.scalar(node) is None):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where}: targets must map language codes to renderings")
            return {}
        found: dict[str, Rendering] = {}
        for lang_node, value in node.value:
            lang = lang_node.value if isinstance(lang_node, yaml.ScalarNode) else ""
            if not lang or not lang.replace("-", "").isalnum():
                self.problem(lang_node, f"{where}: '{lang}' is not a language code")
                continue
            if lang in found:
                self.problem(lang_node, f"{where}: target '{lang}' is given twice")
                continue
            if not isinstance(value, yaml.MappingNode):
                self.problem(value, f"{where}: targets.{lang} must be a mapping with 'preferred'")
                continue
            fields = dict(self.pairs(value, TARGET_KEYS, f"{where} targets.{lang}"))
            preferred = self.text(fields["preferred"], "preferred") if "preferred" in fields else None
            if preferred is None and not keep:
                self.problem(value, f"{where}: targets.{lang} needs 'preferred'")
            found[lang] = Rendering(
                preferred=preferred,
                allowed=self.texts(fields["allowed"], f"{where} allowed") if "allowed" in fields else (),
                forbidden=self.texts(fields["forbidden"], f"{where} forbidden") if "forbidden" in fields else (),
                note=self.text(fields["note"], "note") if "note" in fields else None,
            )
        return found
