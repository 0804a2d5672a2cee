"""The kinds of attribution real news holds beyond "X said Y" (issue 18), one sentence each,
written for these tests: what is claimed, who claims it, and why the detector says so."""

import pytest

from annotator.core.attribution import detect
from annotator.core.attribution.inflect import inflections
from annotator.core.attribution.rules import load_rules
from annotator.resources import resource_path

RULES = load_rules(resource_path("suggest", "en.yaml"))


def only(text: str) -> tuple[str, str | None, float, str]:
    """The one claim of ``text``: its words, speaker, confidence and reason."""
    found = detect(text, RULES)
    assert len(found) == 1, found
    claim = found[0]
    words = " … ".join(text[s:e] for s, e in claim.fragments)
    return words, claim.speaker, claim.confidence, claim.reason


@pytest.mark.parametrize(
    ("text", "said", "speaker", "cue"),
    [
        # indirect speech with cue verbs beyond "say", progressive and phrasal forms
        ("The mayor's office is demanding that the company withdraw its permit request.",
         "the company withdraw its permit request", "mayor's office", "demanding"),
        ("Two advisers urged her to delay the vote until the spring.",
         "her to delay the vote until the spring", "Two advisers", "urged"),
        ("The governor is doubling down on his criticism of the transit budget.",
         "his criticism of the transit budget", "governor", "doubling"),
        ("The union pointed to falling wages in the logistics sector.",
         "falling wages in the logistics sector", "union", "pointed"),
        # beliefs, intentions and feelings
        ("The minister believes the reform will lower rents within two years.",
         "the reform will lower rents within two years", "minister", "believes"),
        ("The association wants to keep the market open on Sundays.",
         "keep the market open on Sundays", "association", "wants"),
        ("Aides were vague about when the report would be published.",
         "when the report would be published", "Aides", "vague"),
        ("Analysts expect interest rates to fall by the end of the year.",
         "interest rates to fall by the end of the year", "Analysts", "expect"),
        # sources that are not people: documents, surveys, media, organisations
        ("A new campaign ad seizes on the senator's record on housing.",
         "the senator's record on housing", "new campaign ad", "seizes"),
        ("The documentary argues that the dam was built too quickly.",
         "the dam was built too quickly", "documentary", "argues"),
        ("The audit concludes that the agency overspent by four million euros.",
         "the agency overspent by four million euros", "audit", "concludes"),
        ("Prosecutors have established that the money was moved through three accounts.",
         "the money was moved through three accounts", "Prosecutors", "established"),
        # the source after the content, inside it, or in a headline; a noun phrase said
        ("These workers, the manager explained, were hired on temporary contracts.",
         "These workers … were hired on temporary contracts", "manager", "explained"),
        ("The harvest will be smaller than last year, according to the farmers' union.",
         "The harvest will be smaller than last year", "farmers' union", "according to"),
        ("Minister on tariffs: “We will respond in kind”",
         "“We will respond in kind”", "Minister", "on tariffs:"),
        ("The senator has often cited rising rents as the reason for her bill.",
         "rising rents as the reason for her bill", "senator", "cited"),
        # nominal cues
        ("In a statement, the ministry said the talks would resume on Monday.",
         "the talks would resume on Monday", "ministry", "said"),
    ],
)  # fmt: skip
def test_each_category_is_found_with_its_source(text, said, speaker, cue):
    words, who, confidence, reason = only(text)
    assert (words, who) == (said, speaker)
    assert reason.startswith(f"“{cue}”") and 0.5 <= confidence <= 1


@pytest.mark.parametrize(
    ("text", "said", "cue"),
    [
        ("Her claim that the vote was rigged was rejected by the courts.",
         "the vote was rigged was rejected by the courts", "claim"),
        ("The warning that the river could flood came too late.",
         "the river could flood came too late", "warning"),
        ("There is a fear in parts of the cabinet that the deal will collapse.",
         "the deal will collapse", "fear"),
    ],
)  # fmt: skip
def test_nouns_of_saying_before_that(text, said, cue):
    words, who, confidence, reason = only(text)
    assert words == said and who is None
    assert reason == f"“{cue}” (noun cue, noun of saying)" and confidence == 0.5  # no speaker


def test_feelings_need_a_form_of_be_and_pronouns_find_their_person():
    text = "Ana Ruiz said the budget was late.\nShe is angry that the plan stalled."
    first, second = detect(text, RULES)
    assert first.speaker == second.speaker == "Ana Ruiz" and second.pronoun
    assert text[slice(*second.fragments[0])] == "the plan stalled"
    assert "feel cue" in second.reason
    assert detect("Angry voters gathered outside the town hall.", RULES) == []


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was closed on Monday.",
        "The plan is to reopen the school in May.",
        "Disclosing what the president planned to say was not her job.",
        "The call lasted two hours.",
    ],
)
def test_cue_words_that_report_nothing(text):
    assert detect(text, RULES) == []


def test_surer_cues_have_higher_confidence():
    said = only("The minister said the reform will lower rents next year.")[2]
    believed = only("The minister believes the reform will lower rents next year.")[2]
    wanted = only("The minister wants to lower rents next year.")[2]
    quoted = only("“Rents will fall,” the minister said.")[2]
    assert quoted > said > believed > wanted


def test_forms_are_made_from_the_lemma():
    assert inflections("deny") == {"deny", "denies", "denied", "denying"}
    assert inflections("argue") == {"argue", "argues", "argued", "arguing"}
    assert inflections("admit", double=True) >= {"admitted", "admitting", "admits"}
    assert inflections("stress") >= {"stresses", "stressed", "stressing"}
    assert {"thought", "found", "explaining", "urges"} <= RULES.verbs.keys()
