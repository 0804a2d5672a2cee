"""The claim and speaker detector: quotations, reported speech, speakers, codebook matching,
and the offsets of the hand-marked evaluation set."""

import itertools
from pathlib import Path

import pytest

from annotator.core.attribution import Attribution, detect, load_rules, match_speaker, parse_rules
from annotator.core.attribution.quotes import Quote, find_quotes
from annotator.core.attribution.segments import segment
from annotator.core.errors import ValidationError
from annotator.core.model import Code, CodeKind
from annotator.resources import resource_path
from benchmarks.suggest import DATA, load_documents, marked_quotes

RULES = load_rules(resource_path("suggest", "en.yaml"))


def found(text: str) -> list[Attribution]:
    return detect(text, RULES)


def one(text: str) -> Attribution:
    claims = found(text)
    assert len(claims) == 1, claims
    return claims[0]


def pieces(text: str, attribution: Attribution) -> list[str]:
    return [text[s:e] for s, e in attribution.fragments]


def at(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


# -- direct quotations ------------------------------------------------------------------------


def test_curly_quote_with_the_speaker_after_it():
    text = "“We will not back down,” Flynn said."
    claim = one(text)
    assert pieces(text, claim) == ["“We will not back down,”"]
    assert at(text, claim.cue) == "said" and at(text, claim.mention) == "Flynn"
    assert claim.speaker == "Flynn" and claim.quoted


def test_straight_quote_with_the_verb_before_the_speaker():
    text = 'The plan "will cost jobs," said Michael Flynn, a former adviser.'
    claim = one(text)
    assert pieces(text, claim) == ['The plan "will cost jobs,"']
    assert claim.speaker == "Michael Flynn"


@pytest.mark.parametrize(
    "text",
    [
        'Michael Flynn said: "We will not back down."',
        "Michael Flynn said, “We will not back down.”",
        "Michael Flynn told reporters: “We will not back down.”",
    ],
)
def test_speaker_before_the_quote(text):
    claim = one(text)
    quote_start = min(text.find(mark) % len(text) for mark in '“"')
    assert pieces(text, claim) == [text[quote_start:]]
    assert claim.speaker == "Michael Flynn"
    assert at(text, claim.mention) == "Michael Flynn"


def test_a_quote_split_by_its_attribution_is_one_claim_of_two_fragments():
    text = "“We have waited long enough,” Flynn said. “Now it is their turn.”"
    claim = one(text)
    assert pieces(text, claim) == ["“We have waited long enough,”", "“Now it is their turn.”"]
    assert claim.speaker == "Flynn"


def test_a_quote_split_within_one_sentence():
    text = '"We have waited long enough," Flynn said, "and now it is their turn."'
    claim = one(text)
    assert pieces(text, claim) == ['"We have waited long enough,"', '"and now it is their turn."']


def test_reported_speech_split_by_its_attribution():
    text = "The slump, said Jens Weber, an analyst at Commerzbank, was largely self-inflicted."
    claim = one(text)
    assert pieces(text, claim) == ["The slump", "was largely self-inflicted"]
    assert claim.speaker == "Jens Weber"


def test_nested_quotes_stay_inside_the_outer_one():
    text = '“The minister calls this ‘prudent’. I call it "wishful thinking",” Vidal said.'
    claim = one(text)
    assert pieces(text, claim) == [
        '“The minister calls this ‘prudent’. I call it "wishful thinking",”'
    ]
    assert find_quotes(text, 0, len(text), RULES.quote_pairs) == [Quote(0, text.index(" Vidal"))]


def test_a_quote_with_no_speaker_is_a_claim_without_one():
    text = "Rescue crews searched all night.\n\n“The water rose faster than anyone expected.”\n"
    claim = one(text)
    assert pieces(text, claim) == ["“The water rose faster than anyone expected.”"]
    assert claim.speaker is None and claim.mention is None and claim.cue is None


def test_scare_quotes_are_not_claims():
    assert found("The so-called “reset” never happened, and the talks went nowhere.") == []


def test_an_unclosed_quote_runs_to_the_end_of_its_paragraph():
    text = "Flynn said: “We will win.\n“And they know it,” he added."
    claims = found(text)
    assert at(text, claims[0].fragments[0]) == "“We will win."


# -- indirect speech --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "claimed", "speaker"),
    [
        ("Flynn said that prices would rise next year.", "prices would rise next year", "Flynn"),
        ("US officials said the talks were constructive.", "the talks were constructive",
         "US officials"),
        ("Port workers will strike on Friday, union leaders said.",
         "Port workers will strike on Friday", "union leaders"),
        ("Xi told Biden on Tuesday that Taiwan remains a red line.",
         "Taiwan remains a red line", "Xi"),
        ("According to the central bank, inflation will average 2.4 percent.",
         "inflation will average 2.4 percent", "central bank"),
        ("Rescue crews were still searching late on Sunday, according to the fire service.",
         "Rescue crews were still searching late on Sunday", "fire service"),
        ("China has regularly denied any state-sponsored hacking.",
         "any state-sponsored hacking", "China"),
        ("The mayor, however, insisted that sirens had sounded at 4 a.m. on Monday.",
         "sirens had sounded at 4 a.m. on Monday", "mayor"),
    ],
)  # fmt: skip
def test_indirect_speech(text, claimed, speaker):
    claim = one(text)
    assert pieces(text, claim) == [claimed]
    assert claim.speaker == speaker and not claim.quoted


