"""The lock of ordered writes (`audit.locks.serialise_writes`): on PostgreSQL a second transaction that asks
for it waits until the first one ends; taken twice in one transaction it does not wait for itself."""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction

from shanglian.audit.locks import serialise_writes


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_ones_commit():
    events, first_holds = [], threading.Event()

    def first():
        try:
            with transaction.atomic():
                serialise_writes()
                serialise_writes()  # again in the same transaction: no wait
                events.append("first holds")
                first_holds.set()
                time.sleep(0.4)
                events.append("first commits")
        finally:
            connection.close()

    def second():
        try:
            first_holds.wait(timeout=10)
            with transaction.atomic():
                serialise_writes()
                events.append("second holds")
        except OperationalError as exc:  # SQLite's shared-cache test database refuses a second writer
            events.append("second refused" if "locked" in str(exc) else repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    if connection.vendor == "postgresql":
        assert events == ["first holds", "first commits", "second holds"]
    else:  # the function does nothing on SQLite: its IMMEDIATE transactions serialise the writers themselves
        # (the shared-cache test database refuses the second at once instead of letting it wait)
        assert events in (["first holds", "first commits", "second holds"],
                          ["first holds", "second refused", "first commits"])
