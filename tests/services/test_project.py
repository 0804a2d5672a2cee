import os

import pytest

from annotator.core.model import CodeKind
from annotator.services.project import ProjectFileError, default_project_path, open_project
from annotator.services.reports import check_project, project_stats


def test_default_project_is_created_in_app_data_with_the_samples(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_project_path()
    assert path == tmp_path / "data" / "Annotator" / "default.annotator"
    with open_project() as project:
        assert project.created and project.path == path
        stats = project_stats(project.store)
        assert stats["articles"] == 2 and stats["sources"] == 2
        assert set(stats["per_source"]) == {"AFP", "Politico"}
        assert check_project(project.store) == []
        titles = {s.title for s in project.store.articles.summaries()}
        assert "Biden-Xi phone call sparks clash on U.S. high tech export controls" in titles


def test_sample_text_is_kept_as_collected(tmp_path, monkeypatch):
    """The seed files' text, page residue included, minus only the front matter."""
    from annotator.resources import sample_articles_dir

    with open_project() as project:
        texts = {}
        for summary in project.store.articles.summaries():
            article = project.store.articles.get(summary.id)
            assert article.published == "2024-04-02"
            raw = (sample_articles_dir() / article.imported_from.split("/")[-1]).read_text()
            assert raw.endswith(article.text)
            texts[summary.source_name] = article.text
    assert texts["Politico"].count("Oops!") == 2
    assert texts["Politico"].endswith("with his Chinese counterpart.")  # no final newline
    assert "“" in texts["Politico"] and "…" in texts["Politico"]
    assert texts["AFP"].startswith("Biden, Xi clash but seek to manage tensions")


def test_reopening_the_default_project_does_not_add_samples_again():
    with open_project() as first:
        first_ids = {s.id for s in first.store.articles.summaries()}
    with open_project() as second:
        assert not second.created
        assert {s.id for s in second.store.articles.summaries()} == first_ids


def test_own_project_starts_with_the_codebook_and_no_articles(tmp_path):
    with open_project(tmp_path / "mine.annotator") as project:
        assert project.store.articles.count() == 0
        assert project.store.codes.by_name(CodeKind.SPEAKER, "Xi Jinping") is not None


def test_duplicate_text_is_reported_not_stored_twice(project):
    first = project.articles.add("Same text.\r\n", source="A")
    second = project.articles.add("Same text.\n", source="B")
    assert not first.duplicate and second.duplicate
    assert second.article.id == first.article.id
    assert project.store.sources.by_name("B") is None


def test_headline_defaults_to_the_first_non_empty_line(project):
    added = project.articles.add("\n\n  The headline  \nbody", source="x")
    assert added.article.title == "The headline"


def test_article_status_change_is_undoable(project, article_id):
    """The status is the project coder's own (statuses are per coder since migration 0008)."""
    from annotator.core.model import ArticleStatus
    from annotator.services.changes import apply_change

    change = project.articles.set_status(article_id, ArticleStatus.DONE)
    assert project.store.articles.status_of(article_id, "alice") is ArticleStatus.DONE
    assert change.article_ids == {article_id}
    apply_change(project.store, change.inverse())
    assert project.store.articles.status_of(article_id, "alice") is ArticleStatus.NEW


def test_an_interrupted_first_start_is_seeded_on_the_next(monkeypatch):
    import os

    import pytest

    from annotator.services import samples  # project.py imports it when seeding

    def broken(store):
        raise RuntimeError("interrupted")

    # A context of its own: monkeypatch.undo() would also undo the isolated XDG folders.
    with monkeypatch.context() as patch:
        patch.setattr(samples, "load_sample_articles", broken)
        with pytest.raises(RuntimeError):
            open_project()
    assert not default_project_path().exists()
    assert str(default_project_path()).startswith(os.environ["XDG_DATA_HOME"])
    with open_project() as project:
        assert project.store.articles.count() == 2


def test_a_project_file_with_two_names_is_refused_before_anything_is_written(tmp_path):
    """Two hard-link names would get two locks and two journals: two imports at once, one
    through each name, corrupted the file."""
    path = tmp_path / "study.annotator"
    with open_project(path) as project:
        project.articles.add("Some text.", source="AFP")
    second = tmp_path / "second.annotator"
    os.link(path, second)
    before = path.read_bytes()
    for name in (path, second):
        with pytest.raises(ProjectFileError, match=r"has 2 names \(hard links\).*copy it"):
            open_project(name)
    assert path.read_bytes() == before  # no lock, no journal, no backup written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["second.annotator", "study.annotator"]
    second.unlink()
    with open_project(path) as project:
        assert project.store.articles.count() == 1


def test_a_dangling_link_as_the_project_path_creates_nothing(tmp_path):
    link = tmp_path / "p.annotator"
    link.symlink_to(tmp_path / "far" / "away" / "t.annotator")
    for read_only in (False, True):
        with pytest.raises(ProjectFileError, match="does not exist"):
            open_project(link, read_only=read_only)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.annotator"]
    assert link.is_symlink()


def test_stats_count_what_a_recount_of_the_rows_finds(project, article_id):
    """``stats`` reads indexes and kept counts, not every row (issue 19): it must still agree
    with counting the rows themselves, for every kind, coder and source (one without
    articles too)."""
    from annotator.services.annotations import AnnotationService

    store = project.store
    issue = store.codes.all(CodeKind.ISSUE)[0].id
    speaker = store.codes.all(CodeKind.SPEAKER)[0].id
    for coder, count in (("alice", 3), ("bob", 2)):
        service = AnnotationService(store, coder)
        for n in range(count):
            service.create_issue_passage(article_id, [(n, n + 4)], issue)
            service.create_speaker_mention(article_id, [(n + 1, n + 3)], speaker)
            service.create_claim(article_id, [(n, n + 9)], speaker_id=speaker, issue_ids=[issue])
    project.articles.add("Another text entirely.", source="Second Wire", title="Two")
    store.sources.get_or_create("Silent Wire")
    stats = project_stats(store)
    db = store._db
    assert stats["annotations"] == dict(
        db.execute("SELECT kind, count(*) FROM annotations GROUP BY kind").fetchall()
    )
    assert stats["annotations"] == {"claim": 5, "speaker": 5, "issue": 5}
    assert stats["annotators"] == {"alice": 9, "bob": 6}
    assert stats["per_source"] == {
        name: {"articles": articles, "annotations": annotations}
        for name, articles, annotations in db.execute(
            """SELECT s.name, (SELECT count(*) FROM articles a WHERE a.source_id = s.id),
                      (SELECT count(*) FROM annotations n JOIN articles a
                       ON a.id = n.article_id WHERE a.source_id = s.id)
               FROM sources s"""
        ).fetchall()
    }
    assert stats["per_source"]["Silent Wire"] == {"articles": 0, "annotations": 0}
    assert stats["per_source"]["Test Wire"] == {"articles": 1, "annotations": 15}