def test_reported_reported_speech_gives_each_speaker_a_claim():
    text = "The statement said that Xi warned that Beijing would not sit back."
    outer, inner = found(text)
    assert pieces(text, outer) == ["Xi warned that Beijing would not sit back"]
    assert at(text, outer.cue) == "said"
    assert pieces(text, inner) == ["Beijing would not sit back"]
    assert at(text, inner.cue) == "warned" and inner.speaker == "Xi"


def test_a_coordinated_verb_gives_a_second_claim_of_the_same_speaker():
    text = "The union said it regretted the vote and warned that a strike would cost millions."
    first, second = found(text)
    assert pieces(text, first) == ["it regretted the vote"]
    assert pieces(text, second) == ["a strike would cost millions"]
    assert first.speaker == second.speaker == "union"


def test_a_mixed_claim_keeps_its_quotation():
    text = 'Biden told Xi that restrictions are "necessary to protect security," a readout said.'
    readout, biden = found(text)
    assert pieces(text, biden) == ['restrictions are "necessary to protect security,"']
    assert biden.speaker == "Biden" and biden.quoted
    assert pieces(text, readout) == [text[: text.index(" a readout")]]  # the readout's claim


@pytest.mark.parametrize(
    "text",
    [
        "Disclosing what the president planned to say was not her job.",  # "to say"
        "The island is claimed by Beijing as its own territory.",  # passive
        "“They say one thing and do another.”",  # a verb inside a quotation
        "The United States has voiced growing alarm over the moves.",  # "States"
        "Kirby told reporters after the call.",  # nothing said
    ],
)
def test_not_attributions(text):
    assert all(c.cue is None for c in found(text))


# -- speakers ---------------------------------------------------------------------------------


def test_a_pronoun_speaker_is_the_last_person_named():
    text = (
        "Former national security adviser Michael Flynn spoke after Senator Lisa Monroe left.\n"
        "“We will not back down,” he said."
    )
    claim = one(text)
    assert at(text, claim.mention) == "he"
    assert claim.pronoun and claim.speaker == "Lisa Monroe"  # named last, so "he" is her


def test_a_pronoun_speaker_after_a_named_speaker():
    text = (
        "“The slump is self-inflicted,” said Jens Weber, an analyst at Commerzbank. "
        "“Buyers are waiting,” he added."
    )
    first, second = found(text)
    assert first.speaker == "Jens Weber"
    assert second.pronoun and second.speaker == "Jens Weber"


def test_a_pronoun_with_nobody_named_before_has_no_speaker():
    claim = one("“We will not back down,” she said.")
    assert claim.speaker is None and claim.mention is None and claim.pronoun


def test_a_pronoun_does_not_reach_back_further_than_the_paragraph_before():
    text = "President Joe Biden arrived.\n\nRain fell.\n\n“It is late,” he said."
    assert one(text).speaker is None


def test_short_forms_take_the_fullest_name_in_the_article():
    text = (
        "Chinese President Xi Jinping met the delegation.\n"
        "Xi said that trade would grow.\n"
        "A senior administration official said talks would resume soon.\n"
        "The official said the meeting went well."
    )
    xi, first, second = found(text)
    assert at(text, xi.mention) == "Xi" and xi.speaker == "Xi Jinping"
    assert first.speaker == second.speaker == "senior administration official"


def test_titles_and_apposition_give_the_name():
    text = (
        "National Security Council spokesman John Kirby said the call was candid.\n"
        "The finance minister, Ana Ruiz, told parliament that the deficit would fall.\n"
        "Secretary of State Antony Blinken said the trip was useful."
    )
    assert [c.speaker for c in found(text)] == ["John Kirby", "Ana Ruiz", "Antony Blinken"]


def test_a_document_names_its_author():
    text = "The call covered trade and climate, said the White House statement."
    claim = one(text)
    assert claim.speaker == "White House" and at(text, claim.mention) == "White House"


