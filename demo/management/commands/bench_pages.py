"""The page benchmark (issue 15): every caseworker page at national size and at the demo's size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_national make bench-pages

1. Builds (or reuses) the big database at DATABASE_URL with `bench_build` (BENCH_CASES cases,
   default 100,000) and a demo-size one beside it (the same server, the name + `_demo`: the demo
   seed only, `bench_build --cases 0`).
2. Per database, in a child process with production settings (`--prepare`): creates a signed-in
   session (password and second factor done: the verified TOTP device in the session, as django-otp
   stores it after a login) for each demo user the pages need and a read-scoped API token, picks
   the cases, and runs every page once in-process under `CaptureQueriesContext` (after one warm-up
   run): the number of queries, their SQL time and the audit rows each page writes.
3. Serves the database with gunicorn (DJANGO_ENV=production, DEBUG off, a local SECRET_KEY,
   collected static files), requests every page 30 times as one user (p50, p95) and then runs
   BENCH_USERS (16) concurrent sessions for BENCH_SECONDS (30) over the mix of pages (median, p95,
   errors).

Prints one line per page and size, then the ratio big/small. Needs PostgreSQL (DATABASE_URL, a
role that may create databases) and gunicorn; Redis is used when REDIS_URL is set.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REQUESTS = 30
WARMUP = 2
SECRET_KEY = "bench-pages-local-secret-key-not-for-production-0123456789abcdef"  # noqa: S105


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def demo_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_demo"))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def production_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", SECRET_KEY),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DEMO_TOTP_SECRET": "",
            "PYTHONUNBUFFERED": "1",
            # In production beat counts the Stuurinformatie every 5 minutes; the bench runs no
            # beat: the prepare step counts once and the figures stand for the whole run.
            "FIGURES_MAX_AGE_MINUTES": "240",
        }
    )
    return env


# A worker that grows more than this while a page is asked for, and more than twice what it grew
# at the demo's size, does not stream (an export of 20,000 rows built whole grows by ~100 MB).
EXPORT_MEMORY_MB = 16


class WorkerMemory:
    """How much gunicorn's workers grew while a page was asked for: the resident memory (VmRSS
    from /proc) of each worker before, and its peak sampled every 20 ms; the largest growth of
    one worker, in MB. An export that streams keeps it near zero, one built whole grows with
    its rows."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid
        self.grown_mb = 0.0

    def _workers(self) -> list[int]:
        path = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def __enter__(self):
        self.before = {pid: self._rss_kb(pid) for pid in self._workers()}
        self.peak = dict(self.before)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            for pid in self.before:
                self.peak[pid] = max(self.peak[pid], self._rss_kb(pid))

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        growth = [self.peak[pid] - self.before[pid] for pid in self.before]
        self.grown_mb = max(growth, default=0) / 1024
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Meet elke pagina bij landelijke omvang en bij demo-omvang (PostgreSQL, gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--prepare", metavar="OUT", help=argparse_hidden())
        parser.add_argument(
            "--cases", type=int, default=int(os.environ.get("BENCH_CASES", 100_000))
        )
        parser.add_argument(
            "--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", REQUESTS))
        )
        parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_USERS", 16)))
        parser.add_argument(
            "--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 30))
        )
        parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
        parser.add_argument(
            "--only", default=os.environ.get("BENCH_ONLY", ""), help="paginanamen, komma's"
        )
        parser.add_argument("--skip-demo", action="store_true", help="alleen de grote database")

    # --- the parent: build, serve, measure, print -------------------------------------------------

    def handle(
        self, *args, prepare, cases, requests, users, seconds, workers, only, skip_demo, **options
    ):
        if prepare:
            from demo.bench_pages import prepare as run_prepare

            Path(prepare).write_text(json.dumps(run_prepare(only=only)))
            return
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError(
                "bench-pages heeft PostgreSQL nodig: zet DATABASE_URL op een eigen database, bv. "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_national make bench-pages "
                "(de rol moet databases mogen aanmaken; naast deze komt <naam>_demo)."
            )
        sizes = [("big", url, cases)]
        if not skip_demo:
            sizes.append(("demo", demo_url(url), 0))
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        for _label, database, size in sizes:
            ensure_database(database)
            self._run(
                manage + ["bench_build", "--cases", str(size)],
                {**os.environ, "DATABASE_URL": database},
            )
        self._run(
            manage + ["collectstatic", "--noinput", "-v0", "--ignore", "background-image-icon.css"],
            production_env(url),
        )
        results = {}
        for label, database, _size in sizes:
            results[label] = self._measure(
                label, database, manage, requests, users, seconds, workers, only
            )
        self._report(results)

    def _run(self, command, env):
        self.stdout.write("bench: " + " ".join(command[1:]))
        completed = subprocess.run(command, env=env, check=False, capture_output=True, text=True)  # noqa: S603
        tail = [line for line in completed.stdout.splitlines() if line.startswith("bench_build")]
        for line in tail:
            self.stdout.write(line)
        if completed.returncode:
            sys.stderr.write(completed.stderr[-4000:])
            raise CommandError(f"{' '.join(command[1:3])} faalde ({completed.returncode})")

    def _measure(self, label, database, manage, requests, users, seconds, workers, only):
        env = production_env(database)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "prepared.json"
            self._run(manage + ["bench_pages", "--prepare", str(out), "--only", only], env)
            prepared = json.loads(out.read_text())
        port = free_port()
        log_dir = Path(settings.BASE_DIR) / "var" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = (log_dir / f"gunicorn-{label}.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "westfriesland.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--timeout",
                "120",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            self._wait(base, server)
            self._warm_workers(base, prepared, workers)
            timed = self._single_user(base, prepared, requests, server.pid)
            mixed = self._concurrent(base, prepared, users, seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        return {
            "prepared": prepared,
            "timed": timed,
            "mixed": mixed,
            "workers": workers,
            "users": users,
        }

    def _wait(self, base, server):
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopte; zie var/bench/gunicorn-*.log")
            try:
                if (
                    httpx.get(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"}).status_code
                    == 200
                ):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise CommandError("gunicorn startte niet binnen 60 s")

    @staticmethod
    def _headers(prepared, page):
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "nl"}
        if page.get("token"):
            headers["Authorization"] = f"Bearer {prepared['token']}"
        else:
            headers["Cookie"] = f"sessionid={prepared['sessions'][page['user']]}"
        return headers

    def _warm_workers(self, base, prepared, workers):
        """Every gunicorn worker's first pages, before anything is timed: `workers` sessions at
        once over the page mix, so each worker (a sync worker takes one request at a time) gets
        its first request of every page. A page's own two warm-ups go over one connection to
        whichever worker accepts it: a worker that never had them answered its first request of
        the page during the timing (imports, templates, translations: +24 MB and a p95 of 210
        ms for Vandaag on 7 December, p50 88 ms). A day's worker lives for hours."""
        import httpx

        pages = [page for page in prepared["pages"] if page.get("mix", True)]

        def session(index):
            with httpx.Client(base_url=base, timeout=120) as client:
                for page in pages[index:] + pages[:index]:
                    client.get(page["url"], headers=self._headers(prepared, page)).read()

        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(session, range(workers)))

    def _single_user(self, base, prepared, requests, server_pid):
        import httpx

        timed = {}
        with httpx.Client(base_url=base, timeout=120) as client:
            for page in prepared["pages"]:
                headers = self._headers(prepared, page)
                durations, statuses, sizes = [], set(), []
                for _warmup in range(WARMUP):
                    statuses.add(client.get(page["url"], headers=headers).status_code)
                # After the warm-ups: a worker's first pages fill its caches (templates,
                # translations, imports), which is not the page's own memory.
                memory = WorkerMemory(server_pid)
                with memory:
                    self._ask(client, page, headers, requests, durations, statuses, sizes)
                timed[page["name"]] = {
                    "p50": percentile(durations, 0.5),
                    "p95": percentile(durations, 0.95),
                    "status": sorted(statuses),
                    "bytes": max(sizes),
                    "rss_mb": memory.grown_mb,
                }
        return timed

    @staticmethod
    def _ask(client, page, headers, requests, durations, statuses, sizes):
        for _number in range(requests):
            started = time.perf_counter()
            response = client.get(page["url"], headers=headers)
            body = response.content
            elapsed = (time.perf_counter() - started) * 1000
            statuses.add(response.status_code)
            durations.append(elapsed)
            sizes.append(len(body))

    def _concurrent(self, base, prepared, users, seconds):
        import httpx

        pages = [page for page in prepared["pages"] if page.get("mix", True)]
        stop = time.monotonic() + seconds
        lock = threading.Lock()
        durations, errors, by_page = [], [], {}

        def session(index):
            with httpx.Client(base_url=base, timeout=120) as client:
                turn = index
                while time.monotonic() < stop:
                    page = pages[turn % len(pages)]
                    turn += 1
                    started = time.perf_counter()
                    try:
                        response = client.get(page["url"], headers=self._headers(prepared, page))
                        response.read()
                        ok = response.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        durations.append(elapsed)
                        by_page.setdefault(page["name"], []).append(elapsed)
                        if not ok:
                            errors.append(page["name"])

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=users) as pool:
            list(pool.map(session, range(users)))
        wall = time.perf_counter() - started
        return {
            "requests": len(durations),
            "median": percentile(durations, 0.5),
            "p95": percentile(durations, 0.95),
            "errors": len(errors),
            "error_pages": sorted(set(errors)),
            "throughput": len(durations) / wall,
            "caseworker_median": percentile(
                [
                    d
                    for name, values in by_page.items()
                    if not name.startswith(("werksaam", "admin", "stuur"))
                    for d in values
                ],
                0.5,
            ),
        }

    def _report(self, results):
        big = results["big"]
        small = results.get("demo")
        for label, result in results.items():
            cases = result["prepared"]["cases"]
            self.stdout.write(
                f"\n== {label}: {cases:,} dossiers, gunicorn {result['workers']} workers =="
            )
            for page in result["prepared"]["pages"]:
                name = page["name"]
                timed = result["timed"][name]
                measured = result["prepared"]["measured"][name]
                status = "" if timed["status"] == [200] else f"; status={timed['status']}"
                self.stdout.write(
                    f"bench: {name} p50={timed['p50']:.0f} p95={timed['p95']:.0f} ms; "
                    f"queries={measured['queries']}; sql={measured['sql_ms']:.0f} ms; "
                    f"audit={measured['audit_rows']} rows/{measured['audit_ms']:.1f} ms; "
                    f"worker memory +{timed.get('rss_mb', 0):.1f} MB; "
                    f"at {cases} cases{status}"
                )
            mixed = result["mixed"]
            self.stdout.write(
                f"bench: {result['users']} concurrent sessions: median={mixed['median']:.0f} "
                f"p95={mixed['p95']:.0f} ms; caseworker pages median={mixed['caseworker_median']:.0f} ms; "
                f"errors={mixed['errors']} of {mixed['requests']} "
                f"({mixed['throughput']:.1f} req/s){' ' + ','.join(mixed['error_pages']) if mixed['errors'] else ''}; "
                f"at {cases} cases"
            )
        if small:
            self.stdout.write(
                f"\n== ratio big/small ({big['prepared']['cases']:,} / {small['prepared']['cases']:,} dossiers) =="
            )
            for page in big["prepared"]["pages"]:
                name = page["name"]
                if name not in small["timed"]:
                    continue
                b, s = big["timed"][name], small["timed"][name]
                sql_b = big["prepared"]["measured"][name]["sql_ms"]
                budget = [] if b["p95"] <= 150 else ["p95>150ms"]
                if b["p95"] > 1.5 * s["p95"]:
                    budget.append("ratio>1.5")
                if sql_b and b["p50"] > 3 * sql_b and b["p50"] > 50:
                    budget.append("page>3xSQL")
                if b.get("rss_mb", 0) > max(EXPORT_MEMORY_MB, 2 * s.get("rss_mb", 0)):
                    budget.append(f"memory+{b['rss_mb']:.0f}MB")
                self.stdout.write(
                    f"bench: {name} ratio p50={b['p50'] / s['p50']:.1f} p95={b['p95'] / s['p95']:.1f}; "
                    f"{'ok' if not budget else 'OVER: ' + ', '.join(budget)}"
                )
            mb, ms = big["mixed"], small["mixed"]
            self.stdout.write(
                f"bench: concurrent median ratio {mb['median'] / ms['median']:.1f} "
                f"({mb['median']:.0f} / {ms['median']:.0f} ms)"
            )


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
