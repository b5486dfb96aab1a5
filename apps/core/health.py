"""Liveness and readiness checks of the parts Fusion needs: database, broker, worker, beat."""

import logging

from django.conf import settings
from django.db import connection
from kombu import Connection

from apps.core.heartbeat import heartbeat_state

logger = logging.getLogger(__name__)


def database_check() -> dict:
    """``{"status": "ok"}`` when a query round-trips, else the error."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # any driver error means "down"
        logger.warning("health: database down: %s", exc)
        return {"status": "down", "error": str(exc)[:200]}


def broker_check() -> dict:
    """``{"status": "ok"}`` when the Celery broker accepts a connection within 2 s."""
    url = settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    try:
        with Connection(url, transport_options=options, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
        return {"status": "ok", "transport": str(transport)}
    except Exception as exc:  # kombu raises many types for "unreachable"
        logger.warning("health: broker down: %s", exc)
        return {"status": "down", "error": str(exc)[:200]}


def health_report() -> tuple[dict, bool]:
    """The report and whether Fusion can serve (database and broker up)."""
    report = {
        "database": database_check(),
        "broker": broker_check(),
        "worker": heartbeat_state(kind="worker"),
        "beat": heartbeat_state(kind="beat"),
    }
    ready = report["database"]["status"] == "ok" and report["broker"]["status"] == "ok"
    report["status"] = "ok" if ready else "down"
    return report, ready
