"""What LLM backends are told (context, roles, style), and translate → reflect → improve with --fix."""

from __future__ import annotations

import json

from tests.backends.aws import ACCESS_KEY, isolate_aws
from translator.testing import BedrockEmulator, OpenAIEmulator

LESSON = (
    "# Managed Spot Training\n\n"
    "Spot Instances cut the cost of training.\n\n"
    "- Use checkpoints to resume a job.\n"
    "- Set a maximum wait time.\n\n"
    "A job that is interrupted starts again from its last checkpoint.\n"
)


def user_payloads(requests, path: str) -> list[dict]:
    payloads = []
    for request in requests:
        if request.path.endswith(path) and request.json:
            messages = request.json.get("messages", [])
            for message in messages:
                if message.get("role") == "user":
                    content = message["content"]
                    text = content if isinstance(content, str) else "".join(b.get("text", "") for b in content)
                    payloads.append(json.loads(text))
    return payloads


def test_openai_prompts_carry_title_neighbours_roles_and_style(cli_env) -> None:
    source = cli_env.tmp / "lesson.md"
    source.write_text(LESSON, encoding="utf-8")
    with OpenAIEmulator() as emulator:
        result = cli_env.run(
            "translate",
            str(source),
            "-b",
            "openai",
            "--backend-url",
            emulator.url + "/v1",
            "--no-check",
            "-o",
            "-",
            "--concurrency",
            "1",
            env={"OPENAI_API_KEY": "sk-test"},
        )
        assert result.exit_code == 0, result.output
        payloads = user_payloads(emulator.requests, "/chat/completions")
        system = emulator.prompts[0]
    assert payloads and all(p["context"].startswith("Title: Managed Spot Training") for p in payloads)
    roles = [role for p in payloads for role in p["roles"]]
    assert {"heading", "paragraph", "list-item"} <= set(roles)
    assert "体言止め" in system and "です・ます" in system and '"context"' in system and '"roles"' in system


def test_bedrock_prompts_carry_them_too(cli_env, monkeypatch) -> None:
    isolate_aws(cli_env, monkeypatch, region="us-east-1", unset=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME",))
    source = cli_env.tmp / "lesson.md"
    source.write_text(LESSON, encoding="utf-8")
    with BedrockEmulator(access_keys=(ACCESS_KEY,)) as emulator:
        result = cli_env.run(
            "translate", str(source), "-b", "bedrock", "--backend-url", emulator.url, "--no-check", "-o", "-"
        )
        assert result.exit_code == 0, result.output
        payloads = user_payloads(emulator.requests, "/converse")
    assert payloads and all(p["context"].startswith("Title: Managed Spot Training") for p in payloads)
    assert "heading" in [role for p in payloads for role in p["roles"]]
    assert "体言止め" in emulator.prompts[0]


LITERAL = "あなたはスポットインスタンスを使用することができます。"  # word for word: あなた, することができます
NATURAL = "スポットインスタンスを使用できます。"
WORSE = "スポットインスタンスを 7 回使用できます。"  # a number the source does not have


def test_fix_tells_the_fix_backend_what_was_wrong_and_keeps_only_a_better_rewrite(cli_env) -> None:
    source = cli_env.tmp / "lesson.txt"
    source.write_text("You can use Spot Instances.\n\nYou can use Spot Instances again.\n", encoding="utf-8")
    table = {"You can use Spot Instances.": LITERAL, "You can use Spot Instances again.": LITERAL}
    rewrites = {"You can use Spot Instances.": NATURAL, "You can use Spot Instances again.": WORSE + "あなたは"}
    env = {"OPENAI_API_KEY": "sk-test"}
    with OpenAIEmulator(phrase_table=table, rewrites=rewrites) as emulator:
        url = emulator.url + "/v1"
        plain = cli_env.run(
            "translate",
            str(source),
            "-b",
            "openai",
            "--backend-url",
            url,
            "--back-translate",
            "none",
            "--no-glossary",
            "--report",
            str(cli_env.tmp / "before.json"),
            "-o",
            "-",
            env=env,
        )
        assert plain.exit_code == 0, plain.output
        fixed = cli_env.run(
            "translate",
            str(source),
            "-b",
            "openai",
            "--backend-url",
            url,
            "--back-translate",
            "none",
            "--no-glossary",
            "--fix",
            "--fix-backend",
            "openai",
            "--no-cache",
            "--report",
            str(cli_env.tmp / "after.json"),
            "-o",
            "-",
            env=env,
        )
        assert fixed.exit_code == 0, fixed.output
        notes = [n for p in user_payloads(emulator.requests, "/chat/completions") for n in p.get("notes", []) if n]
    assert notes and all("Earlier translation: " + LITERAL in n and "What was wrong:" in n for n in notes)

    def verdicts(name: str) -> list[str]:
        report = json.loads((cli_env.tmp / name).read_text(encoding="utf-8"))
        return [s["verdict"] for d in report["documents"] for s in d["segments"]]

    assert verdicts("before.json").count("literal") == 2
    assert verdicts("after.json").count("literal") < 2
    assert NATURAL in fixed.stdout  # the better rewrite replaced the literal translation
    assert WORSE not in fixed.stdout  # the worse rewrite was not kept …
    report = json.loads((cli_env.tmp / "after.json").read_text(encoding="utf-8"))
    kept = [a for d in report["documents"] for s in d["segments"] for a in s.get("alternatives", [])]
    assert any(a["origin"] == "fix" and not a["kept"] for a in kept)  # … but is in the report
