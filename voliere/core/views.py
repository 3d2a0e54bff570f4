from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers, 503 otherwise (for load balancers and `voliere demo`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 — any database failure means "not ready"
        return JsonResponse({"status": "error", "error": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok"})
