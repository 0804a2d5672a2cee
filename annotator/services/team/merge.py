"""Merging another coder's project into this one: ``annotator merge`` and File > Merge project.

What is the same thing in both projects is found by what it is, not by its id, since each
coder imported the articles and created the codes on their own:

- articles by the SHA-256 of their text (offsets stay valid, the texts are equal);
- sources by name and codes by kind and name, ignoring case. A code both projects have keeps
  this project's colour, parent issue and organisation; where the other differs, the merge
  says so (a ``CodeConflict``) rather than guess which is right;
- annotations by id: they are copied with their ids, so merging the same file again finds
  them all present and changes nothing. One the other project edited later (a newer
  ``updated_at``) replaces this project's copy; one edited here later is kept and counted;
- coders' article statuses by article and coder: an incoming row replaces only that coder's
  row here, so each coder's status travels with their work and no one else's changes;
- article variables by article and name: taken where this project has none, a different
  value reported and this project's kept (``merge_variables``).

The other file is never written: it is locked against other Annotators while a copy is taken
through a read-only connection (SQLite's backup API), and the copy is what is read. Nothing in
it is trusted: every row is checked with the services' rules first (see merge_checks), and
what breaks one is refused, counted by reason in the result, and left out with what depends
on it, while the rest is merged. What the merge writes must also fit what is here: a claim is
refused when the speaker mention it is attributed through differs here, and so is an edit of
a mention that the claims here would no longer fit. The merge itself is one transaction,
preceded by a backup of this project.
"""

import dataclasses
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import ValidationError
from annotator.core.ids import new_id
from annotator.core.model import (
    Annotation,
    AnnotationKind,
    Article,
    ArticleStatusRow,
    Code,
    CodeKind,
    Source,
)
from annotator.core.variables import ArticleVariable
from annotator.core.wording import plural
from annotator.services.backup import backup_project
from annotator.services.codebook import RESERVED_SHORTCUTS
from annotator.services.team.merge_checks import check_rows, later
from annotator.services.team.merge_variables import VariablePlan, plan_variables
from annotator.store import Store
from annotator.store.files.errors import ProjectFileError, ProjectReadOnlyError
from annotator.store.files.lock import ProjectLock
from annotator.store.merge_queries import copy_project_file, read_merge_rows

__all__ = ["CodeConflict", "MergeResult", "merge_project"]


