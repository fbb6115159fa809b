"""Tagged text: what readers build, what backends see, and how answers are repaired."""

from translator import markup
from translator.markup import TaggedTextBuilder


def build_sample():
    builder = TaggedTextBuilder()
    builder.text("Set ")
    builder.protect("`MaxWaitTimeInSeconds`", "code")
    builder.text(" & see ")
    builder.open("link", "[", "](https://docs.aws.amazon.com/x.html)")
    builder.text("the <guide>")
    builder.close()
    return builder.build()


def test_render_restores_protected_text_and_markup_verbatim():
    tagged, spans = build_sample()
    assert tagged == 'Set <x id="1"/> &amp; see <g id="2">the &lt;guide&gt;</g>'
    assert (
        markup.render(tagged, spans)
        == "Set `MaxWaitTimeInSeconds` & see [the <guide>](https://docs.aws.amazon.com/x.html)"
    )


def test_plain_text_keeps_code_words_and_drops_markup():
    tagged, spans = build_sample()
    assert markup.plain(tagged, spans) == "Set `MaxWaitTimeInSeconds` & see the <guide>"


def test_xml_mode_shows_code_words_for_context_and_normalises_the_echo():
    tagged, spans = build_sample()
    sent = markup.to_backend(tagged, spans, "xml")
    assert '<x id="1">`MaxWaitTimeInSeconds`</x>' in sent
    echoed = sent.replace("Set", "設定").replace("see", "参照")
    back = markup.from_backend(echoed, "xml")
    assert back == '設定 <x id="1"/> &amp; 参照 <g id="2">the &lt;guide&gt;</g>'


def test_placeholder_mode_round_trip():
    tagged, spans = build_sample()
    sent = markup.to_backend(tagged, spans, "placeholder")
    assert sent == "Set ⟦1⟧ & see ⟦2⟧the <guide>⟦/2⟧"
    assert markup.from_backend("⟦1⟧ を設定し ⟦2⟧ガイド⟦/2⟧ を参照", "placeholder") == (
        '<x id="1"/> を設定し <g id="2">ガイド</g> を参照'
    )


def test_repair_appends_a_lost_protected_code_and_drops_invented_ones():
    tagged, spans = build_sample()
    repaired, findings = markup.repair_codes(tagged, '<g id="2">ガイド</g><x id="9"/><g id="2">again</g>', "s1")
    assert '<x id="9"/>' not in repaired
    assert repaired.count('<g id="2">') == 1
    assert repaired.endswith('<x id="1"/>')
    assert [f.check for f in findings] == ["tags.missing"]
    rendered = markup.render(repaired, spans)
    assert "`MaxWaitTimeInSeconds`" in rendered and "(https://docs.aws.amazon.com/x.html)" in rendered


def test_only_codes_and_numbers_are_not_sent():
    builder = TaggedTextBuilder()
    builder.protect("`x`", "code")
    builder.text(" 3.14 — ")
    tagged, _ = builder.build()
    assert not markup.has_translatable_text(tagged)
    assert markup.has_translatable_text("Hello")


def test_html_mode_never_self_closes_and_marks_protected_words_translate_no():
    tagged, spans = build_sample()
    sent = markup.to_backend(tagged, spans, "html")
    assert sent == 'Set <x id="1" translate="no">`MaxWaitTimeInSeconds`</x> &amp; see <g id="2">the &lt;guide&gt;</g>'
    # An engine that parsed it as HTML and translated the rest echoes the element whole.
    echoed = '<x id="1" translate="no">`MaxWaitTimeInSeconds`</x> を設定し、<g id="2">ガイド</g> を参照'
    assert markup.from_backend(echoed, "html") == '<x id="1"/> を設定し、<g id="2">ガイド</g> を参照'
