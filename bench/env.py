"""The benchmark's own world: database ``fusion_bench``, Redis db 9, migrations, a client.

Everything here is recreated at the start of a run, so a run never sees an earlier one's rows
or messages, and never touches the developer's database or broker.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB_NAME", "fusion_bench")
DATABASE_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SETTINGS_MODULE = "config.settings.base"

CLIENT_CODE = "bench"
USERNAME = "bench"
PASSWORD = secrets.token_urlsafe(16)


def process_env() -> dict:
    """The environment of every process the benchmark starts (and of the runner itself)."""
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "LOG_LEVEL": "WARNING",  # per-task INFO lines would cost more CPU than some tasks
        "PYTHONUNBUFFERED": "1",
    }


def database_recreate() -> None:
    """Drop and create ``fusion_bench`` (closing other sessions on it first)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))


def redis_flush() -> None:
    """Empty the benchmark's Redis db: queues, unacked messages, cache flags."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def manage(*args: str) -> str:
    """Run ``manage.py`` with the benchmark's environment; its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def world_create() -> None:
    """Fresh database and Redis db, migrated, with the benchmark's client and user."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    database_recreate()
    redis_flush()
    manage("migrate", "--noinput", "-v0")
    manage(
        "client_bootstrap",
        "--client-code",
        CLIENT_CODE,
        "--client-name",
        "Benchmark client",
        "--username",
        USERNAME,
        f"--password={PASSWORD}",  # "=": a random password may start with "-"
        "--superuser",
    )


def django_setup() -> None:
    """Configure Django (and the Celery app) in this process for the benchmark's world."""
    os.environ.update(process_env())
    import django

    django.setup()
    import config.celery  # noqa: F401  (the app the engine and bench.noop publish with)


def bench_client_id() -> int:
    """The benchmark client's id, with an active sandbox provider for every channel."""
    from apps.accounts.models import Client
    from apps.providers.catalog import SERVICE_FLAGS
    from apps.providers.models import Provider

    client = Client.objects.get(code=CLIENT_CODE)
    Provider.objects.get_or_create(
        client=client,
        name="bench-sandbox",
        defaults={"type": "sandbox", "service_flag": sum(SERVICE_FLAGS.values())},
    )
    return client.id


def state_reset() -> None:
    """Empty the engine's tables and the Redis db between benchmarks (no process running)."""
    from django.db import connection

    from apps.delivery.models import Attempt, Event, Job, OutboxMessage

    tables = [m._meta.db_table for m in (Job, Attempt, Event, OutboxMessage)]
    try:
        from apps.jobs.models import IdempotentRequest

        tables.append(IdempotentRequest._meta.db_table)
    except ImportError:  # the Queue face is still being written
        pass
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        # No ANALYZE here: it would record the tables as empty (reltuples 0), and the foreign
        # key checks each new backend plans would then seq-scan tables that grow to 100k rows
        # during the next benchmark. Left unknown, the planner uses the indexes.
        # Flush what the previous benchmark wrote (1M rows for schedule), so its checkpoint
        # and full-page writes do not land in the next benchmark's PostgreSQL CPU figures.
        cursor.execute("CHECKPOINT")
    redis_flush()
