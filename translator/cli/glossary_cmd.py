"""``translator glossary``: lint, format, search and grow the glossary files a team keeps in git."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from .. import markup
from ..config import Settings
from ..errors import GlossaryError
from ..formats import format_name_for
from ..glossary.model import PARTS_OF_SPEECH, Entry
from ..notices import safe_name
from ._common import backend_option, backend_url_option, settings_from, target_option


def _chosen_paths(ctx: click.Context, paths: tuple[str, ...]) -> tuple[list[Path], bool]:
    """The files a command works on, and whether they are the shipped ones: PATHS if given,
    else the glossaries ``translator.toml`` names (the team's own, as ``find`` and ``translate``
    use them), else the shipped glossaries."""
    from ..glossary.loader import shipped_paths

    if paths:
        return [Path(p) for p in paths], False
    configured = settings_from(ctx).glossaries
    if configured:
        return [Path(p) for p in configured], False
    shipped = shipped_paths()
    if not shipped:
        raise GlossaryError("no glossary files given, none named in translator.toml, and none shipped")
    return shipped, True


def _relative(path: str) -> str:
    """``path`` relative to the current folder when it is inside it (messages stay short)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def _short(origin: tuple[str, int] | None, shipped: set[Path]) -> str:
    """``file:line``: a shipped file by its name, another relative to the current folder when
    it is inside it. A long install path would squeeze the renderings out of a narrow table."""
    if origin is None:
        return ""
    path = Path(origin[0]).resolve()
    if path in shipped:
        return f"{path.name}:{origin[1]}"
    try:
        shown = str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return f"{shown}:{origin[1]}"


@click.group()
def glossary() -> None:
    """Check, format and search glossaries (YAML; see glossaries/ for the shipped ones)."""


@glossary.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--with-shipped", is_flag=True, help="Also load the shipped glossaries first (shows overrides).")
@click.pass_context
def lint(ctx: click.Context, paths: tuple[str, ...], strict: bool, with_shipped: bool) -> None:
    """Check PATHS (default: the glossaries in translator.toml, else the shipped ones); one
    'file:line: severity: message' per problem.

    Exit 1 on any error (or any warning with --strict), so it can gate a pull request. An
    override with a rendering the shipped entry forbids is an error even without --with-shipped.
    """
    from ..glossary.lint import lint_paths
    from ..glossary.loader import shipped_paths

    files, are_shipped = _chosen_paths(ctx, paths)
    reference = [] if are_shipped else shipped_paths()
    if with_shipped and not are_shipped:
        files = [*reference, *files]
    problems = lint_paths(files, reference)
    for problem in problems:
        click.echo(safe_name(str(problem)))
    counts = {severity: sum(1 for p in problems if p.severity == severity) for severity in ("error", "warning", "note")}
    click.echo(
        f"{len(files)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)",
        err=True,
    )
    if counts["error"] or (strict and counts["warning"]):
        ctx.exit(1)


@glossary.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, exists=True))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not canonically formatted.")
@click.pass_context
def fmt(ctx: click.Context, paths: tuple[str, ...], check: bool) -> None:
    """Rewrite PATHS (default: the YAML glossaries in translator.toml, else the shipped ones) in
    canonical order and formatting."""
    from ..glossary.fmt import format_file
    from ..glossary.loader import INTERCHANGE_SUFFIXES

    files, _ = _chosen_paths(ctx, paths)
    yaml_files = [path for path in files if path.suffix.lower() not in INTERCHANGE_SUFFIXES]
    for path in files:
        if path not in yaml_files:
            click.echo(f"skipped {safe_name(path)}: only YAML glossaries have a canonical format", err=True)
    changed = [path for path in yaml_files if format_file(path, check=check)]
    for path in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {safe_name(path)}")
    if check and changed:
        ctx.exit(1)


