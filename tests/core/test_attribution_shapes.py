"""Shapes of attribution found in real reporting that the first rules missed (issue 18), one
sentence each, written for these tests."""

import pytest

from annotator.core.attribution import detect
from annotator.core.attribution.rules import load_rules
from annotator.resources import resource_path

RULES = load_rules(resource_path("suggest", "en.yaml"))


def claims(text: str) -> list[tuple[str, str | None]]:
    return [
        (" … ".join(text[s:e] for s, e in found.fragments), found.speaker)
        for found in detect(text, RULES)
    ]


@pytest.mark.parametrize(
    ("text", "said", "speaker"),
    [
        # asides in commas or a parenthesis between the speaker and the verb
        ("Mara Olsen, 61, a retired nurse, said the clinic had closed too early.",
         "the clinic had closed too early", "Mara Olsen"),
        ("Tom Reyes, a member of the party's central executive committee, said the count "
         "was nearly done.", "the count was nearly done", "Tom Reyes"),
        ("Sen. Jo Park (D-Ore.) said the bill would pass by Friday.",
         "the bill would pass by Friday", "Jo Park"),
        # a title's abbreviation and an initial are part of the name
        ("Mr. Alvarez argues that the tariff has never helped farmers.",
         "the tariff has never helped farmers", "Alvarez"),
        ("Secretary of State Anne K. Lind said in a statement that the vote was fair.",
         "the vote was fair", "Anne K. Lind"),
        # what was said comes after adjuncts, an object or a question word
        ("The governor had said in an interview taped before the storm that the levees "
         "would hold.", "the levees would hold", "governor"),
        ("Ms. Okafor pledged Saturday to cut the fare by half.",
         "cut the fare by half", "Okafor"),
        ("The mayor assured him the bridge was safe.", "the bridge was safe", "mayor"),
        ("The host asked Dana Whitfield how she would pay for the plan.",
         "how she would pay for the plan", "host"),
        ("The senator warned against a rush to close the plant.",
         "a rush to close the plant", "senator"),
        # a relative pronoun's antecedent speaks
        ("The plan was backed by Lee Moran, who argued that rents would fall.",
         "rents would fall", "Lee Moran"),
        # a time, a reflexive or a quantity next to the speaker
        ("A city poll last week showed support for the tram at 61 percent.",
         "support for the tram at 61 percent", "city poll"),
        ("The county itself said the road would reopen in May.",
         "the road would reopen in May", "county"),
        ("Three mayors met on Friday, and none has said they will back the levy.",
         "they will back the levy", "none"),
        # a subject after an opening clause, a speaker in the middle of what was said
        ("Once she was elected, Ms. Diaz made transit a priority, announcing a new bus line.",
         "a new bus line", "Diaz"),
        ("In particular, Ortiz wrote, Lindqvist can win the runoff.",
         "Lindqvist can win the runoff", "Ortiz"),
        # a document with no issuer named speaks for itself
        ("The survey asks where each member of a household was born.",
         "where each member of a household was born", "survey"),
    ],
)  # fmt: skip
def test_a_shape_found_with_its_speaker(text, said, speaker):
    assert claims(text) == [(said, speaker)]


def test_two_apostrophes_are_a_quotation_mark():
    text = "''The water is rising fast,'' Mr. Haddad said, ''and the pumps are old.''"
    assert claims(text) == [
        ("''The water is rising fast,'' … ''and the pumps are old.''", "Haddad")
    ]


def test_a_later_speaker_in_the_sentence_has_a_claim_of_its_own():
    text = (
        "“The road is open,” Ms. Novak said on the radio, but she said the bridge would "
        "stay closed until June."
    )
    assert claims(text) == [
        ("“The road is open,”", "Novak"),
        ("the bridge would stay closed until June", "Novak"),
    ]
    text = "I asked the judge to lower the fine, which I said was not fair."
    assert claims(text) == [
        ("lower the fine", None),
        ("was not fair", None),
    ]


def test_an_inverted_speaker_that_goes_on_is_the_speaker_of_what_follows():
    text = "Several ministers, including Vera Holm, said the treaty should be signed."
    assert claims(text) == [("the treaty should be signed", "Several ministers")]


def test_a_claim_with_no_one_named():
    text = "The central bank is expected to raise rates at its next meeting."
    (found,) = detect(text, RULES)
    assert text[slice(*found.fragments[0])] == text.rstrip(".")
    assert found.speaker is None and "no one named" in found.reason
    text = "The donors appear to have ties to a religious movement."
    assert claims(text) == [(text.rstrip("."), None)]
    text = "The mayor has been criticized for closing the library."
    assert claims(text) == [(text.rstrip("."), None)]


def test_a_headline_in_title_case_or_with_a_colon():
    text = "Mayor Hart Promises Action on Flooding in First Week.\n\nThe mayor spoke on Monday."
    assert claims(text)[0] == ("Action on Flooding in First Week", "Hart")
    text = "City Herald: Flood Defences Failed Twice This Year.\n\nThe report came out."
    assert claims(text)[0] == ("Flood Defences Failed Twice This Year", "City Herald")
    text = "The council met.\n\nCity Herald: the defences failed twice."
    assert claims(text) == []  # a colon speaks only in the headline


def test_a_quotation_on_its_own_goes_on_from_the_last_speaker():
    text = (
        "Ana Ruiz, the finance minister, said the budget was late.\n"
        "“We will not cut pensions to make up for it.”"
    )
    first, second = detect(text, RULES)
    assert first.speaker == second.speaker == "Ana Ruiz"
    assert second.cue is None and "after Ana Ruiz" in second.reason


def test_words_that_name_no_one():
    for text in (
        "Moreover, said the critics, the plan costs too much.",
        "On Sunday, he said nothing.",
    ):
        assert all(speaker not in {"Moreover", "Sunday"} for _, speaker in claims(text))


def test_a_noun_of_saying_owned_by_its_speaker():
    text = "Despite Mara Olsen's call to close the plant, the board voted to keep it."
    (found,) = detect(text, RULES)
    assert text[slice(*found.fragments[0])].startswith("close the plant")
    assert found.speaker == "Mara Olsen" and "owner of a noun of saying" in found.reason


@pytest.mark.parametrize(
    "text",
    [
        "The October report exceeded expectations, with 271,000 new jobs.",
        "Jobs report gives the governor a lift.",
        "A rise in wages could blunt Republican claims.",
        "The two leaders clashed in a telephone call Tuesday about trade and Taiwan.",
    ],
)
def test_a_noun_of_saying_is_no_verb(text):
    assert claims(text) == []


def test_a_noun_like_cue_after_a_pronoun_or_before_an_article_is_a_verb():
    assert claims("He claims the vote was rigged.") == [("the vote was rigged", None)]
    assert claims("Ortiz claims the vote was rigged.") == [("the vote was rigged", "Ortiz")]


def test_issue_20s_misattributions():
    """A speaker before a long aside, and two quotations of two speakers side by side."""
    text = (
        "Representative Ann Lee, a Democrat from Ohio who sits on the committee, said the "
        "administration was slow to act."
    )
    assert claims(text) == [("the administration was slow to act", "Ann Lee")]
    text = '"We will win the vote," Lee said. "No, you will not," Smith replied.'
    assert claims(text) == [('"We will win the vote,"', "Lee"), ('"No, you will not,"', "Smith")]
