"""``annotator codebook``: list, rename, merge, delete, recolour and re-parent codes, and share
the codebook as CSV or JSON (``export``/``import PATH``).

Codes are named as the coder sees them (ignoring case); a name that matches nothing is an error
that names the closest codes. Each edit is one Change, as in the window.
"""

import argparse
import json
from pathlib import Path

from annotator.core.codebook import aliases_of
from annotator.core.errors import ConflictError, ValidationError
from annotator.core.model import CodeKind
from annotator.core.wording import plural
from annotator.services.codebook import CodebookEntry, describe_usage
from annotator.services.interchange.codebook_files import export_codebook, import_codebook
from annotator.services.project import Project

_READERS = frozenset({"export", "list"})
_KINDS = [kind.value for kind in CodeKind]


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listed = actions.add_parser("list", help="every code with how often it is used")
    listed.add_argument("--kind", choices=_KINDS, help="only issues or only speakers")
    listed.add_argument("--json", action="store_true", help="print JSON")
    rename = actions.add_parser("rename", help="give a code another name")
    _kind_and(rename, "OLD", "NEW")
    merge = actions.add_parser(
        "merge", help="fold FROM into INTO: every use of FROM becomes INTO; FROM is deleted"
    )
    _kind_and(merge, "FROM", "INTO")
    delete = actions.add_parser(
        "delete", help="delete an unused code; a code in use is refused, with its counts"
    )
    _kind_and(delete, "NAME")
    delete.add_argument(
        "--force",
        action="store_true",
        help="delete it even in use: its mentions and passages go, claims lose it (the claims "
        "stay), child issues move up to its parent",
    )
    recolour = actions.add_parser("recolour", aliases=["recolor"], help="set a code's colour")
    _kind_and(recolour, "NAME", "COLOUR")
    parent = actions.add_parser("set-parent", help="move an issue under another issue")
    parent.add_argument("issue", metavar="ISSUE")
    parent.add_argument("parent", metavar="PARENT", nargs="?", help='the new parent; "-": none')
    parent.add_argument("--none", action="store_true", help="move ISSUE to the top level")
    export = actions.add_parser("export", help="write every issue and speaker code to PATH")
    export.add_argument("path", type=Path, metavar="PATH", help="a .csv or .json file")
    imported = actions.add_parser(
        "import",
        help="add the codes of PATH that the project lacks; report, never overwrite, "
        "codes whose colour or parent differ",
    )
    imported.add_argument("path", type=Path, metavar="PATH", help="a .csv or .json file")


def _kind_and(parser: argparse.ArgumentParser, *names: str) -> None:
    parser.add_argument("kind", choices=_KINDS, metavar="KIND", help="issue or speaker")
    for name in names:
        parser.add_argument(name.lower(), metavar=name)


def reads_only(args: argparse.Namespace) -> bool:
    """``list`` and ``export`` only read, beside a window too; every other action writes."""
    return bool(args.action in _READERS)


def run(project: Project, args: argparse.Namespace) -> int:
    if args.action == "export":
        count = export_codebook(project.store, args.path)
        print(f"Wrote {plural(count, 'code')} to {args.path}")
    elif args.action == "import":
        _import(project, args.path)
    elif args.action == "list":
        _list(project, CodeKind(args.kind) if args.kind else None, as_json=args.json)
    else:
        print(_edit(project, args))
    return 0


def _edit(project: Project, args: argparse.Namespace) -> str:
    """Do one edit; the line that says what it did."""
    codebook = project.codebook
    if args.action == "set-parent":
        return _set_parent(project, args)
    kind = CodeKind(args.kind)
    if args.action == "rename":
        code = codebook.find(kind, args.old)
        codebook.rename(code.id, args.new)
        return f"Renamed {kind.value} {code.name!r} to {args.new.strip()!r}."
    if args.action == "merge":
        source, target = codebook.find(kind, args.__dict__["from"]), codebook.find(kind, args.into)
        change = codebook.merge(source.id, target.id)
        moved = len(change.before.annotations)
        return (
            f"Merged {kind.value} {source.name!r} into {target.name!r}: "
            f"{plural(moved, 'annotation')} now use {target.name!r}."
        )
    if args.action in ("recolour", "recolor"):
        code = codebook.find(kind, args.name)
        colour = args.colour.strip().lower()
        codebook.recolour(code.id, colour)
        return f"Recoloured {kind.value} {code.name!r} from {code.colour} to {colour}."
    return _delete(project, kind, args.name, force=args.force)


