"""Question banks and flashcards in the formats public tools export.

* ``moodle-quiz.xml`` follows Moodle's XML export (https://docs.moodle.org/en/Moodle_XML_format):
  a category, ``multichoice`` questions with CDATA and escaped text, a ``shortanswer`` question.
* ``mla-practice.gift`` follows Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format):
  titles, a category line, feedback, weights, escapes, short answer, true/false, numerical and a
  missing-word question.
* ``quizlet-mla-terms.tsv`` is Quizlet's default export (term TAB definition); ``anki-mla-notes.tsv``
  is Anki's notes export with its ``#separator``/``#html``/``#guid column``/``#tags column`` headers
  and a quoted field.

The questions are ours, written for these tests.
"""

from __future__ import annotations

import pytest

from tests.formats.questions.conftest import QUESTIONS
from translator.errors import InputError
from translator.formats import format_name_for, get_format
from translator.testing import pseudo_translate


def pseudo_all(name: str, fmt: str) -> tuple[str, object]:
    text = (QUESTIONS / name).read_text(encoding="utf-8")
    reader = get_format(fmt)
    document = reader.read(text, name)
    translations = {s.id: pseudo_translate(s.text, "ja", ignore_tags=("x",)) for s in document.segments}
    return reader.write(document, translations), document


def test_the_formats_are_chosen_by_extension():
    assert [format_name_for(n) for n in ("bank.xml", "bank.gift", "cards.tsv")] == [
        "moodle-xml",
        "gift",
        "flashcards-tsv",
    ]


def test_moodle_xml_translates_texts_and_keeps_names_categories_and_graded_answers():
    output, document = pseudo_all("moodle-quiz.xml", "moodle-xml")
    assert "<text>$course$/top/MLA-C01 practice</text>" in output and "<text>MLA-inference-01</text>" in output
    assert (
        "<text><![CDATA[<p>[ja] Which SageMaker inference option scales to zero when no requests arrive?</p>]]></text>"
        in output
    )
    assert "<text>[ja] Model Monitor detects data quality drift &amp; bias drift, among others.</text>" in output
    assert "<text>Ground Truth</text>" in output  # a short answer is graded by its text
    assert "<text><![CDATA[<p>[ja] Amazon SageMaker Ground Truth manages labeling workforces.</p>]]></text>" in output
    assert '<answer fraction="100" format="html">' in output and "<penalty>0.3333333</penalty>" in output
    refs = document.meta["questions"]
    assert [(r.id, r.answer, r.multi_select) for r in refs] == [
        ("MLA-inference-01", ["B"], 0),
        ("MLA-monitoring-02", ["A", "B"], 2),
    ]


@pytest.mark.parametrize("qtype", ["randomsamatch", "matching", "cloze"])
def test_moodle_xml_with_a_question_type_it_cannot_translate_whole_fails_at_its_line(qtype):
    text = (QUESTIONS / "moodle-quiz.xml").read_text(encoding="utf-8").replace('type="shortanswer"', f'type="{qtype}"')
    with pytest.raises(InputError) as caught:
        get_format("moodle-xml").read(text, "bank.xml")
    assert caught.value.line == 92 and f"question type '{qtype}' is not understood" in str(caught.value)


def test_moodle_xml_entities_are_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><quiz>&b;</quiz>'
    with pytest.raises(InputError, match="refused XML"):
        get_format("moodle-xml").read(bomb, "bomb.xml")


def test_gift_translates_prose_and_keeps_markers_weights_and_keys():
    output, document = pseudo_all("mla-practice.gift", "gift")
    lines = output.split("\n")
    assert (
        "::MLA-01 serverless:: [ja] Which SageMaker inference option scales to zero when no requests arrive? {" in lines
    )
    assert "\t=[ja] Serverless inference #[ja] Correct\\: you pay only for the requests it serves." in lines
    assert (
        "\t~%-100%[ja] Invoice drift" in lines
        and "\t####[ja] Serverless inference scales down to zero between requests." in lines
    )
    assert "\t=Ground Truth" in lines  # short answer: graded by its text
    assert (
        "{T#[ja] Clarify reports pre-training bias metrics.#[ja] It does\\: see the Clarify documentation.}" in output
    )
    assert "{#10}" in output and "$CATEGORY: $course$/top/MLA-C01 practice" in lines
    assert "{~[ja] small =[ja] foundation ~[ja] relational} [ja] models through a single API." in output
    refs = document.meta["questions"]
    assert [(r.answer, r.multi_select) for r in refs] == [(["B"], 0), (["A", "B"], 2), (["B"], 0)]


def test_gift_translations_are_escaped():
    text = "::Q:: Which service stores objects? {=Amazon S3 ~Amazon EC2}\n"
    reader = get_format("gift")
    document = reader.read(text, "q.gift")
    stem = document.segments[0]
    output = reader.write(document, {stem.id: "オブジェクトを保存するサービスは？ {S3: =~#}"})
    assert output == "::Q:: オブジェクトを保存するサービスは？ \\{S3\\: \\=\\~\\#\\} {=Amazon S3 ~Amazon EC2}\n"
    assert reader.read(output, "q.gift").segments[0].text.endswith("{S3: =~#}")


def test_a_gift_matching_question_fails_the_file_at_its_line():
    text = "::Q1:: Fine. {=A ~B}\n\n::Q2:: Match the services. {\n=Amazon S3 -> storage\n=AWS Lambda -> compute\n}\n"
    with pytest.raises(InputError) as caught:
        get_format("gift").read(text, "bank.gift")
    assert caught.value.line == 3 and "matching questions are not supported" in str(caught.value)


def test_quizlet_cards_have_both_sides_translated():
    output, _ = pseudo_all("quizlet-mla-terms.tsv", "flashcards-tsv")
    assert output.split("\n")[1] == "[ja] Inference\t[ja] Using a trained model to make predictions on new data"


def test_anki_notes_keep_headers_guids_tags_and_quote_what_needs_it():
    output, _ = pseudo_all("anki-mla-notes.tsv", "flashcards-tsv")
    lines = output.split("\n")
    assert lines[:4] == ["#separator:tab", "#html:true", "#guid column:1", "#tags column:4"]
    assert lines[4] == (
        "f8Kq1vR2pT\t[ja] What does <b>Amazon SageMaker Model Monitor</b> detect?\t"
        "[ja] Data quality, model quality, bias and feature attribution drift.\tmla monitoring"
    )
    assert lines[5].startswith("b3Nz7wX0cE\t[ja] Which endpoint type scales to zero?\t")
    assert lines[5].endswith(
        '"[ja] Serverless inference.<br>It bills per request, so ""idle"" costs nothing."\tmla inference'
    )