@glossary.command()
@click.argument("term")
@click.option("--ja", "rendering", default=None, help="The Japanese rendering (preferred).")
@click.option("--keep", is_flag=True, help="Keep the term in English (names, acronyms).")
@click.option("--note", default=None, help="Why: what the term means, what to avoid.")
@click.option("--source", default=None, help="Where the rendering comes from (lint warns without one).")
@click.option("--alias", "aliases", multiple=True, help="Another English spelling; repeatable.")
@click.option("--forbid", "forbidden", multiple=True, help="A rendering that must not be used; repeatable.")
@click.option("--case", type=click.Choice(["insensitive", "exact"]), default="insensitive", show_default=True)
@click.option("--pos", type=click.Choice(list(PARTS_OF_SPEECH)), default=None, help="Part of speech.")
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The glossary to add to (default: the last YAML glossary in translator.toml).",
)
@click.pass_context
def add(
    ctx: click.Context,
    term: str,
    rendering: str | None,
    keep: bool,
    note: str | None,
    source: str | None,
    aliases: tuple[str, ...],
    forbidden: tuple[str, ...],
    case: str,
    pos: str | None,
    file: str | None,
) -> None:
    """Add TERM to a glossary file, sorted and formatted; refused with lint's message if it
    duplicates or contradicts an entry there, in another configured file or in the shipped ones."""
    from ..glossary.add import plan_addition
    from ..glossary.loader import INTERCHANGE_SUFFIXES, shipped_paths
    from ..glossary.model import Rendering
    from ..writes import write_output

    if keep == bool(rendering):
        raise click.UsageError("give either --ja RENDERING or --keep")
    settings = settings_from(ctx)
    configured = [Path(p) for p in settings.glossaries]
    yaml_files = [p for p in configured if p.suffix.lower() not in INTERCHANGE_SUFFIXES]
    if file is None and not yaml_files:
        raise click.UsageError(
            'name the glossary with --file, or list it in translator.toml (glossaries = ["team.yaml"])'
        )
    target = Path(file) if file else yaml_files[-1]
    if target.suffix.lower() in INTERCHANGE_SUFFIXES:
        raise GlossaryError(
            "entries are added to YAML glossaries; import this file first ('translator glossary import')",
            path=str(target),
        )
    targets = {"ja": Rendering(rendering, forbidden=tuple(dict.fromkeys(forbidden)))} if rendering or forbidden else {}
    entry = Entry(
        term=term.strip(), aliases=tuple(dict.fromkeys(a.strip() for a in aliases)), case=case, keep=keep, pos=pos,
        source=source, note=note, targets=targets,
    )  # fmt: skip
    addition = plan_addition(target, entry, configured, shipped_paths())
    for problem in [*addition.refused, *addition.warnings]:
        click.echo(str(problem), err=True)
    if addition.refused:
        raise GlossaryError(f"'{entry.term}' was not added", path=str(target))
    write_output(str(target), addition.text.encode("utf-8"))
    click.echo(f"added '{entry.term}' at {target}:{addition.line}")


@glossary.command()
@click.argument("text")
@click.option("--glossary", "paths", multiple=True, help="Extra glossary file; repeatable.")
@click.option("--limit", type=click.IntRange(1), default=30, show_default=True, help="Show at most this many lookups.")
@target_option
@click.pass_context
def find(ctx: click.Context, text: str, paths: tuple[str, ...], limit: int, target: str | None) -> None:
    """Entries that occur in TEXT (English running text), and entries whose term, alias or
    rendering contains TEXT in either language ("drift", "fine tune", 推論)."""
    from ..glossary.loader import load_glossary, shipped_paths
    from ..glossary.lookup import lookup
    from ..glossary.matcher import Matcher

    settings = settings_from(ctx, target=target)
    shipped = {path.resolve() for path in shipped_paths()}
    loaded = load_glossary([*settings.glossaries, *paths])
    matches = Matcher(loaded).find(text)
    in_text = {id(match.entry) for match in matches}
    hits = [hit for hit in lookup(loaded.entries, text) if id(hit.entry) not in in_text][:limit]
    if not matches and not hits:
        click.echo("no glossary entries match", err=True)
        return
    table = Table("at")
    for column in ("text", "entry", settings.target, "from"):
        table.add_column(column, overflow="fold")  # Japanese has no spaces to wrap at
    for match in matches:
        table.add_row(
            f"{match.start}-{match.end}",
            match.surface,
            match.entry.term,
            _treatment(match.entry, settings.target),
            _short(match.entry.origin, shipped),
        )
    for hit in hits:
        table.add_row(
            hit.field,
            hit.text,
            hit.entry.term,
            _treatment(hit.entry, settings.target),
            _short(hit.entry.origin, shipped),
        )
    Console().print(table)


def _treatment(entry: Entry, lang: str) -> str:
    rendering = entry.rendering(lang)
    if entry.keep:
        return "keep as is"
    if rendering is not None and rendering.preferred:
        return rendering.preferred + (f" (or {', '.join(rendering.allowed)})" if rendering.allowed else "")
    return "(no rendering)"


