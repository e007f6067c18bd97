"""Is a database already at the newest migration? Answered without importing Alembic.

Alembic (with Mako and, where installed, Pygments behind it) costs 0.1–0.2 s of imports, which the
store app would pay on every cold start only to learn that there is nothing to do. The chain's head
is read from the version files' `revision`/`down_revision` lines and the database's revision from
`alembic_version` with plain SQL; when anything is unusual (two heads, an unreadable file, no
table yet) the answer is "not known to be at head" and `Database.open` runs Alembic as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, inspect, text

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*(None|"([^"]*)")\s*$', re.MULTILINE)


def script_head(versions: Path = VERSIONS) -> str | None:
    """The one revision no other migration builds on; None if the files do not say clearly."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = {name: value for name, _raw, value in _REVISION.findall(path.read_text(encoding="utf-8"))}
        if "revision" not in found or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def applied_revision(connection: Connection) -> str | None:
    """The revision recorded in `alembic_version`, or None (no table yet, or not exactly one row)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def at_head(connection: Connection) -> bool:
    head = script_head()
    return head is not None and applied_revision(connection) == head
