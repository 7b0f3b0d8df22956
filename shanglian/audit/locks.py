"""One lock for the writes whose order matters across transactions: the audit chain (each row hashes the one
before it) and the maintained summaries (a bucket recomputed from its rows must see the rows another writer
has just committed; two writers recomputing one bucket at once would otherwise both miss the other's row, and
the second insert of the bucket's row fails on its unique key — a 500 for the second user).

`serialise_writes()` takes it: on PostgreSQL a transaction-scoped advisory lock, held until the outermost
transaction commits or rolls back, taken again at no cost by the same transaction; statements after it see
what the previous holder committed (READ COMMITTED). SQLite serialises every writer already (IMMEDIATE
transactions): nothing to do. One key for both uses: with two, one transaction could hold the audit chain's
and wait for a summary's while another holds that one and waits for the chain's. It lives with the audit
chain, on the lowest floor, so that every app may take it.
"""

from django.db import connections

WRITE_ORDER_LOCK = 7_390_014  # an arbitrary constant, the key of pg_advisory_xact_lock


def serialise_writes(using="default"):
    """Wait for, then hold until the end of the current transaction, the lock of ordered writes. Call it
    inside `transaction.atomic()`, before reading what the write depends on."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_ORDER_LOCK])
