"""The HTML page: escaped text, no external asset, highlights with their explanation, counts."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.report.helpers import ROWS, make_result, make_run, write_html
from translator.config import Settings
from translator.report import write_reports
from translator.runs.translate import TranslateRun
from translator.types import Finding

SCRIPT = "<script>alert(1)</script>"


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_markup_in_a_source_segment_is_shown_as_text(tmp_path: Path) -> None:
    rows = [
        (f"Type {SCRIPT} here & <b>there</b>", f"ここに {SCRIPT} と入力", f"Type {SCRIPT} here", "review", 50.0, [])
    ]
    page = parse(write_html(tmp_path, rows))
    assert len(page.find_all("script")) == 1  # the page's own script only
    assert page.find("b", string="there") is None
    row = page.select_one(".row[data-i]")
    assert row.select_one(".src").get_text() == f"Type {SCRIPT} here & <b>there</b>"
    assert row.select_one(".tgt").get_text() == f"ここに {SCRIPT} と入力"
    assert SCRIPT not in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_markup_in_findings_and_paths_is_escaped(tmp_path: Path) -> None:
    rows = [ROWS[3][:5] + ([Finding("", "rule.x", "functional", f'say "{SCRIPT}"', found="あなた")],)]
    page = parse(write_html(tmp_path, rows, name="a&b.html"))
    assert len(page.find_all("script")) == 1
    assert SCRIPT in page.select_one("mark")["title"]
    assert SCRIPT in page.select_one(".why").get_text()


def test_page_is_self_contained(tmp_path: Path) -> None:
    page = parse(write_html(tmp_path))
    for element in page.find_all(True):
        for attribute in ("src", "href", "srcset", "action", "data", "poster"):
            value = element.get(attribute)
            assert value is None or (attribute == "href" and value.startswith("#")), (element.name, attribute, value)
    assert page.find("link") is None and page.find("iframe") is None
    assert all("url(" not in style.get_text() and "@import" not in style.get_text() for style in page.find_all("style"))


def test_page_declares_encoding_and_languages(tmp_path: Path) -> None:
    page = parse(write_html(tmp_path))
    assert page.find("meta", charset="utf-8") is not None
    assert page.html["lang"] == "en"
    row = page.select_one(".row[data-i]")
    assert row.select_one(".tgt")["lang"] == "ja" and row.select_one(".src")["lang"] == "en"
    assert "コンソールを開きます。" in page.get_text()


def test_rule_hits_and_glossary_findings_are_marked_with_their_explanation(tmp_path: Path) -> None:
    page = parse(write_html(tmp_path))
    rows = page.select(".row[data-i]")
    anata = rows[3].select("mark")
    assert [m.get_text() for m in anata] == ["あなた"]  # the finding's span: the first あなた
    assert "Generic 'you'" in anata[0]["title"]
    glossary = rows[4].select_one("mark.g-glossary")
    assert glossary.get_text() == "インファレンス" and "推論" in glossary["title"]
    assert "推論" in rows[4].select_one(".why").get_text()


def test_rows_carry_verdict_and_score_for_filtering_and_sorting(tmp_path: Path) -> None:
    page = parse(write_html(tmp_path))
    rows = page.select(".row[data-i]")
    assert [r["class"][1] for r in rows] == ["v-ok"] * 3 + ["v-review"] * 2 + ["v-literal"]
    assert [float(r["data-score"]) for r in rows] == [row[4] for row in ROWS]
    assert [b["value"] for b in page.select("input[name=verdict]")] == ["ok", "review", "literal"]
    counts = {li["class"][0]: li.b.get_text() for li in page.select(".counts li")}
    assert counts == {"v-ok": "3", "v-review": "2", "v-literal": "1"}


def test_header_has_a_histogram_and_the_signatures(tmp_path: Path) -> None:
    page = parse(write_html(tmp_path))
    bars = page.select("svg.histogram rect.bin")
    assert len(bars) == 10
    assert sum(int(b.title.get_text().split(": ")[1].split()[0]) for b in bars) == len(ROWS)
    assert "nrefs:1|case:mixed" in page.find("footer").get_text()


def test_a_run_of_several_documents_has_one_section_each(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_reports(make_run(make_result(source="a.md"), make_result(ROWS[:2], source="b.md")), [str(path)], Settings())
    page = parse(path)
    assert [h.get_text() for h in page.select("section.doc h2")] == ["a.md", "b.md"]
    assert [i["data-count"] for i in page.select("input[name=verdict]")] == ["5", "2", "1"]
    assert len({row["id"] for row in page.select(".row[data-i]")}) == 8


def test_a_run_where_every_source_failed_still_gives_a_page(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_reports(TranslateRun(), [str(path)], Settings())
    assert parse(path).select_one("#shown").get_text() == "showing 0 of 0 segments"


def test_findings_list_each_found_with_its_own_expected_and_never_repeat_the_message(tmp_path: Path) -> None:
    style = "AWS Japanese style"
    findings = [
        Finding("", "style.aws", "cosmetic", style, expected="…は、こちら…", found="…は、 こちら…"),
        Finding("", "style.aws", "cosmetic", style, expected="ABC を…", found="ＡＢＣを…"),
        Finding("", "glossary.missing", "functional", "'metric' should be rendered メトリクス", expected="メトリクス"),
    ]
    rows = [ROWS[0][:5] + (findings,)]
    items = [li.get_text(" ", strip=True) for li in parse(write_html(tmp_path, rows)).select(".why li")]
    assert items == [
        f"house style (spacing, half-width letters, punctuation) : {style} found: …は、 こちら… → …は、こちら… , "
        "ＡＢＣを… → ABC を… style.aws",
        "a term not rendered as the glossary says : 'metric' should be rendered メトリクス glossary.missing",
    ]


def test_findings_are_named_in_plain_words_with_the_check_id_kept_smaller(tmp_path: Path) -> None:
    findings = [
        Finding("", "rule.ja.anata", "functional", "Generic English “you” …", found="あなたは", span=(0, 4)),
        Finding("", "rule.team.house-term", "cosmetic", "Our team writes it differently."),
    ]
    page = parse(write_html(tmp_path, [ROWS[3][:5] + (findings,)]))
    first, second = page.select(".why li")
    assert first.select_one(".name").get_text() == "“you” written as あなた, word for word"
    assert first.select_one(".check").get_text() == "rule.ja.anata"
    assert second.select_one(".name").get_text() == "house term"  # a team's own rule, named from its id
    assert (
        "“you” written as あなた" in page.select_one("mark")["title"]
        and "(rule.ja.anata)" in page.select_one("mark")["title"]
    )
    css = page.select_one("style").get_text()
    assert ".why .check { font-family: ui-monospace, monospace; font-size: .85em;" in css
