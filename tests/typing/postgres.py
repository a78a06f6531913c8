"""Uses the PostgreSQL store as a user would; type-checked by mypy --strict, never run by pytest.

``chronicle.PostgresStore`` is imported lazily (it needs the extra), so its types reach
users only through the package's ``TYPE_CHECKING`` import: this file checks they do.
"""

from __future__ import annotations

import threading

import chronicle

store: chronicle.PostgresStore = chronicle.PostgresStore(
    "postgresql://newsroom@db.example.org/archive", schema="mali", pool_size=8, timeout=10.0
)
schema: str = store.schema
log = chronicle.Log(store)
stop = threading.Event()
for record in log.subscribe(1, stream="mali", poll_interval=0.5, idle_timeout=None, stop=stop):
    position: int = record.position
same: chronicle.Log = chronicle.open("postgresql://newsroom@db.example.org/archive?schema=mali")
