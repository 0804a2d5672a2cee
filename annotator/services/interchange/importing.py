"""Importing articles: text, Markdown and HTML files, folders of them, a manifest, brat.

Two steps, so the window can show a cancellable progress dialog:

- ``plan_import`` walks the folders and reads the manifest (never the articles themselves) and
  returns one ImportItem per file, including the ones already skipped or rejected;
- ``import_items`` imports one item per step and yields its ImportOutcome, so a caller cancels
  by no longer iterating and keeps what was imported so far.

``import_paths`` runs both and returns an ImportReport, which is what the CLI prints.

Rules:
- Folders are walked recursively in name order. Hidden files and folders (a leading dot) are
  left out silently, as are symbolic links to folders; files with other extensions are
  skipped and reported. A file named explicitly is always considered.
- A file found in a folder must stay inside it, and a manifest's files inside the manifest's
  folder, symbolic links followed (for brat, its .ann too): what leads outside (``../``, an
  absolute path, a link to /etc/hostname) is rejected, as the project carries it to every
  teammate by merge. A file named explicitly is imported wherever it leads.
- ``format`` "auto" reads .txt/.md as text and .html/.htm as HTML and skips anything else.
  "text" or "html" takes only that format's extensions from folders, but reads every file
  named explicitly (on the command line or in the manifest) in that format. "brat" imports
  each .txt with the .ann beside it (see brat_import).
- Metadata comes from the manifest row first, then the file (front matter, or the page's
  title, author and date), then the ``source`` given to the import, which is the fallback
  source. A file with no source from any of them is rejected with that reason: outlets are
  what coverage is counted by, so none is guessed.
- Bad input rejects one file with a one-line reason and the batch goes on; so does any
  unexpected error while reading a file (a bug, a library failing on an odd page). A
  metadata field longer than FIELD_LIMITS rejects the file, naming the field and where it
  came from. A text already in the project is reported as a duplicate, not stored twice.
- A manifest's extra columns and a text file's extra front matter keys are article variables
  (see import_variables); a duplicate adds those its article lacks.

Transactions: each file is one savepoint, inside a batch transaction that ``import_items``
commits once it has run BATCH_SECONDS (or holds BATCH_FILES files), when the items run out, and
when the caller stops iterating (``close()``, or leaving a ``for`` loop). A file that fails,
for a reason of its own or any other, is undone alone (its savepoint) and the others of its
batch are committed all the same, so a failure refuses that one file and loses nothing else.
Batches, not a commit per file, because every commit waits for the disk (synchronous = FULL,
about 1 ms here): more than reading and storing a 5 KB article takes. An outcome is yielded as
soon as its file is done, so the count a progress dialog shows is exactly what stays when it
cancels; only a crash or power cut can lose the files of the open batch (under BATCH_SECONDS
of work), and then whole files, never part of one. A batch that cannot be saved (a full disk)
ends the import with a WriteError naming the files of that batch, which are lost, and counting
those of the batches before it, which are saved. Iterate to the end or close the iterator: a
batch stays open while the iterator is suspended.
"""

import time
from collections.abc import Generator, Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from annotator.core.errors import ValidationError
from annotator.core.model import AnnotationKind
from annotator.services.interchange.article_files import (
    ArticleDraft,
    add_article,
    describe_error,
    read_article,
)
from annotator.services.interchange.brat.brat_import import import_brat_item
from annotator.services.interchange.import_plan import plan_import
from annotator.services.interchange.import_types import (
    ArticleMetadata,
    ImportFormat,
    ImportItem,
    ImportOutcome,
    ImportReport,
    ImportStatus,
    too_long,
)
from annotator.services.interchange.import_variables import (
    Spellings,
    added_line,
    checked_variables,
    keep_variables,
)
from annotator.services.interchange.manifest import MANIFEST_COLUMNS
from annotator.services.project import Project, WriteError
from annotator.store import Store

