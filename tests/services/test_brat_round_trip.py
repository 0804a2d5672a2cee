"""Export to brat, import into an empty project: the same annotations come back."""

from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.services.interchange.brat_export import export_brat, issue_types
from annotator.services.interchange.importing import import_paths
from annotator.services.project import open_project
from tests.conftest import code_id


def comparable(project):
    """Annotations by article text, with codes by name: ids differ between projects."""
    codes = {c.id: c.name for c in project.store.codes.all()}
    mentions = {}
    result = set()
    for summary in project.store.articles.summaries():
        article = project.store.articles.get(summary.id)
        for a in project.store.annotations.for_article(summary.id):
            mentions[a.id] = tuple((f.start, f.end) for f in a.fragments)
        for a in project.store.annotations.for_article(summary.id):
            result.add(
                (
                    article.sha256,
                    a.kind,
                    tuple((f.start, f.end, f.quote) for f in a.fragments),
                    codes.get(a.code_id),
                    codes.get(a.speaker_id),
                    tuple(sorted(codes[i] for i in a.issue_ids)),
                    a.stance,
                    a.note,
                    mentions.get(a.speaker_mention_id),
                )
            )
    return result


def test_brat_round_trip(project, article_id, tmp_path):
    text = project.store.articles.get(article_id).text
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    sea = code_id(project, CodeKind.ISSUE, "South China Sea")

    def span(needle):
        start = text.index(needle)
        return start, start + len(needle)

    mention = project.annotations.create_speaker_mention(article_id, [span("Xi")], xi).annotation
    project.annotations.create_claim(
        article_id,
        [span("“We will not sit back,”"), span("“fine.”")],
        speaker_mention_id=mention.id,
        issue_ids=[taiwan, sea],
        stance=Stance.OPPOSES,
        note="two fragments",
    )
    project.annotations.create_issue_passage(article_id, [span("🇨🇳 first.\n“We will")], sea)
    exported = export_brat(project.store, tmp_path / "brat")
    assert exported.annotations == 3 and not exported.skipped

    types = issue_types(project.store.codes.all(CodeKind.ISSUE))
    mapping = {"Claim": AnnotationKind.CLAIM, "Speaker": AnnotationKind.SPEAKER}
    mapping |= {types[code_id]: AnnotationKind.ISSUE for code_id in (taiwan, sea)}
    with open_project(tmp_path / "copy.annotator", annotator="alice") as copy:
        report = import_paths(
            copy, [tmp_path / "brat"], format="brat", source="Test Wire", brat_map=mapping
        )
        assert report.rejected == 0, report.summary_lines()
        assert comparable(copy) == comparable(project)
