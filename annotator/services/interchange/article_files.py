"""Reading one file into an article draft: its text and whatever metadata the file carries.

Text and Markdown may open with YAML front matter (title, source, published, author, url);
other keys become article variables (see import_variables). HTML is reduced to the article's
main text by trafilatura, which drops navigation, ads and boilerplate and finds the page's
title, author and date. trafilatura is
given the decoded page as a string: it never fetches anything, so no URL or file the page
names (images, scripts, stylesheets) is ever loaded.

Every failure is a ValidationError whose message is the one-line reason shown beside the file.
"""

import errno
import logging
import stat
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.formats.decoding import DecodedText, decode_bytes
from annotator.core.formats.frontmatter import split_front_matter
from annotator.core.text import canonicalize_text
from annotator.services.articles import AddedArticle
from annotator.services.interchange.import_types import ArticleMetadata, ImportFormat
from annotator.services.interchange.import_variables import front_matter_variables
from annotator.services.project import Project

#: Larger files are refused unread: no news article is this long, and a stray database dump
#: or video renamed .txt must not fill the project (or the memory).
MAX_FILE_BYTES = 20 * 1024 * 1024

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    text: str
    metadata: ArticleMetadata
    variables: tuple[tuple[str, str], ...] = ()  # from front matter; values not yet checked
    notes: tuple[str, ...] = ()  # front matter keys left out, for the outcome's details


def format_for(path: Path) -> ImportFormat | None:
    """The reader a file's extension calls for; None for a file an import skips."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return ImportFormat.TEXT
    if suffix in HTML_SUFFIXES:
        return ImportFormat.HTML
    return None


def describe_error(exc: Exception) -> str:
    """An unexpected exception's type and message for a one-line reason, cut short: some
    messages quote a whole file back."""
    message = str(exc)
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def leaves_folder(path: Path, root: Path, folder: str) -> str | None:
    """Why ``path`` may not be imported as part of ``root`` (a resolved folder, ``folder``
    names it in the reason): it leads outside, by ``..``, an absolute path or a symbolic link
    anywhere along it. None when it stays inside. What a folder or a manifest brings in
    travels to every teammate by merge, so it must not reach /etc or a home folder."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        target = path.resolve()  # where it would lead; importing it says "file not found"
    except RuntimeError:  # Python < 3.13 reports a symbolic-link loop so
        return "cannot be followed (a link loop)"
    except OSError as exc:
        loop = exc.errno == errno.ELOOP
        return f"cannot be followed ({'a link loop' if loop else exc.strerror or exc})"
    except ValueError:
        return "not a usable file name"  # a NUL byte
    if target.is_relative_to(root):
        return None
    return f"leads outside {folder} (to {target})"


def read_capped(path: Path, *, allow_empty: bool = False) -> bytes:
    """The file's bytes, refusing devices, pipes and files over MAX_FILE_BYTES before reading
    (reading /dev/zero or a FIFO would never end), and empty files unless allowed."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ValidationError("file not found") from exc
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError("not a regular file")
    cap = MAX_FILE_BYTES
    if info.st_size > cap:
        raise ValidationError(
            f"file too large ({_megabytes(info.st_size)}; the limit is {_megabytes(cap)})"
        )
    with path.open("rb") as handle:
        data = handle.read(cap + 1)  # the file may have grown since stat()
    if len(data) > cap:
        raise ValidationError(f"file too large (over {_megabytes(cap)})")
    if not allow_empty and not data.strip():
        raise ValidationError("empty file")
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size} bytes"


def decode_file(path: Path, *, allow_empty: bool = False) -> DecodedText:
    return decode_bytes(read_capped(path, allow_empty=allow_empty))


def read_article(path: Path, format: ImportFormat) -> ArticleDraft:
    """Read a text or HTML file; raises ValidationError with the reason it cannot be used."""
    decoded = decode_file(path)
    if format is ImportFormat.HTML:
        return html_article(decoded.text)
    return text_article(decoded.text)


def text_article(text: str) -> ArticleDraft:
    """Front matter, if any, and the body. The text is canonicalised first so a file saved
    with CRLF line ends still has its ``---`` fences recognised."""
    meta, body = split_front_matter(canonicalize_text(text))
    if not body.strip():
        raise ValidationError("no article text" + (" after the front matter" if meta else ""))
    variables, notes = front_matter_variables(meta)
    return ArticleDraft(body, ArticleMetadata.from_mapping(meta), variables, notes)


def html_article(html: str) -> ArticleDraft:
    """The page's main text and its title, author and date, as trafilatura finds them."""
    try:
        import trafilatura  # loads lxml and friends: only when an HTML file is imported
    except ImportError as exc:
        raise ValidationError(_missing_component(exc)) from exc

    _quiet_library_loggers()
    try:
        extracted = trafilatura.extract(
            html,
            output_format="txt",
            with_metadata=True,  # a YAML front-matter header, read back below
            include_comments=False,
            include_images=False,
            include_links=False,
            include_tables=True,
            # Only a date the page states (meta tags, <time>): the default search guesses,
            # e.g. 2024-01-01 from a "© 2024" footer, which a researcher would take as fact.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except ImportError as exc:  # a part trafilatura imports only when a page needs it
        raise ValidationError(_missing_component(exc)) from exc
    except Exception as exc:  # a parser crash on one odd page must not stop a batch
        raise ValidationError(f"the HTML could not be read ({type(exc).__name__})") from exc
    if not extracted:
        raise ValidationError("no article text found in the HTML page")
    meta, body = split_front_matter(canonicalize_text(extracted))
    if not body.strip():
        raise ValidationError("no article text found in the HTML page")
    page = ArticleMetadata.from_mapping(meta)
    # The page's site name is not taken as the source: outlets would split into spellings
    # ("BBC", "BBC News") the researcher never chose.
    return ArticleDraft(
        body,
        ArticleMetadata(
            title=page.title, published=meta.get("date"), author=page.author, url=page.url
        ),
    )


def _missing_component(exc: ImportError) -> str:
    """What to install when HTML import cannot load a library: pip before 24 ignored the
    extra ``lxml[html_clean]`` that justext asks for, leaving every HTML import to fail in
    ``import lxml.html.clean``, whose ImportError names the package only in its message."""
    if "lxml_html_clean" in str(exc) or (exc.name or "").startswith("lxml_html_clean"):
        package = "lxml_html_clean"
    else:
        package = (exc.name or "").split(".")[0]
    needed = f"the {package} package" if package else f"a package that is missing ({exc})"
    return f"HTML import needs {needed}; reinstall Annotator with: pip install -e ."


def _quiet_library_loggers() -> None:
    """trafilatura logs every odd page as an error; without a handler Python would print
    those on stderr, between the lines of the summary that already says what happened."""
    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def add_article(project: Project, text: str, meta: ArticleMetadata, path: Path) -> AddedArticle:
    """Store an imported text with its metadata, remembering the file it came from."""
    return project.articles.add(
        text,
        source=meta.source or "",
        title=meta.title,
        published=meta.published,
        author=meta.author,
        url=meta.url,
        imported_from=str(path.resolve()),
    )
