"""A multi-coder study on the sample articles (real reporting): three coders whose work
differs the way real coders' does — shifted boundaries, other speakers, extra or missing
issues, discontinuous claims, overlapping passages, one-sided annotations — built through
AnnotationService with a fixed seed, so every run sees the same study."""

import random
import re

from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.services.annotations import AnnotationService
from annotator.services.project import Project

SENTENCE = re.compile(r"[^.\n]*(?:said|says|told|warned|argued|according to)[^.\n]*\.")


def build_study(project: Project, coders: tuple[str, ...] = ("alice", "bob", "carol")) -> None:
    """Every coder codes every sample article; ``coders[0]`` is the reference the others
    deviate from."""
    rng = random.Random(20261202)
    speakers = [c.id for c in project.store.codes.all(CodeKind.SPEAKER)]
    issues = [c.id for c in project.store.codes.all(CodeKind.ISSUE)]
    services = {name: AnnotationService(project.store, name) for name in coders}
    for summary in project.store.articles.summaries():
        text = project.store.articles.get(summary.id).text
        for match in SENTENCE.finditer(text):
            start, end = (
                match.start() + (len(match.group()) - len(match.group().lstrip())),
                match.end(),
            )
            speaker = rng.choice(speakers)
            tags = sorted(set(rng.sample(issues, rng.randint(0, 2))))
            stance = rng.choice([None, Stance.SUPPORTS, Stance.OPPOSES])
            split = end - start > 60 and rng.random() < 0.3  # a claim cut by its attribution
            middle = start + (end - start) // 2
            spans = [(start, middle - 10), (middle + 5, end)] if split else [(start, end)]
            for number, name in enumerate(coders):
                roll = rng.random()
                if number and roll < 0.12:
                    continue  # this coder missed it
                mine = list(spans)
                their_speaker, their_tags = speaker, tags
                if number and roll < 0.3:
                    first = mine[-1]
                    mine[-1] = (first[0], max(first[0] + 1, first[1] - rng.randint(1, 15)))
                elif number and roll < 0.4:
                    their_speaker = rng.choice(speakers)
                elif number and roll < 0.5:
                    their_tags = sorted(set(tags) ^ {rng.choice(issues)})
                services[name].create_claim(
                    summary.id, mine, speaker_id=their_speaker, issue_ids=their_tags, stance=stance
                )
            # An issue passage over the same sentence, overlapping the claim.
            issue = rng.choice(issues)
            for number, name in enumerate(coders):
                if number and rng.random() < 0.2:
                    continue
                shift = rng.randint(0, 8) if number and rng.random() < 0.3 else 0
                services[name].create_issue_passage(summary.id, [(start + shift, end)], issue)
        # One-sided speaker mentions: each coder marks a few names the others did not.
        for name in coders:
            for found in list(re.finditer(r"\b(?:Biden|Xi|Kirby|Blinken|Yellen)\b", text))[:6]:
                if rng.random() < 0.7:
                    services[name].create_speaker_mention(
                        summary.id, [(found.start(), found.end())], rng.choice(speakers[:3])
                    )
    assert any(
        len(a.fragments) > 1
        for s in project.store.articles.summaries()
        for a in project.store.annotations.for_article(s.id)
        if a.kind is AnnotationKind.CLAIM
    )
