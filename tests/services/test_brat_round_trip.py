"""Export to brat, import into an empty project: the same annotations come back."""

from annotator.core.model import AnnotationKind, CodeKind, Stance
from annotator.services.interchange.brat.brat_export import export_brat, issue_types
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


def export_and_import(project, tmp_path, mapping_issues=()):
    """Export ``project`` to brat and import it into a new project; returns the copy, open."""
    export_brat(project.store, tmp_path / "brat")
    types = issue_types(project.store.codes.all(CodeKind.ISSUE))
    mapping = {"Claim": AnnotationKind.CLAIM, "Speaker": AnnotationKind.SPEAKER}
    mapping |= {types[code_id]: AnnotationKind.ISSUE for code_id in mapping_issues}
    copy = open_project(tmp_path / "copy.annotator", annotator="alice")
    report = import_paths(
        copy, [tmp_path / "brat"], format="brat", source="Test Wire", brat_map=mapping
    )
    assert report.rejected == 0, report.summary_lines()
    return copy


def test_claims_on_the_same_spans_all_come_back_and_once(project, article_id, tmp_path):
    """Two claims of one span (two readings of one sentence) are two claims, in the export,
    on import, and again on a second import of the same folder (which adds nothing)."""
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    xi = code_id(project, CodeKind.SPEAKER, "Xi Jinping")
    project.annotations.create_claim(article_id, [(18, 41)], speaker_id=xi)
    project.annotations.create_claim(article_id, [(18, 41)], issue_ids=[taiwan])
    project.annotations.create_claim(article_id, [(18, 41)], issue_ids=[taiwan])
    with export_and_import(project, tmp_path) as copy:
        assert comparable(copy) == comparable(project)
        (summary,) = copy.store.articles.summaries()
        assert summary.annotation_count == 3
        mapping = {"Claim": AnnotationKind.CLAIM}
        again = import_paths(
            copy, [tmp_path / "brat"], format="brat", source="Test Wire", brat_map=mapping
        )
        assert again.rejected == 0
        assert copy.store.articles.summaries()[0].annotation_count == 3


def test_fragments_that_start_or_end_at_a_line_break_come_back_whole(project, tmp_path):
    """brat spans cannot hold a line break, so the export says where such fragments really
    begin and end, and the import puts them back as they were."""
    text = "Alpha said\u2028 it.\nBeta\u2028\nGamma\n\nends here\u2028"
    article = project.articles.add(text, source="Test Wire", title="Breaks").article
    taiwan = code_id(project, CodeKind.ISSUE, "Taiwan")
    project.annotations.create_claim(article.id, [(0, 11)], note="ends at U+2028")
    project.annotations.create_claim(article.id, [(10, 15)])  # starts at one
    project.annotations.create_claim(article.id, [(16, 21), (22, 27)])  # two, apart by one
    project.annotations.create_issue_passage(article.id, [(27, len(text))], taiwan)
    with export_and_import(project, tmp_path, [taiwan]) as copy:
        assert comparable(copy) == comparable(project)


def test_code_names_with_line_breaks_and_control_characters(project, article_id, tmp_path):
    """Written escaped, so that each .ann and .conf line stays one line, and read back."""
    names = ["Tai\rwan", "South\u2028China Sea", "Tabs\tand\x07bells", "A | B; C \\ D"]
    issues = [project.codebook.create(CodeKind.ISSUE, name).code.id for name in names]
    speaker = project.codebook.create(CodeKind.SPEAKER, "Xi\nJinping").code.id
    project.annotations.create_speaker_mention(article_id, [(42, 44)], speaker)
    project.annotations.create_claim(article_id, [(18, 41)], speaker_id=speaker, issue_ids=issues)
    for issue in issues:
        project.annotations.create_issue_passage(article_id, [(0, 5)], issue)
    with export_and_import(project, tmp_path, issues) as copy:
        for conf in ("annotation.conf", "visual.conf"):
            written = (tmp_path / "brat" / conf).read_bytes().decode("utf-8")
            assert written.count("\n") == len(written.splitlines()), conf  # one entry a line
        visual = (tmp_path / "brat" / "visual.conf").read_text(encoding="utf-8")
        assert "Tai_wan | Tai wan\n" in visual
        assert comparable(copy) == comparable(project)
        for name in names:
            assert copy.store.codes.by_name(CodeKind.ISSUE, name) is not None
