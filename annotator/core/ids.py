"""Ids are random UUIDs so that projects coded apart can later be merged without collisions."""

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