def _delete(project: Project, kind: CodeKind, name: str, *, force: bool) -> str:
    code = project.codebook.find(kind, name)
    usage = project.codebook.usage(code.id)
    try:
        project.codebook.delete(code.id, force=force)
    except ConflictError as exc:
        raise ConflictError(f"{exc} (--force deletes it with its uses.)") from exc
    if not usage.total:
        return f"Deleted {kind.value} {code.name!r}; it was not used."
    return (
        f"Deleted {kind.value} {code.name!r} with its uses ({describe_usage(code, usage)}): "
        "its mentions and passages are gone, claims kept without it, child issues moved up."
    )


def _set_parent(project: Project, args: argparse.Namespace) -> str:
    codebook = project.codebook
    issue = codebook.find(CodeKind.ISSUE, args.issue)
    top = args.none or args.parent in ("-", "")
    if top and args.parent not in (None, "-", ""):
        raise ValidationError("Give either PARENT or --none, not both.")
    if not top and args.parent is None:
        raise ValidationError('Name the new parent issue, or "-" (or --none) for the top level.')
    parent = None if top else codebook.find(CodeKind.ISSUE, args.parent)
    codebook.reparent(issue.id, parent.id if parent else None)
    where = f"under {parent.name!r}" if parent else "to the top level"
    return f"Moved issue {issue.name!r} {where}."


def _list(project: Project, kind: CodeKind | None, *, as_json: bool) -> None:
    entries = project.codebook.overview(kind)
    if as_json:
        print(json.dumps({"codes": [_as_json(project, e) for e in entries]}, ensure_ascii=False))
        return
    for each in (CodeKind.ISSUE, CodeKind.SPEAKER):
        chosen = [e for e in entries if e.code.kind is each]
        if kind in (None, each):
            print(f"{each.value.capitalize()}s ({len(chosen)}); annotations coded, colour, name")
        for entry in chosen:
            print(_line(entry))


def _line(entry: CodebookEntry) -> str:
    code = entry.code
    extras = [f"({code.organisation})"] if code.organisation else []
    extras += [f"[key {code.shortcut}]"] if code.shortcut else []
    name = "  " * entry.depth + code.name
    return f"{entry.usage.coded:>6}  {code.colour}  {' '.join([name, *extras])}"


def _as_json(project: Project, entry: CodebookEntry) -> dict[str, object]:
    code, usage = entry.code, entry.usage
    parent = project.store.codes.get(code.parent_id).name if code.parent_id else None
    return {
        "kind": code.kind.value, "name": code.name, "colour": code.colour, "parent": parent,
        "depth": entry.depth, "organisation": code.organisation, "shortcut": code.shortcut,
        "description": code.description, "aliases": aliases_of(code.description),
        "uses": {"annotations": usage.annotations, "claim_speaker": usage.claim_speaker,
                 "claim_issue": usage.claim_issue, "children": usage.children,
                 "coded": usage.coded, "total": usage.total},
    }  # fmt: skip


def _import(project: Project, path: Path) -> None:
    result = import_codebook(project.store, path)
    issues = sum(code.kind is CodeKind.ISSUE for code in result.added)
    speakers = len(result.added) - issues
    print(
        f"Added {plural(len(result.added), 'code')} ({plural(issues, 'issue')}, "
        f"{plural(speakers, 'speaker')}); {result.unchanged} already present; "
        f"{len(result.conflicts)} differ"
    )
    for line in result.conflicts:
        print(line)
