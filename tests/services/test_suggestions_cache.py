"""Suggestions are asked for after every edit: detection is remembered per article text and
speaker list, and the "already annotated" test bisects instead of comparing every pair."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Annotation, AnnotationKind, CodeKind, Fragment
from annotator.services import suggestions as service
from tests.services.test_suggestions import add_wire, span


def test_detection_runs_once_until_the_speakers_change(project, monkeypatch) -> None:
    article = add_wire(project)
    runs: list[str] = []
    real = service.detect_suggestions

    def counted(article_id, *args, **kwargs):
        runs.append(article_id)
        return real(article_id, *args, **kwargs)

    monkeypatch.setattr(service, "detect_suggestions", counted)
    first = service.suggest_for_article(project.store, article)
    assert service.suggest_for_article(project.store, article) == first
    assert len(runs) == 1
    project.codebook.create(CodeKind.SPEAKER, "Michael Flynn")  # now a known speaker
    again = service.suggest_for_article(project.store, article)
    assert len(runs) == 2
    flynn = next(s for s in again if s.kind is AnnotationKind.CLAIM)
    assert flynn.speaker_code_id is not None and not flynn.creates_speaker


def test_annotations_handed_in_give_what_the_store_gives(project) -> None:
    article = add_wire(project)
    xi = project.store.codes.by_name(CodeKind.SPEAKER, "Xi Jinping")
    project.annotations.create_claim(article, [span("Taiwan remains")], speaker_id=xi.id)
    held = project.store.annotations.for_article(article)
    from_store = service.suggest_for_article(project.store, article)
    assert service.suggest_for_article(project.store, article, existing=held) == from_store
    assert all("Taiwan" not in s.text for s in from_store if s.kind is AnnotationKind.CLAIM)


def annotation(kind: AnnotationKind, spans: list[tuple[int, int]], number: int) -> Annotation:
    return Annotation(
        id=f"a{number}", article_id="x", kind=kind, annotator="a", created_at="t",
        updated_at="t", fragments=tuple(Fragment(s, e, "q" * (e - s)) for s, e in spans),
    )  # fmt: skip


spans = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 30)), min_size=1, max_size=3)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(list(AnnotationKind)), spans), max_size=25),
    st.lists(st.tuples(st.sampled_from([AnnotationKind.CLAIM, AnnotationKind.SPEAKER]), spans),
             max_size=10),
)  # fmt: skip
def test_the_bisecting_cover_agrees_with_comparing_every_pair(existing, asked) -> None:
    made = [
        annotation(kind, [(s, s + n) for s, n in found], i)
        for i, (kind, found) in enumerate(existing)
    ]
    cover = service._SpanCover(random.Random(3).sample(made, len(made)))
    for kind, found in asked:
        fragments = tuple((s, s + n) for s, n in found)
        suggestion = service.Suggestion(
            key="k", article_id="x", kind=kind, fragments=fragments, text="t", cue=None,
            mention=None, speaker_name=None, speaker_code_id=None,
        )  # fmt: skip
        assert cover.overlaps(suggestion) == any(  # every pair compared
            a.kind is kind and any(f.start < e and s < f.end for f in a.fragments)
            for a in made
            for s, e in fragments
        )