@glossary.command()
@click.argument("sides", nargs=-1)
@click.option(
    "--rev", "revision", default=None, help="Compare the glossaries with this git revision (e.g. HEAD~1, origin/main)."
)
@click.option("--markdown", is_flag=True, help="A Markdown table (for a pull-request comment or a CI job summary).")
@click.option("--exit-code", "exit_code", is_flag=True, help="Exit 1 when there are changes.")
@click.pass_context
def diff(ctx: click.Context, sides: tuple[str, ...], revision: str | None, markdown: bool, exit_code: bool) -> None:
    """Renderings added, removed and changed: OLD NEW (two files), or REV [PATHS] / --rev REV
    [PATHS] (the glossaries in translator.toml, else the shipped ones, against a git revision)."""
    from ..glossary.diff import describe, diff_entries, entries_at, entries_now

    paths = [Path(side) for side in sides]
    if revision is None and len(paths) == 2 and all(path.is_file() for path in paths):
        old, new = entries_now(paths[:1]), entries_now(paths[1:])
        what = f"{paths[0]} → {paths[1]}"
    else:
        if revision is None:
            if not paths or paths[0].exists():
                raise click.UsageError("give OLD NEW (two files) or a git revision (REV [PATHS] or --rev REV [PATHS])")
            revision, paths = str(paths[0]), paths[1:]
        files, _ = _chosen_paths(ctx, tuple(str(p) for p in paths))
        old, new = entries_at(files, revision), entries_now(files)
        what = f"{revision} → working tree"
    changes = diff_entries(old, new)
    shipped = {path.resolve() for path in _shipped()}
    if markdown:
        click.echo(f"### Glossary changes ({what})\n")
        if changes:
            click.echo("| | term | renderings | change | where |\n|---|---|---|---|---|")
        for change in changes:
            cells = [
                change.mark,
                change.entry.term,
                describe(change.entry),
                "; ".join(change.details) or change.kind,
                _short(change.entry.origin, shipped) if change.kind != "removed" else "",
            ]
            click.echo("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    else:
        for change in changes:
            where = f"  ({_short(change.entry.origin, shipped)})" if change.kind != "removed" else ""
            detail = "; ".join(change.details) if change.details else describe(change.entry)
            click.echo(f"{change.mark} {change.entry.term}: {detail}{where}")
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed")}
    summary = f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed ({what})"
    click.echo(f"\n{summary}" if markdown else summary, err=not markdown)
    if exit_code and changes:
        ctx.exit(1)


def _shipped() -> list[Path]:
    from ..glossary.loader import shipped_paths

    return shipped_paths()


@glossary.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--glossary", "paths", multiple=True, help="Extra glossary file counted as covered; repeatable.")
@click.option("--format", "forced_format", default=None, help="Force the input format of FILES.")
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True, help="Ignore rarer candidates.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Show at most this many.")
@click.option("--yaml", "as_yaml", is_flag=True, help="Propose the candidates as YAML glossary entries to approve.")
@click.option("-o", "--output", default=None, help="Write the YAML proposals to this new file (implies --yaml).")
@backend_option
@backend_url_option
@target_option
@click.pass_context
def suggest(
    ctx: click.Context,
    files: tuple[str, ...],
    paths: tuple[str, ...],
    forced_format: str | None,
    min_count: int,
    limit: int,
    as_yaml: bool,
    output: str | None,
    backend: str | None,
    backend_url: str | None,
    target: str | None,
) -> None:
    """Candidate terms in FILES (any supported format) that the glossary lacks, most frequent first.

    With --yaml (or -o FILE) they are proposed as glossary entries: names kept in English, phrases
    rendered by the LLM backend when one is configured (openai, bedrock; or --backend NAME).
    """
    from ..formats.io import load_document
    from ..glossary.loader import load_glossary
    from ..glossary.matcher import Matcher
    from ..glossary.propose import LLM_BACKENDS, TO_FILL, proposals_yaml, proposed_entries
    from ..glossary.suggest import suggest as find_candidates
    from ..writes import STDIO, write_output

    settings = settings_from(ctx, target=target)
    matcher = Matcher(load_glossary([*settings.glossaries, *paths]))
    texts: list[str] = []
    for name in files:
        document = load_document(name, format_name_for(name, forced_format))
        # Code, URLs and placeholders are not terms; "…" keeps their neighbours from joining up.
        texts.extend(
            markup.plain(s.text, s.spans, keep_protected=False, gap="…") for s in document.segments if s.translate
        )
    candidates = find_candidates(texts, matcher, min_count=min_count)[:limit]
    if not candidates:
        click.echo("no candidates: the glossary covers the frequent terms of these files", err=True)
        return
    if not (as_yaml or output):
        table = Table("count", "kind", "candidate", "example")
        for candidate in candidates:
            table.add_row(str(candidate.count), candidate.kind, candidate.text, candidate.example)
        Console().print(table)
        return
    if output and output != STDIO and Path(output).exists():
        raise GlossaryError("exists already; write the proposals to a new file and merge what you approve", path=output)
    proposer = backend or (settings.backend if settings.backend in LLM_BACKENDS else None)
    renderings: dict[str, str] = {}
    if proposer:
        renderings = asyncio.run(_proposed_renderings(settings, proposer, backend_url, candidates))
    entries = proposed_entries(candidates, renderings, settings.target, proposer)
    names = ", ".join(Path(name).name for name in files[:3]) + (" …" if len(files) > 3 else "")
    text = proposals_yaml(
        entries, f"proposed from {names}; approve an entry by checking it, then move it to your glossary"
    )
    write_output(output or STDIO, text.encode("utf-8"))
    unfilled = sum(1 for e in entries if not e.keep and e.targets[settings.target].preferred == TO_FILL)
    where = f" to {output}" if output else ""
    click.echo(f"proposed {len(entries)} entries{where}; {unfilled} still need a rendering", err=True)


