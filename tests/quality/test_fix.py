"""``--fix``: a literal segment gets a second candidate; the better one is kept, both recorded."""

from __future__ import annotations

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator


def test_fix_keeps_the_better_candidate_and_records_both(cli_env):
    source = cli_env.tmp / "doc.txt"
    source.write_text("Use 5 GB of storage.\n", encoding="utf-8")
    table = {("Use 5 GB of storage.", "JA"): "7 GB のストレージを使用します。"}
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), phrase_table=table) as emulator:
        from translator.config import load_settings
        from translator.runs.translate import TranslateOptions, translate_sources

        settings = load_settings(
            env=cli_env.env, config_file=cli_env.config, backend="deepl", fix_backend="pseudo", back_translate="none"
        )
        options = TranslateOptions(output=str(cli_env.tmp / "doc.ja.txt"), backend_url=emulator.url, fix=True)
        run = translate_sources([str(source)], settings, options)
    translation = run.outcomes[0].result.translations["p1"]
    assert translation.origin == "fix"
    assert [a["kept"] for a in translation.alternatives] == [False, True]
    assert translation.alternatives[0]["verdict"] == "literal"
    assert translation.alternatives[1]["backend"] == "pseudo"
    assert run.outcomes[0].result.document.quality.fixed == 1
    assert "5 GB" in (cli_env.tmp / "doc.ja.txt").read_text(encoding="utf-8")
