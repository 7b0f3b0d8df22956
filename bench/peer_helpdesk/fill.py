"""Fill django-helpdesk with `count` tickets and sign a staff member in; prints the session as JSON.

    PEER_DATABASE_URL=… .venv-peer/bin/python -m bench.peer_helpdesk.fill COUNT QUEUES

Run by bench/bench_peer.py in the peer's virtualenv (cwd: the checkout). Tickets are bulk-inserted in batches
(as a migration from another system would), spread over QUEUES queues, five years, the five statuses and five
priorities in fixed proportions — the shape of the appeals they stand beside: a title, a description, a submitter,
one in three assigned."""

import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer_helpdesk.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import Queue, Ticket  # noqa: E402

BATCH = 5000


def main(count, queues):
    users = get_user_model().objects
    staff = users.filter(username="staff").first() or users.create_superuser("staff", "staff@example.com", None)
    if not Queue.objects.exists():
        Queue.objects.bulk_create(Queue(title=f"Queue {n}", slug=f"q{n}", allow_public_submission=False)
                                  for n in range(queues))
    queue_ids = list(Queue.objects.values_list("id", flat=True))
    have = Ticket.objects.count()
    now = timezone.now()
    step = timedelta(days=5 * 365) / max(count, 1)  # five years, the newest now
    statuses = [Ticket.OPEN_STATUS, Ticket.REOPENED_STATUS, Ticket.RESOLVED_STATUS, Ticket.CLOSED_STATUS,
                Ticket.CLOSED_STATUS]
    for start in range(have, count, BATCH):
        Ticket.objects.bulk_create([
            Ticket(title=f"Ticket {n:07d}: 企业用工诉求", queue_id=queue_ids[n % len(queue_ids)],
                   created=now - step * (count - n), modified=now - step * (count - n) / 2,
                   submitter_email=f"firm{n % 100000}@example.com", status=statuses[n % 5], priority=1 + n % 5,
                   description="企业反映的问题与诉求，详细说明。" * 4, assigned_to=staff if n % 3 == 0 else None)
            for n in range(start, min(count, start + BATCH))])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(staff)
    print(json.dumps({"tickets": Ticket.objects.count(), "cookie": settings.SESSION_COOKIE_NAME,
                      "session": client.cookies[settings.SESSION_COOKIE_NAME].value}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