async def _proposed_renderings(settings: Settings, name: str, url: str | None, candidates: list[Any]) -> dict[str, str]:
    from ..glossary.propose import propose_renderings
    from ..runs.backends import RunBackends

    # Retries and the request limit as in a translation run; no memory, since the answers
    # depend on the instructions, which the memory's scope does not include.
    async with RunBackends(settings.with_overrides(backend=name), url=url) as backends:
        return await propose_renderings(
            await backends.stack(name, "forward", remember=False), candidates, settings.source, settings.target
        )


@glossary.command()
@click.argument("source", type=click.Path(exists=True))
@click.argument("translation", required=False, type=click.Path(exists=True))
@click.option("--glossary", "paths", multiple=True, help="Extra glossary file; repeatable.")
@target_option
@click.pass_context
def consistency(
    ctx: click.Context, source: str, translation: str | None, paths: tuple[str, ...], target: str | None
) -> None:
    """The same English translated in different ways across a question bank or course.

    SOURCE and TRANSLATION are two folders (the translation mirrors the source, as 'translate
    FOLDER -o OUT' writes it), two files, or SOURCE alone is a bilingual file (TSV, JSONL, XLIFF).
    Reports segments with the same English and different translations, and glossary terms
    rendered more than one way (or a forbidden way); exit 1 if there are any.
    """
    from ..glossary.consistency import same_source_different_target, terms_rendered_differently
    from ..glossary.loader import load_glossary, shipped_paths
    from ..glossary.matcher import Matcher

    settings = settings_from(ctx, target=target)
    rows, files, notes = _translated_rows(source, translation, settings.target)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    shipped = {path.resolve() for path in shipped_paths()}
    segments = same_source_different_target(rows)
    terms = terms_rendered_differently(
        rows, Matcher(load_glossary([*settings.glossaries, *paths]), settings.target), settings.target
    )
    if segments:
        click.echo(f"same English, different translations ({len(segments)}):")
        for variants in segments:
            click.echo(f"  {variants.subject}")
            for text, where in variants.ordered():
                click.echo(f"    {text}  ({len(where)}×: {', '.join(where)})")
    if terms:
        click.echo(f"glossary terms rendered more than one way ({len(terms)}):")
        for variants in terms:
            origin = _short(variants.entry.origin, shipped) if variants.entry is not None else ""
            click.echo(f"  {variants.subject}  ({origin})")
            for text, where in variants.ordered():
                flag = ", forbidden" if text in variants.forbidden else ""
                click.echo(f"    {text}  ({len(where)}×{flag}: {', '.join(where)})")
    click.echo(
        f"{len(segments)} segment(s) and {len(terms)} term(s) translated inconsistently, in {len(rows)} segments of {files} file(s)",
        err=True,
    )
    if segments or terms:
        ctx.exit(1)


def _translated_rows(source: str, translation: str | None, lang: str) -> tuple[list[Any], int, list[str]]:
    """Rows of (where, English, translation) for every paired segment, the number of files
    read, and notes on what could not be paired."""
    from ..glossary.consistency import Row
    from ..jobs import plan_jobs
    from ..quality.pairs import read_pairs, where

    if translation is not None and Path(source).is_dir():
        if not Path(translation).is_dir():
            raise click.UsageError("SOURCE is a folder, so TRANSLATION must be the folder of its translations")
        jobs = plan_jobs(source, translation, target_lang=lang, forced_format=None)
        pairs = [(job.source, job.destination) for job in jobs]
    else:
        pairs = [(source, translation)]
    rows: list[Row] = []
    notes: list[str] = []
    files = 0
    for source_path, translation_path in pairs:
        if translation_path is not None and not Path(translation_path).is_file():
            notes.append(f"{source_path}: no translation at {translation_path}; left out")
            continue
        pairing = read_pairs(source_path, translation_path)
        files += 1
        shown = _relative(source_path)
        notes.extend(pairing.problems)
        for segment in pairing.document.segments:
            translated = pairing.translations.get(segment.id)
            if translated is None:
                continue
            rows.append(Row(
                where(shown, segment), markup.plain(segment.text, segment.spans), markup.plain(translated.text, segment.spans),
            ))  # fmt: skip
    return rows, files, notes
