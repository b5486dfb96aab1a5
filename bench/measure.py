"""Measuring helpers: percentiles, waiting, CPU use per process kind, DB work per call."""

import math
import os
import re
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (``pct`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def summary(values: list[float], digits: int = 3) -> dict:
    """p50/p95/p99/max/mean of ``values`` (seconds or whatever unit they are in)."""
    if not values:
        return {"n": 0}

    def r(value):
        return round(value, digits)

    return {
        "n": len(values),
        "p50": r(percentile(values, 50)),
        "p95": r(percentile(values, 95)),
        "p99": r(percentile(values, 99)),
        "max": r(max(values)),
        "mean": r(statistics.fmean(values)),
    }


def ratio(value: float | None, baseline: float | None, digits: int = 2) -> float | None:
    if not value or not baseline:
        return None
    return round(value / baseline, digits)


def wait_for(predicate, *, timeout: float, interval: float = 0.2) -> bool:
    """Poll ``predicate`` until true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def wait_progress(
    count, target: int, *, stall: float, timeout: float = 3600, interval: float = 0.5
) -> bool:
    """Poll ``count()`` until it reaches ``target`` (True), or stops moving for ``stall`` s, or
    ``timeout`` s have passed (False)."""
    last, moved = -1, time.monotonic()
    deadline = moved + timeout
    while True:
        current = count()
        if current >= target:
            return True
        if time.monotonic() > deadline:
            return False
        if current != last:
            last, moved = current, time.monotonic()
        elif time.monotonic() - moved > stall:
            return False
        time.sleep(interval)


# --- CPU by process kind (from /proc) ------------------------------------------------------


def _proc_stats() -> dict[int, tuple[str, int, int, int]]:
    """pid → (name, process group, utime+stime ticks, start time) of every readable process.

    A PostgreSQL backend's name is its title (``postgres: 15/main: user db host state``), so
    the benchmark database's backends can be told from other databases' ones.
    """
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                raw = handle.read()
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            if comm.startswith("postgres"):
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    comm = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        rest = raw[raw.rindex(")") + 2 :].split()
        found[int(entry)] = (comm, int(rest[2]), int(rest[11]) + int(rest[12]), int(rest[19]))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as handle:
        numbers = [int(x) for x in handle.readline().split()[1:]]
    idle = numbers[3] + numbers[4]
    return sum(numbers) - idle, sum(numbers)


@dataclass
class CpuSample:
    """CPU seconds used per kind of process between ``start`` and ``stop``.

    With ``poll`` (seconds), a thread re-reads /proc meanwhile, so processes that end during
    the sample (a PostgreSQL backend closed after CONN_MAX_AGE, a pool child) still count up
    to their last reading.
    """

    groups: dict[int, str]  # process group → label (the processes the benchmark started)
    poll: float | None = None
    database: str = "fusion_bench"  # backends of other databases count as "other"
    seconds: float = 0.0
    by_kind: dict[str, float] = field(default_factory=dict)
    machine_busy: float = 0.0  # share of all cores, 0..1
    _seen: dict = field(default_factory=dict)  # (pid, born) → [kind, first ticks, last ticks]
    _machine: tuple[int, int] = (0, 0)
    _t0: float = 0.0
    _halt: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _kind(self, pid: int, comm: str, pgid: int) -> str:
        if pgid in self.groups:
            return self.groups[pgid]
        if pid == os.getpid():
            return "bench runner"
        if comm.startswith("postgres"):
            if f" {self.database} " in f"{comm} ":
                return "postgres"
            # a client backend of another database ("… user db host(port) state") is not ours;
            # background processes (wal writer, checkpointer …) serve every database
            return "other" if "(" in comm or "[local]" in comm else "postgres"
        if comm.startswith("redis"):
            return "redis"
        return "other"

    def _read(self, first: bool = False) -> None:
        for pid, (comm, pgid, ticks, born) in _proc_stats().items():
            entry = self._seen.get((pid, born))
            if entry is None:  # a process born during the sample counts from zero
                kind = self._kind(pid, comm, pgid)
                self._seen[(pid, born)] = [kind, ticks if first else 0, ticks]
            else:
                entry[2] = ticks

    def _loop(self) -> None:
        while not self._halt.wait(self.poll):
            self._read()

    def start(self) -> "CpuSample":
        self._machine, self._t0 = _machine_ticks(), time.monotonic()
        self._read(first=True)
        if self.poll:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> "CpuSample":
        if self._thread:
            self._halt.set()
            self._thread.join(timeout=5)
        self._read()
        machine = _machine_ticks()
        self.seconds = time.monotonic() - self._t0
        totals: dict[str, float] = {}
        for kind, first, last in self._seen.values():
            totals[kind] = totals.get(kind, 0.0) + (last - first) / CLOCK_TICKS
        self.by_kind = {k: round(v, 2) for k, v in sorted(totals.items()) if v >= 0.01}
        busy, total = machine[0] - self._machine[0], machine[1] - self._machine[1]
        self.machine_busy = round(busy / total, 3) if total else 0.0
        return self

    def cores(self) -> dict[str, float]:
        """Average cores used per kind over the sample."""
        if not self.seconds:
            return {}
        return {k: round(v / self.seconds, 2) for k, v in self.by_kind.items()}

    def ms_per(self, units: int) -> dict[str, float]:
        """CPU milliseconds per unit of work (job, message, task) per kind."""
        if not units:
            return {}
        return {k: round(v * 1000 / units, 3) for k, v in self.by_kind.items()}

    def as_dict(self, units: int | None = None) -> dict:
        found = {
            "seconds": round(self.seconds, 2),
            "machine_busy": self.machine_busy,
            "cores_by_kind": self.cores(),
        }
        if units:
            found["cpu_ms_per_unit"] = self.ms_per(units)
        return found


def cpu_groups(procs) -> dict[int, str]:
    return {proc.pgid: proc.name for proc in procs}


# --- DB work of one call --------------------------------------------------------------------

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
_TABLE = re.compile(
    r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM|SELECT .*? FROM)\s+"(\w+)"', re.I | re.S
)


@contextmanager
def db_work():
    """Queries, writes and commits of the code run inside (this process's connection only).

    Commits are counted where they happen: each write outside a transaction (autocommit) plus
    each COMMIT of an atomic block (Django logs BEGIN/COMMIT among the captured queries).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {"queries": 0, "writes": 0, "reads": 0, "commits": 0, "statements": []}
    autocommit_writes = []

    def wrapper(execute, sql, params, many, context):
        if _WRITE.match(sql) and not connection.in_atomic_block:
            autocommit_writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper), CaptureQueriesContext(connection) as ctx:
        yield found
    commits = 0
    for query in ctx.captured_queries:
        sql = query["sql"]
        control = _CONTROL.match(sql)
        if control:
            commits += control.group(1).upper() == "COMMIT"
            continue
        table = _TABLE.match(sql)
        found["statements"].append(
            f"{sql.split(None, 1)[0].upper()} {table.group(1) if table else '?'}"
        )
        found["writes" if _WRITE.match(sql) else "reads"] += 1
    found["queries"] = found["writes"] + found["reads"]
    found["commits"] = commits + len(autocommit_writes)


class Contention(threading.Thread):
    """Samples, every second, the CPU that processes outside the benchmark use.

    The machine is shared: a test run of someone else's on the same 2 cores changes every
    figure, so each benchmark reports how busy the rest of the machine was while it ran.
    """

    def __init__(self, groups_now):
        super().__init__(daemon=True)
        self.groups_now = groups_now  # callable: the benchmark's process groups right now
        self.samples: list[float] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            sample = CpuSample(self.groups_now()).start()
            self._halt.wait(1.0)
            self.samples.append(sample.stop().cores().get("other", 0.0))

    def stop(self) -> dict:
        self._halt.set()
        self.join(timeout=5)
        if not self.samples:
            return {"other_cores_mean": None, "other_cores_max": None}
        return {
            "other_cores_mean": round(statistics.fmean(self.samples), 2),
            "other_cores_max": round(max(self.samples), 2),
        }


def quiet_wait(*, threshold: float, max_wait: float, window: float = 3.0) -> dict:
    """Wait (up to ``max_wait`` s) for ``window`` s in which other processes use < threshold cores.

    The machine may be shared with other work; starting a benchmark in a quiet moment makes
    its figures comparable. Returns how long it waited and the load it started under.
    """
    started = time.monotonic()
    while True:
        sample = CpuSample({}).start()
        time.sleep(window)
        cores = sample.stop().cores()
        others = round(sum(v for k, v in cores.items() if k != "bench runner"), 2)
        waited = time.monotonic() - started
        if others < threshold or waited >= max_wait:
            return {"waited_s": round(waited, 1), "other_cores_at_start": others}
