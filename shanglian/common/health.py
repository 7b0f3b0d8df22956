"""/healthz/: whether this app server can serve — for the load balancer and the rolling restart (`docs/deploy.md`).

No login, no session, no write: one `SELECT 1` on the database. 200 {"status": "ok"} when it answers, 503
{"status": "error", "database": "<the error's class>"} when it does not (nothing of the error's text: it may name
hosts). A GET or HEAD only."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok"})
