"""``translator models`` end to end: a loopback package index, real packages, the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.contract import BackendContract, Subject, contract_settings
from tests.models.conftest import data_dir, installed_names

LESSON = """# Training on SageMaker

Amazon **SageMaker** trains the `model` on data in https://example.com/bucket. It saves cost with spot instances.

- Run inference on the model.
- Save the data.
"""


def test_install_list_translate_offline_and_remove(models_env, index):
    url = f"{index.url}/index.json"
    result = models_env.run("models", "install", "en-ja", "--index-url", url)
    assert result.exit_code == 0, result.output
    assert "installed en-ja 1.0" in result.stdout and "installed ja-en 1.0" in result.stdout  # and its reverse
    assert installed_names(models_env) == ["en-ja", "ja-en"]

    listing = models_env.run("models", "list", "--index-url", url)
    assert listing.exit_code == 0, listing.output
    rows = {line.split("│")[1].strip(): line for line in listing.stdout.splitlines() if line.count("│") > 5}
    assert set(rows) == {"de-en", "en-ja", "ja-en"}
    assert "installed" in rows["en-ja"] and "CC-BY-4.0" in rows["en-ja"] and " kB" in rows["en-ja"]
    assert "available" in rows["de-en"]

    index.stop()  # from here on there is no server at all: the run must be offline
    lesson = models_env.tmp / "lesson.md"
    lesson.write_text(LESSON, encoding="utf-8")
    translated = models_env.run("translate", str(lesson), "--no-cache")  # no -b: the local engine is the default
    assert translated.exit_code == 0, translated.output
    out = (models_env.tmp / "lesson.ja.md").read_text(encoding="utf-8")
    assert out != LESSON and out.startswith("# ")
    assert "`model`" in out and "https://example.com/bucket" in out and out.count("**") == 2
    assert out.count("\n- ") == 2

    backends = models_env.run("backends", "--offline")
    row = next(line for line in backends.stdout.splitlines() if line.lstrip("│ ").startswith("local"))
    assert "(default)" in row and "en-ja 1.0" in row and "ja-en 1.0" in row
    assert "cpu, int8" in row  # no GPU here: the CPU, with int8 weights

    removed = models_env.run("models", "remove", "en-ja", "ja-en")
    assert removed.exit_code == 0, removed.output
    assert installed_names(models_env) == []
    assert "en-ja" not in models_env.run("models", "list", "--installed").stdout


def test_an_interrupted_download_is_resumed_where_it_stopped(models_env, index):
    index.faults.queue("cut", path="/packages/", after=20_000)
    result = models_env.run("models", "install", "en-ja", "--only", "--index-url", f"{index.url}/index.json")
    assert result.exit_code == 0, result.output
    assert installed_names(models_env) == ["en-ja"]
    downloads = [r for r in index.requests if r.path.startswith("/packages/")]
    assert [(r.fault, r.status) for r in downloads] == [("cut", 200), (None, 206)]
    assert downloads[1].headers["range"] == "bytes=20000-"
    assert not any((data_dir(models_env) / "models" / ".downloads").iterdir())  # the part file is gone


def test_a_download_that_keeps_failing_is_resumed_by_the_next_run(models_env, index):
    url = f"{index.url}/index.json"
    index.faults.queue("cut", count=5, path="/packages/", after=10_000)
    failed = models_env.run("models", "install", "en-ja", "--only", "--index-url", url)
    assert failed.exit_code == 5  # the source could not be reached, as for any service
    assert "run the same command again to resume" in failed.stderr and len(failed.stderr.splitlines()) == 1
    assert installed_names(models_env) == []
    again = models_env.run("models", "install", "en-ja", "--only", "--index-url", url)
    assert again.exit_code == 0, again.output
    last = [r for r in index.requests if r.path.startswith("/packages/")][-1]
    assert last.headers["range"] == "bytes=50000-" and last.status == 206
    assert installed_names(models_env) == ["en-ja"]


def test_a_checksum_mismatch_is_refused_with_nothing_installed(models_env, index, package):
    index.add(package("en", "ko"), "en", "ko", sha256="0" * 64)
    result = models_env.run("models", "install", "en-ko", "--index-url", f"{index.url}/index.json")
    assert result.exit_code == 1
    assert "checksum mismatch" in result.stderr and "nothing was installed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert installed_names(models_env) == []
    assert not any((data_dir(models_env) / "models" / ".downloads").iterdir())


def test_a_file_or_url_with_its_checksum(models_env, index, package, tmp_path):
    file = tmp_path / "translate-de_en-1_0.argosmodel"
    file.write_bytes(package("de", "en"))
    assert models_env.run("models", "install", str(file)).exit_code == 0
    link = index.add(package("en", "ko"), "en", "ko", sha256=False)
    wrong = models_env.run("models", "install", link, "--sha256", "f" * 64)
    assert wrong.exit_code == 1 and "checksum mismatch" in wrong.stderr
    import hashlib

    right = models_env.run("models", "install", link, "--sha256", hashlib.sha256(package("en", "ko")).hexdigest())
    assert right.exit_code == 0, right.output
    assert installed_names(models_env) == ["de-en", "en-ko"]


def test_a_missing_model_is_one_line_naming_both_ways_forward(models_env):
    source = models_env.tmp / "a.md"
    source.write_text("Hello.\n", encoding="utf-8")
    result = models_env.run("translate", str(source), "-o", "-", env={"DEEPL_AUTH_KEY": ""})
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "translator models install en-ja" in lines[0] and "DEEPL_AUTH_KEY" in lines[0]
    assert not (models_env.tmp / "a.ja.md").exists()


def test_a_deepl_key_keeps_runs_on_deepl_until_a_model_is_installed(models_env, package, tmp_path):
    from translator.config import load_settings as load
    from translator.models.default import default_backend

    def load_settings(**options):
        return load(default_backend=default_backend, **options)

    settings = load_settings(env=models_env.env, config_file=models_env.config)
    assert settings.backend == "deepl"  # cli_env sets DEEPL_AUTH_KEY
    file = tmp_path / "en_ja.argosmodel"
    file.write_bytes(package("en", "ja"))
    assert models_env.run("models", "install", str(file)).exit_code == 0
    assert load_settings(env=models_env.env, config_file=models_env.config).backend == "local"
    chosen = load_settings(env={**models_env.env, "TRANSLATOR_BACKEND": "pseudo"}, config_file=models_env.config)
    assert chosen.backend == "pseudo"  # a configured backend always wins
    other_pair = load_settings(env=models_env.env, config_file=models_env.config, target="ko")
    assert other_pair.backend == "deepl"


def test_pivot_through_english_when_there_is_no_direct_model(models_env, package, tmp_path):
    for source, target in (("de", "en"), ("en", "ja")):
        file = tmp_path / f"{source}_{target}.argosmodel"
        file.write_bytes(package(source, target))
        assert models_env.run("models", "install", str(file)).exit_code == 0
    from translator.backends.local import LocalBackend
    from translator.config import load_settings
    from translator.models.default import default_backend

    settings = load_settings(
        env=models_env.env, config_file=models_env.config, source="de", default_backend=default_backend
    )
    assert settings.backend == "local"
    backend = LocalBackend.from_settings(settings)
    assert [m.model_dir.parent.name for m in backend.route("de", "ja")] == ["de-en", "en-ja"]
    source = models_env.tmp / "a.txt"
    source.write_text("Die Daten.\n", encoding="utf-8")
    result = models_env.run("translate", str(source), "--from", "de", "-o", "-", "--no-check", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() and result.stdout != "Die Daten.\n"


def test_unknown_pair_and_unknown_removal_are_one_line(models_env, index):
    missing = models_env.run("models", "install", "en-xx", "--index-url", f"{index.url}/index.json")
    assert missing.exit_code == 1 and "no en-xx model" in missing.stderr
    gone = models_env.run("models", "remove", "en-ja")
    assert gone.exit_code == 1 and "no installed model named 'en-ja'" in gone.stderr


def test_list_without_an_index_shows_installed_models(models_env, package, tmp_path):
    file = tmp_path / "en_ja.argosmodel"
    file.write_bytes(package("en", "ja"))
    models_env.run("models", "install", str(file))
    result = models_env.run("models", "list", "--index-url", str(tmp_path / "no-index.json"))
    assert result.exit_code == 0
    assert "showing installed models only" in result.stderr
    assert "en-ja" in result.stdout and str(Path(models_env.env["TRANSLATOR_DATA_DIR"])) in result.stdout


def test_a_download_finished_by_an_earlier_run_is_not_fetched_again(models_env, index, package):
    from translator.models.download import part_path

    link = index.add(package("en", "ko"), "en", "ko")
    downloads = data_dir(models_env) / "models" / ".downloads"
    downloads.mkdir(parents=True)
    part_path(downloads, link).write_bytes(package("en", "ko"))  # the run stopped right after downloading
    result = models_env.run("models", "install", "en-ko", "--index-url", f"{index.url}/index.json")
    assert result.exit_code == 0, result.output
    (request,) = [r for r in index.requests if r.path.startswith("/packages/")]
    assert request.headers["range"] == f"bytes={len(package('en', 'ko'))}-" and request.status == 416
    assert installed_names(models_env) == ["en-ko"]


def test_threads_follow_the_core_count():
    from translator.backends.local import thread_defaults

    assert thread_defaults(1) == (1, 1)
    assert thread_defaults(2) == (1, 2)  # this machine: one batch at a time on both cores
    assert thread_defaults(8) == (2, 4)
    assert thread_defaults(16) == (4, 4)


def test_an_index_that_cannot_be_reached_is_exit_code_5(models_env, index):
    url = f"{index.url}/index.json"
    index.stop()
    result = models_env.run("models", "install", "en-ja", "--index-url", url)
    assert result.exit_code == 5
    assert result.stderr.startswith("error: cannot fetch the package index") and len(result.stderr.splitlines()) == 1


class TestLocalContract(BackendContract):
    """The backend contract for ``local`` running an installed package (not a configured folder)."""

    no_faults = "the local engine has no service: nothing to fail with 429 or 5xx, no quota, no key"
    echoes_words = False  # a random model's words cannot be predicted; codes and order still can

    @pytest.fixture
    def subject(self, package, tmp_path: Path) -> Iterator[Subject]:
        from translator.backends.local import LocalBackend
        from translator.models import ModelStore
        from translator.models.install import package_root
        from translator.models.unpack import extract

        store = ModelStore(tmp_path / "data" / "models")
        archive = tmp_path / "en_ja.argosmodel"
        archive.write_bytes(package("en", "ja"))
        staging = store.staging()
        extract(archive, staging)
        store.place(package_root(staging))
        env = {"TRANSLATOR_DATA_DIR": str(tmp_path / "data")}
        settings = contract_settings(tmp_path, "local", env=env, beam_size=1, max_decoding_length=8)
        yield Subject(LocalBackend.from_settings(settings))
