"""Regenerate the initial migration from schema.py (used until the first release; then add steps).

    python -m qala.store.makemigration
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from qala.store.db import MIGRATIONS, alembic_config, make_engine

INITIAL = "0001"


def main() -> None:
    for old in (MIGRATIONS / "versions").glob(f"{INITIAL}_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.sqlite3'}")
        command.revision(alembic_config(engine), message="initial schema", autogenerate=True,
                         rev_id=INITIAL)
    print("written", *sorted((MIGRATIONS / "versions").glob(f"{INITIAL}_*.py")))


if __name__ == "__main__":
    main()