@dataclass(frozen=True, slots=True)
class CodeConflict:
    """A code both projects have, with a different ``field``; this project's value is kept."""

    kind: CodeKind
    name: str
    field: str  # colour, parent, organisation, or shortcut (of a code added without it)
    here: str | None
    there: str | None

    def describe(self) -> str:
        if self.field == "shortcut":
            return (
                f"{self.kind.value} {self.name!r}: added without its shortcut "
                f"{self.there!r}, which is taken here"
            )
        return (
            f"{self.kind.value} {self.name!r}: {self.field} differs "
            f"(here {_shown(self.here)}, there {_shown(self.there)}); kept this project's"
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    other: Path
    backup: Path | None = None  # written before the merge; None when nothing changed
    sources_added: tuple[str, ...] = ()
    articles_added: tuple[str, ...] = ()  # titles
    articles_matched: int = 0
    codes_added: tuple[str, ...] = ()  # "issue 'Taiwan'"
    codes_matched: int = 0
    conflicts: tuple[CodeConflict, ...] = ()
    annotations_added: int = 0
    annotations_updated: int = 0  # edited later in the other project
    annotations_unchanged: int = 0  # already here, the same
    annotations_kept: int = 0  # differ, but edited later here: this project's copy stays
    coders: dict[str, int] = field(default_factory=dict)  # added or updated, per coder
    refused: tuple[tuple[str, int], ...] = ()  # rows not merged: (reason, how many), most first
    statuses_set: int = 0  # coders' article statuses taken from the other project
    variables_set: int = 0  # article variables taken from the other project
    variable_notes: tuple[str, ...] = ()  # values that differ (this project's kept), refused

    @property
    def changed(self) -> bool:
        return bool(
            self.sources_added
            or self.articles_added
            or self.codes_added
            or self.annotations_added
            or self.annotations_updated
            or self.statuses_set
            or self.variables_set
        )

    def lines(self) -> list[str]:
        """The outcome in a few lines, for the CLI and the window alike."""
        lines = [
            f"Merged {self.other}: {plural(self.annotations_added, 'annotation')} added, "
            f"{self.annotations_updated} updated, {self.annotations_unchanged} already here"
            + (f", {self.annotations_kept} kept as edited here" if self.annotations_kept else ""),
            f"Articles: {len(self.articles_added)} added, {self.articles_matched} already here; "
            f"codes: {len(self.codes_added)} added, {self.codes_matched} already here; "
            f"sources: {len(self.sources_added)} added",
        ]
        if self.refused:
            total = sum(n for _, n in self.refused)
            reasons = ", ".join(f"{reason} ({n})" for reason, n in self.refused)
            lines.append(
                f"Refused {total} row{'s' if total != 1 else ''} from {self.other.name}: {reasons}"
            )
        if self.coders:
            lines.append(
                "Coders: " + ", ".join(f"{name} ({n})" for name, n in sorted(self.coders.items()))
            )
        if self.statuses_set:
            lines.append(f"Article statuses: {self.statuses_set} taken from the other project")
        lines += [f"Conflict: {c.describe()}" for c in self.conflicts]
        if self.variables_set:
            lines.append(f"Article variables: {self.variables_set} taken from the other project")
        lines += list(self.variable_notes)
        if self.backup is not None:
            lines.append(f"Backup before the merge: {self.backup}")
        elif not self.changed:
            lines.append("Nothing to change.")
        return lines


@dataclass
class _Theirs:
    sources: dict[str, Source]
    codes: list[Code]
    articles: list[Article]
    annotations: list[Annotation]
    refused: Counter[str]
    statuses: list[ArticleStatusRow] = field(default_factory=list)
    variables: list[ArticleVariable] = field(default_factory=list)


@dataclass
class _Plan:
    sources: list[Source] = field(default_factory=list)  # theirs, to create here
    codes: list[Code] = field(default_factory=list)
    articles: list[tuple[Article, Source]] = field(default_factory=list)  # with their source
    added: list[Annotation] = field(default_factory=list)
    updated: list[Annotation] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0
    matched_articles: int = 0
    matched_codes: int = 0
    conflicts: list[CodeConflict] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)
    statuses: list[ArticleStatusRow] = field(default_factory=list)  # to set here
    variables: VariablePlan = field(default_factory=VariablePlan)


def merge_project(store: Store, other: Path) -> MergeResult:
    """Merge the project file ``other`` into ``store``: one transaction after one backup.
    Raises ProjectFileError (or a subclass) for a file that is no project, is newer, damaged,
    or open in another Annotator, and ValidationError for the project itself."""
    other = Path(other).expanduser()
    if not other.is_file():
        raise ProjectFileError(f"There is no project at {other}.")
    if store.path is not None and other.resolve() == store.path.resolve():
        raise ValidationError(f"{other} is this project; choose another coder's project.")
    theirs = _read(other)
    plan = _plan(store, theirs)
    result = MergeResult(
        other=other,
        sources_added=tuple(s.name for s in plan.sources),
        articles_added=tuple(a.title for a, _ in plan.articles),
        articles_matched=plan.matched_articles,
        codes_added=tuple(f"{c.kind.value} {c.name!r}" for c in plan.codes),
        codes_matched=plan.matched_codes,
        conflicts=tuple(plan.conflicts),
        annotations_added=len(plan.added),
        annotations_updated=len(plan.updated),
        annotations_unchanged=plan.unchanged,
        annotations_kept=plan.kept,
        coders=dict(Counter(a.annotator for a in plan.added + plan.updated)),
        refused=tuple(plan.refused.most_common()),
        statuses_set=len(plan.statuses),
        variables_set=len(plan.variables.take),
        variable_notes=plan.variables.notes,
    )
    if not result.changed:
        return result
    backup = backup_project(store) if store.path is not None else None
    _write(store, plan)
    return dataclasses.replace(result, backup=backup)


