"""The article view shares one SpanStyle per kind and code, and drops them when colours change."""

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from annotator.core.model import Annotation, AnnotationKind, Article, Code, CodeKind
from annotator.core.spans.fragments import make_fragments
from annotator.ui.annotate.article_view import ArticleView

TEXT = "“We act,” Xi said 😠. Xi’s aide agreed."
XI = Code(id="xi", kind=CodeKind.SPEAKER, name="Xi Jinping", colour="#4e79a7")


def mention(annotation_id: str, occurrence: int) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index("Xi", start + 1)
    return Annotation(
        id=annotation_id,
        article_id="a",
        kind=AnnotationKind.SPEAKER,
        fragments=make_fragments(TEXT, [(start, start + 2)]),
        annotator="t",
        created_at="",
        updated_at="",
        code_id="xi",
    )


def bold_colours(view: ArticleView) -> list[QColor]:
    view.text.viewport().repaint()  # the lazy highlighter formats what is about to show
    QApplication.processEvents()
    layout = view.text.document().findBlockByNumber(0).layout()
    return [r.format.foreground().color() for r in layout.formats()]


def test_styles_are_shared_and_follow_a_colour_change(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    article = Article(id="a", source_id="s", title="T", text=TEXT, sha256="x")
    notes = [mention("one", 0), mention("two", 1)]
    view.show_article(article, None, notes, {"xi": XI})
    index = view._index
    assert index.style_of("one") is index.style_of("two")
    before = bold_colours(view)
    assert len(before) == 2 and before[0] == before[1]
    assert before[0].hue() == QColor("#4e79a7").hue()

    red = Code(id="xi", kind=CodeKind.SPEAKER, name="Xi Jinping", colour="#e15759")
    view.update_annotations(notes, {"xi": red})
    assert index.style_of("one").colour == "#e15759"  # type: ignore[union-attr]
    after = bold_colours(view)
    assert len(after) == 2 and after[0].hue() == QColor("#e15759").hue()
    # The emoji before the second "Xi" shifts it by one UTF-16 unit.
    ranges = view.text.document().findBlockByNumber(0).layout().formats()
    assert [r.start for r in ranges] == [TEXT.index("Xi"), TEXT.index("Xi’s") + 1]