__all__ = [
    "MANIFEST_COLUMNS",
    "ImportFormat",
    "ImportItem",
    "ImportOutcome",
    "ImportReport",
    "ImportStatus",
    "import_item",
    "import_items",
    "import_paths",
    "plan_import",
]

NO_SOURCE = (
    "no source: add 'source:' to its front matter or a source column to the manifest, "
    "or give --source"
)


def import_items(
    project: Project,
    items: Iterable[ImportItem],
    *,
    source: str | None = None,
    brat_map: Mapping[str, AnnotationKind] | None = None,
) -> Generator[ImportOutcome, None, None]:
    """Import the items one by one, yielding each outcome once its file is done; files are
    committed in batches (see the module's docstring)."""
    spellings = Spellings(project.store)
    with _Batches(project.store) as batches:
        for item in items:
            batches.current = item.path
            outcome = import_item(
                project, item, source=source, brat_map=brat_map, spellings=spellings
            )
            batches.file_done(outcome)
            yield outcome


#: A batch commits once it has been open this long...
BATCH_SECONDS = 0.25
#: ...or holds this many files, whichever comes first.
BATCH_FILES = 500


class _Batches:
    """The batch transaction around import_items' files (each file's own ``atomic()`` nests in
    it as a savepoint). Leaving it commits the batch whatever the reason, an exception
    included: the failing file's savepoint was already undone, and the rest must not be lost.

    A batch that cannot be saved (a full disk) raises WriteError saying which files are in the
    project and which are not: the store's own message says the project is as it was before,
    true of the batch but not of the import, whose earlier batches were committed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._open: ExitStack | None = None
        self._started = 0.0
        self._files = 0
        self._saved = 0  # files imported in committed batches
        self._unsaved: list[Path] = []  # files imported in the open batch
        self.current: Path | None = None  # the file being imported, for the message

    def __enter__(self) -> "_Batches":
        self._begin()
        return self

    def _begin(self) -> None:
        self._open = ExitStack()
        self._open.enter_context(self._store.atomic())
        self._started = time.monotonic()
        self._files = 0

    def file_done(self, outcome: ImportOutcome) -> None:
        self._files += 1
        if outcome.status is ImportStatus.IMPORTED:
            self._unsaved.append(outcome.path)
        due = time.monotonic() - self._started >= BATCH_SECONDS or self._files >= BATCH_FILES
        if due:
            self._commit()
            self._begin()

    def _commit(self) -> None:
        batch, self._open = self._open, None
        if batch is not None:
            self._close(batch)  # leaves Store.atomic() without an error: COMMIT
            self._saved += len(self._unsaved)
            self._unsaved = []

    def _close(
        self,
        batch: ExitStack,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        try:
            batch.__exit__(exc_type, exc, traceback)
        except WriteError as failed:
            raise WriteError(self._not_saved(failed)) from failed

    def _not_saved(self, failed: WriteError) -> str:
        # The store's reason and file, without its "the project is as it was before it".
        reason = str(failed).partition(" The change was undone")[0]
        lost, saved = self._unsaved, self._saved
        at = f" at {self.current.name}" if self.current else ""
        if lost:
            since = f"the {_files(len(lost))} imported since the last save ({_names(lost)})"
            outcome = f"so {since} {_are(len(lost))} not in the project."
        else:
            outcome = "but no file had been imported since the last save."
        if saved:
            kept = f"The {_files(saved)} imported before {'them' if lost else 'that'}"
            kept += f" {_are(saved)} saved."
        else:
            kept = "Nothing of this import had been saved before."
        return (
            f"{reason} The import stopped{at}: its batch was not saved, {outcome} {kept} Import "
            "the rest again: files already in the project are reported as duplicates."
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        batch = self._open
        if exc is not None and batch is not None and not self._store.bulk.in_transaction():
            # The error ended the whole transaction itself (a full disk): nothing is left to
            # commit, and trying would only hide the error.
            self._open = None
            self._close(batch, exc_type, exc, traceback)
            return
        self._commit()


def _files(count: int) -> str:
    return f"{count:,} file" + ("" if count == 1 else "s")


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _names(paths: Sequence[Path], shown: int = 5) -> str:
    names = ", ".join(p.name for p in paths[:shown])
    more = len(paths) - shown
    return f"{names} and {more:,} more" if more > 0 else names


def import_item(
    project: Project,
    item: ImportItem,
    *,
    source: str | None = None,
    brat_map: Mapping[str, AnnotationKind] | None = None,
    spellings: Spellings | None = None,
) -> ImportOutcome:
    """Import one item: one transaction (a savepoint inside import_items' batch), and an
    outcome whatever the file holds. ``spellings`` is shared across an import's items."""
    if item.verdict is not None:
        return ImportOutcome(item.verdict, item.path, item.reason)
    spellings = spellings or Spellings(project.store)
    fallback = ArticleMetadata(source=source)
    given = ((item.metadata, "in the manifest"), (fallback, "given for the import"))
    if item.format is ImportFormat.BRAT:  # its metadata: the manifest's, then the source
        too_long_field = too_long(given)
        if too_long_field:
            return _rejected(item, too_long_field)
        mapping = brat_map or {}
        return import_brat_item(project, item, source=source, mapping=mapping, names=spellings)
    try:
        draft = read_article(item.path, item.format)
    except ValidationError as exc:
        return _rejected(item, str(exc))
    except OSError as exc:
        return _rejected(item, f"cannot read the file ({exc.strerror or exc})")
    except Exception as exc:  # a bug, or a library failing on one odd file: that file only
        return _rejected(item, f"could not be read: unexpected error ({describe_error(exc)})")
    meta = item.metadata.over(draft.metadata).over(fallback)
    if not meta.source:
        return _rejected(item, NO_SOURCE)
    in_file = "in the page" if item.format is ImportFormat.HTML else "in the front matter"
    too_long_field = too_long((given[0], (draft.metadata, in_file), given[1]))
    if too_long_field:
        return _rejected(item, too_long_field)
    return _store_text(project, item, draft, meta, in_file, spellings)


def _store_text(
    project: Project,
    item: ImportItem,
    draft: ArticleDraft,
    meta: ArticleMetadata,
    in_file: str,
    spellings: Spellings,
) -> ImportOutcome:
    """Store a read text file with its metadata and variables: all of it, or nothing."""
    try:
        variables = checked_variables(
            [(item.variables, "in the manifest"), (draft.variables, in_file)]
        )
        with project.store.atomic():
            added = add_article(project, draft.text, meta, item.path)
            count, kept = keep_variables(project.store, spellings, added.article.id, variables)
    except ValidationError as exc:
        return _rejected(item, str(exc))
    article, notes = added.article, draft.notes + kept
    if added.duplicate:
        already = f"the same text is already in the project as {article.title!r}"
        return ImportOutcome(
            ImportStatus.DUPLICATE, item.path, already + added_line(count), article.id, notes
        )
    return ImportOutcome(
        ImportStatus.IMPORTED, item.path, f"as {article.title!r}", article.id, notes
    )


def _rejected(item: ImportItem, reason: str) -> ImportOutcome:
    return ImportOutcome(ImportStatus.REJECTED, item.path, reason)


def import_paths(
    project: Project,
    paths: Iterable[Path | str],
    *,
    manifest: Path | str | None = None,
    format: ImportFormat | str = ImportFormat.AUTO,
    source: str | None = None,
    brat_map: Mapping[str, AnnotationKind] | None = None,
) -> ImportReport:
    """Plan and import everything; for scripts and the CLI, which need no progress."""
    items = plan_import(paths, manifest=manifest, format=format)
    outcomes = import_items(project, items, source=source, brat_map=brat_map)
    return ImportReport.from_outcomes(outcomes)