# -- reading the other project ---------------------------------------------------------------


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the other project's lock while copying it, so no Annotator writes to it meanwhile.
    In a read-only folder there is no lock to take, and no Annotator can be writing there."""
    try:
        lock: ProjectLock | None = ProjectLock.acquire(path)
    except ProjectReadOnlyError:
        lock = None
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


def _read(other: Path) -> _Theirs:
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as folder:
        copy = Path(folder) / f"other{other.suffix or '.annotator'}"
        with _locked(other):
            copy_project_file(other, copy)
        checked = check_rows(read_merge_rows(copy))
        return _Theirs(
            sources=checked.sources,
            codes=checked.codes,
            articles=checked.articles,
            annotations=checked.annotations,
            refused=checked.refused,
            statuses=checked.statuses,
            variables=checked.variables,
        )


# -- deciding what changes -------------------------------------------------------------------


def _plan(store: Store, theirs: _Theirs) -> _Plan:
    plan = _Plan(refused=Counter(theirs.refused))
    code_map = _plan_codes(store, theirs.codes, plan)
    article_map = _plan_articles(store, theirs, plan)
    ids = [a.id for a in theirs.annotations]
    present = store.merging.existing_ids("annotations", ids)
    for annotation in theirs.annotations:
        mapped = dataclasses.replace(
            annotation,
            article_id=article_map[annotation.article_id],
            code_id=code_map.get(annotation.code_id) if annotation.code_id else None,
            speaker_id=code_map.get(annotation.speaker_id) if annotation.speaker_id else None,
            issue_ids=tuple(sorted({code_map[i] for i in annotation.issue_ids})),
        )
        if mapped.id not in present:
            plan.added.append(mapped)
            continue
        ours = store.annotations.get(mapped.id)
        if ours.article_id != mapped.article_id:
            plan.refused["id of an annotation of another article here"] += 1
        elif ours == mapped:
            plan.unchanged += 1
        elif later(mapped.updated_at, ours.updated_at):
            plan.updated.append(mapped)
        else:
            plan.kept += 1
    _fit_mentions(store, plan)
    plan.statuses = _plan_statuses(store, theirs.statuses, article_map)
    plan.variables = plan_variables(store, theirs.variables, article_map)
    return plan


def _plan_statuses(
    store: Store, statuses: list[ArticleStatusRow], article_map: dict[str, str]
) -> list[ArticleStatusRow]:
    """Their status rows on our articles that differ from ours for the same coder."""
    ours = {row.id: row for row in store.articles.statuses()}
    mapped = (
        dataclasses.replace(row, article_id=article_map[row.article_id])
        for row in statuses
        if row.article_id in article_map
    )
    return [row for row in mapped if ours.get(row.id) != row]


def _fit_mentions(store: Store, plan: _Plan) -> None:
    """A claim attributed through a speaker mention must name the mention's speaker, in the
    same article, once the merge is written (what ``check`` verifies). A claim of theirs
    whose mention differs here is refused, and so is an edit of a mention that claims here,
    which the merge leaves as they are, would no longer fit; refusing that edit may unsettle
    a claim of theirs that relied on it, hence the loop."""
    citing: dict[str, list[Annotation]] = {}  # mention id -> the claims here citing it
    here: dict[str, Annotation | None] = {}

    def ours(annotation_id: str) -> Annotation | None:
        if annotation_id not in here:
            found = store.merging.existing_ids("annotations", [annotation_id])
            here[annotation_id] = store.annotations.get(annotation_id) if found else None
        return here[annotation_id]

    def claims_citing(mention: Annotation) -> list[Annotation]:
        if mention.id not in citing:
            by_mention: dict[str, list[Annotation]] = defaultdict(list)
            for claim in store.annotations.for_article(mention.article_id):
                if claim.speaker_mention_id is not None:
                    by_mention[claim.speaker_mention_id].append(claim)
            citing.update({m: by_mention.get(m, []) for m in [mention.id, *by_mention]})
        return citing[mention.id]

    changed = True
    while changed:
        changed = False
        final = {a.id: a for a in plan.added + plan.updated}
        for claim in [*plan.added, *plan.updated]:
            mention_id = claim.speaker_mention_id
            if mention_id is not None and not _fits(
                claim, final.get(mention_id) or ours(mention_id)
            ):
                _drop(plan, claim, "speaker mention that differs here")
                changed = True
        for mention in list(plan.updated):
            before = ours(mention.id)
            if before is None or before.kind is not AnnotationKind.SPEAKER:
                continue
            left = [c for c in claims_citing(before) if c.id not in final]
            if any(not _fits(claim, mention) for claim in left):
                _drop(plan, mention, "edit of a speaker mention that claims here cite")
                changed = True


def _fits(claim: Annotation, mention: Annotation | None) -> bool:
    return (
        mention is not None
        and mention.kind is AnnotationKind.SPEAKER
        and mention.article_id == claim.article_id
        and mention.code_id == claim.speaker_id
    )


def _drop(plan: _Plan, annotation: Annotation, reason: str) -> None:
    for planned in (plan.added, plan.updated):
        if annotation in planned:
            planned.remove(annotation)
            plan.refused[reason] += 1


def _plan_codes(store: Store, codes: list[Code], plan: _Plan) -> dict[str, str]:
    """Their code ids mapped to ours; codes new here are added to the plan, keeping their ids
    where those are free."""
    ours = store.codes.all()
    by_key = {(c.kind, c.name.casefold()): c for c in ours}
    taken = store.merging.existing_ids("codes", [c.id for c in codes])
    code_map: dict[str, str] = {}
    matched: list[tuple[Code, Code]] = []
    for code in codes:
        mine = by_key.get((code.kind, code.name.casefold()))
        if mine is not None:
            code_map[code.id] = mine.id
            matched.append((code, mine))
            continue
        new = dataclasses.replace(code, id=code.id if code.id not in taken else new_id())
        by_key[(code.kind, code.name.casefold())] = new
        code_map[code.id] = new.id
        plan.codes.append(new)
    shortcuts = {c.shortcut.lower() for c in ours if c.shortcut} | RESERVED_SHORTCUTS
    theirs_by_id = {c.id: c for c in codes}
    for i, new in enumerate(plan.codes):
        parent = code_map.get(new.parent_id) if new.parent_id else None
        shortcut = new.shortcut
        if shortcut and shortcut.lower() in shortcuts:
            plan.conflicts.append(CodeConflict(new.kind, new.name, "shortcut", None, shortcut))
            shortcut = None
        elif shortcut:
            shortcuts.add(shortcut.lower())
        plan.codes[i] = dataclasses.replace(new, parent_id=parent, shortcut=shortcut)
    names = {c.id: c.name for c in [*ours, *plan.codes]}
    for theirs, mine in matched:
        plan.matched_codes += 1
        their_parent = code_map.get(theirs.parent_id) if theirs.parent_id else None
        differences = [
            ("colour", mine.colour.lower(), theirs.colour.lower(), mine.colour, theirs.colour),
            ("parent", mine.parent_id, their_parent, names.get(mine.parent_id or ""),
             theirs_by_id[theirs.parent_id].name if theirs.parent_id else None),
            ("organisation", mine.organisation or None, theirs.organisation or None,
             mine.organisation, theirs.organisation),
        ]  # fmt: skip
        for what, here, there, shown_here, shown_there in differences:
            if here != there:
                conflict = CodeConflict(mine.kind, mine.name, what, shown_here, shown_there)
                plan.conflicts.append(conflict)
    return code_map


def _plan_articles(store: Store, theirs: _Theirs, plan: _Plan) -> dict[str, str]:
    taken = store.merging.existing_ids("articles", [a.id for a in theirs.articles])
    article_map: dict[str, str] = {}
    for article in theirs.articles:
        mine = store.articles.by_sha256(article.sha256)
        if mine is not None:
            article_map[article.id] = mine.id
            plan.matched_articles += 1
            continue
        new = dataclasses.replace(article, id=article.id if article.id not in taken else new_id())
        article_map[article.id] = new.id
        source = theirs.sources[article.source_id]
        plan.articles.append((new, source))
        if store.sources.by_name(source.name) is None and source.name.casefold() not in {
            s.name.casefold() for s in plan.sources
        }:
            plan.sources.append(source)
    return article_map


# -- writing ---------------------------------------------------------------------------------


def _write(store: Store, plan: _Plan) -> None:
    """One transaction; references are checked at commit, so rows go in in any order."""
    with store.atomic(defer_foreign_keys=True):
        for code in plan.codes:
            store.codes.add(code)
        for article, source in plan.articles:
            source_id = store.sources.get_or_create(source.name, source.url).id
            store.articles.add(dataclasses.replace(article, source_id=source_id))
        for annotation in plan.added:
            store.annotations.add(annotation)
        for annotation in plan.updated:
            store.annotations.update(annotation)
        for status in plan.statuses:
            store.articles.put_status(status)
        for variable in plan.variables.take:
            store.variables.put(variable)


def _shown(value: str | None) -> str:
    return repr(value) if value else "none"