# -- the codebook -----------------------------------------------------------------------------


def speaker(name: str, description: str = "") -> Code:
    return Code(id=name, kind=CodeKind.SPEAKER, name=name, colour="#000000",
                description=description)  # fmt: skip


CODES = [
    speaker("Joe Biden"),
    speaker("Xi Jinping"),
    speaker("The White House"),
    speaker("Senior administration official (anonymous)"),
    speaker("Chinese state media"),
    speaker("Volodymyr Zelensky", "President of Ukraine.\naliases: Zelenskyy; Zelenskiy"),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Joe Biden", "Joe Biden"),
        ("joe  biden", "Joe Biden"),
        ("Biden", "Joe Biden"),  # surname
        ("Xi", "Xi Jinping"),  # family name first
        ("White House", "The White House"),
        ("the White House", "The White House"),
        ("senior administration official", "Senior administration official (anonymous)"),
        ("official", "Senior administration official (anonymous)"),
        ("state media", "Chinese state media"),
        ("Zelenskyy", "Volodymyr Zelensky"),  # an alias in the description
        ("Kirby", None),
        ("Joe", "Joe Biden"),
    ],
)
def test_match_speaker(name, expected):
    code = match_speaker(name, CODES)
    assert (code.name if code else None) == expected


def test_an_ambiguous_name_matches_nothing():
    codes = [speaker("Joe Biden"), speaker("Hunter Biden")]
    assert match_speaker("Biden", codes) is None
    assert match_speaker("Hunter Biden", codes).name == "Hunter Biden"


# -- rules and text ---------------------------------------------------------------------------


def test_rules_file_reads_yaml_booleans_as_words():
    assert {"on", "no"} <= RULES.boundary_words | RULES.abbreviations
    assert RULES.verbs["said"] == "say" and ("according", "to") in RULES.source_cues


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"reporting_verbs": []},
        {"reporting_verbs": {"say": "said"}},
        {"reporting_verbs": {"say": ["said"]}, "quotes": [["<<<", ">>>"]]},
        {"reporting_verbs": {"say": ["said"]}, "pronouns": {"he": "someone"}},
    ],
)
def test_bad_rules_are_refused_with_a_message(data):
    with pytest.raises(ValidationError):
        parse_rules(data)


def test_unreadable_rules_file(tmp_path: Path):
    path = tmp_path / "xx.yaml"
    path.write_text("reporting_verbs: [unclosed", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"xx\.yaml"):
        load_rules(path)


def test_a_researcher_can_add_a_verb(tmp_path: Path):
    # "quipped" joined the shipped lexicon; "harrumphed" is still a verb to add by hand.
    text = "The minister harrumphed that nothing was ruled out."
    assert found(text) == []
    extended = resource_path("suggest", "en.yaml").read_text(encoding="utf-8")
    extended = extended.replace(
        "reporting_verbs:\n", "reporting_verbs:\n  harrumph: [harrumphed]\n"
    )
    (tmp_path / "en.yaml").write_text(extended, encoding="utf-8")
    claim = detect(text, load_rules(tmp_path / "en.yaml"))[0]
    assert claim.speaker == "minister"


def test_sentences_keep_quotations_whole_and_skip_abbreviations():
    text = "“I agree. Fully,” Mr. Flynn said at 4 p.m. on Monday. Gen. Austin left."
    sentences = segment(text, RULES)
    assert [text[s.start : s.end] for s in sentences] == [
        "“I agree. Fully,” Mr. Flynn said at 4 p.m. on Monday.",
        "Gen. Austin left.",
    ]


def test_offsets_are_code_points():
    text = "🇺🇸🇨🇳 “We will not back down,” Flynn said 😠."
    claim = one(text)
    assert text[claim.fragments[0][0] : claim.fragments[0][1]] == "“We will not back down,”"


# -- the evaluation set -----------------------------------------------------------------------


def test_every_marked_offset_points_at_its_quote():
    marked = marked_quotes()
    assert len(marked) > 60
    for name, text, (start, end), quote in marked:
        assert text[start:end] == quote, name


def test_marked_sample_articles_are_the_stored_texts():
    from annotator.services.project import open_memory_project

    documents = {d.name: d for d in load_documents()}
    with open_memory_project(samples=True) as project:
        stored = {a.text for a in project.store.articles.iter_all()}
    assert documents["politico"].text in stored and documents["afp"].text in stored


def test_marked_claims_do_not_overlap_and_have_known_forms():
    for document in load_documents(DATA):
        spans = sorted(f for c in document.claims for f in c.fragments)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), document.name
        assert {c.form for c in document.claims} <= {"direct", "indirect", "mixed"}
