"""``python -m bench``: set up the benchmark's world, run the chosen benchmarks, report."""

import argparse
import atexit
import dataclasses
import importlib
import os
import platform
import signal
import sys
import time
import traceback
from datetime import UTC, datetime

from bench import env, procs, report
from bench.measure import CORES, Contention, quiet_wait
from bench.sizes import FULL, QUICK

BENCHMARKS = ("execution", "schedule", "priority", "enqueue", "callbacks", "ratelimit")
# Before each benchmark, wait up to QUIET_MAX_WAIT s for other processes to use < QUIET_CORES.
QUIET_CORES = 0.3
QUIET_MAX_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", "30"))
QUIET_WINDOW = 3.0
# need a job to run to success
ENGINE_BENCHMARKS = {"execution", "schedule", "priority", "callbacks", "ratelimit"}


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated subset of {','.join(BENCHMARKS)}",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    return args


def machine() -> dict:
    """What the figures were measured on."""
    import celery
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    import redis

    redis_version = redis.Redis.from_url(env.REDIS_URL).info("server")["redis_version"]
    with open("/proc/meminfo") as handle:
        mem_gib = int(handle.readline().split()[1]) / 1024 / 1024
    return {
        "cores": CORES,
        "memory_gib": round(mem_gib),
        "cpu": _cpu_model(),
        "postgresql": f"{pg_version} (shared_buffers {shared_buffers})",
        "redis": redis_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "celery": celery.__version__,
        "processes": (
            f"gunicorn {procs.WEB_WORKERS} workers; worker -c {procs.WORKER_CONCURRENCY} "
            "(high,default,low); dispatcher -c 1 (system); ticker (beat schedule)"
        ),
    }


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def run_one(name: str, sizes, client_id: int) -> dict:
    module = importlib.import_module(f"bench.{name}")
    quiet = quiet_wait(threshold=QUIET_CORES, max_wait=QUIET_MAX_WAIT)
    if quiet["waited_s"] > QUIET_WINDOW:
        print(f"bench: waited {quiet['waited_s']} s for a quieter machine", flush=True)
    started = time.monotonic()
    contention = Contention(procs.groups_now)
    contention.start()
    try:
        result = module.run(sizes, client_id)
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        traceback.print_exc()
        result = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
    finally:
        procs.stop_all()
        machine_load = contention.stop()
    result["machine_others"] = {**machine_load, **quiet}
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    sizes = QUICK if args.quick else FULL
    atexit.register(procs.stop_all)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, procs.on_signal_stop)
    command = "python -m bench" + (" --quick" if args.quick else "")
    if args.only != list(BENCHMARKS):
        command += f" --only {','.join(args.only)}"
    results = {
        "command": command,
        "mode": "quick" if args.quick else "full",
        "started_at": _now(),
        "sizes": dataclasses.asdict(sizes),
        "benchmarks": {},
    }
    try:
        print(f"bench: fresh database {env.DB_NAME} and Redis {env.REDIS_URL} …", flush=True)
        env.world_create()
        env.django_setup()
        client_id = env.bench_client_id()
        results["machine"] = machine()
        smoke = _smoke(client_id) if ENGINE_BENCHMARKS & set(args.only) else None
        for name in args.only:
            print(f"bench: {name} …", flush=True)
            if smoke and name in ENGINE_BENCHMARKS:
                results["benchmarks"][name] = {"status": "error", "reason": smoke}
            else:
                results["benchmarks"][name] = run_one(name, sizes, client_id)
            print(f"bench: {name} {results['benchmarks'][name]['status']}", flush=True)
    finally:
        procs.stop_all()
    results["finished_at"] = _now()
    m = results["machine"]
    results["machine_line"] = (
        f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, PostgreSQL {m['postgresql']}, "
        f"Redis {m['redis']}, Python {m['python']}, Django {m['django']}, Celery {m['celery']}"
    )
    print(report.write(results))
    failed = [n for n, r in results["benchmarks"].items() if r["status"] in ("error", "failed")]
    return 1 if failed else 0


def _smoke(client_id: int) -> str | None:
    """Why the engine cannot run a sandbox job in this tree (None when it can)."""
    from bench.jobsgen import engine_smoke

    try:
        reason = engine_smoke(client_id)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
    env.state_reset()
    if reason:
        print(f"bench: engine smoke test failed, engine benchmarks skipped: {reason}", flush=True)
        return f"engine smoke test failed: {reason}"
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
