"""The checks of one value of another project's row: ids, text, whole numbers, times.

Nothing in another project is trusted, not even a value's type: each is checked before it is
turned into the model's values."""

from datetime import UTC, datetime, timedelta

from annotator.core.errors import ValidationError


class RowRuleError(ValidationError):
    """A row broke a rule; the message is the reason's short name in the merge's report."""


#: How far ahead of this computer's clock another's may be.
SKEW = timedelta(days=1)


def _an_id(value: object) -> None:
    if not isinstance(value, str) or not value:
        raise RowRuleError("value of the wrong type")


def _texts(*values: object, optional: bool = False) -> None:
    for value in values:
        if not (isinstance(value, str) or (optional and value is None)):
            raise RowRuleError("value of the wrong type")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _moment(value: object, latest: datetime) -> datetime:
    """A time as ``now_iso`` writes it (ISO 8601; one without a zone is taken as UTC), no
    later than ``latest``."""
    moment = _parsed(value)
    if moment is None:
        raise RowRuleError("unreadable time")
    if moment > latest:
        raise RowRuleError("time in the future")
    return moment


def _parsed(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def later(theirs: str, ours: str) -> bool:
    """Whether the time ``theirs`` is after ``ours``, read as times rather than compared as
    text (one moment has many spellings); a time that cannot be read compares as text."""
    mine, other = _parsed(ours), _parsed(theirs)
    if mine is None or other is None:
        return theirs > ours
    return other > mine
