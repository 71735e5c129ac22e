# ruff: noqa: S603, S607 (runs our own fixed commands: manage.py, gunicorn, wrk, git)
"""Web load benchmark (``make bench-web``); results in docs/performance.md.

1. Creates a fresh PostgreSQL database (``fordela_bench``), migrates it and
   loads the demo data (reference data, programme S2020/01591, keys).
2. Starts gunicorn with 2 sync workers on 127.0.0.1 with the ``bench``
   settings profile (production settings over plain HTTP, plus the baseline
   endpoint /_bench/insert/ that does one INSERT and nothing else).
3. Drives each endpoint with wrk, 20 connections for a fixed time, after a
   short warm-up, and prints requests/s, p50/p95/p99 latency, errors and each
   endpoint's throughput as a share of the baseline's.
   The two requisition endpoints come last and are logged in. Before them
   (so the public pages above see the demo data alone) the bench database
   gets the demo users, the bench-only requisition pools ``bench-form`` and
   ``bench-1`` … ``bench-N`` (2022, kommuner, published keys, open for a
   year) with a filled draft requisition per kommun and pool, and for each
   ombud a session and a CSRF token made server-side
   (``prepare_requisitions``). "requisition form" GETs the drafts of
   ``bench-form`` as their ombud; "requisition submit" POSTs each draft of the
   other pools exactly once, and afterwards the database must show each
   successful (302) response's requisition submitted, once.
4. Writes the figures to bench-results/web-<timestamp>.json, stops gunicorn
   and drops the database.

Why wrk and not locust: on this 2-core machine the load generator shares the
cores with gunicorn and PostgreSQL. wrk (C, one thread) takes little of them;
locust is one Python process that tops out around 1 000-1 700 req/s on one
core here (toolchain-notes §6), which is below the baseline's throughput, so
it would measure itself rather than the app and squash the ratios.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = BASE_DIR / "scripts" / "bench_web.lua"
RESULTS = BASE_DIR / "bench-results"
SERVER_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "fordela_bench"
PROGRAMME = "S2020/01591"
KEY = "/program/s2020-01591/2021/kommuner/fordelningsnyckel"

# name -> paths; a mix cycles through its paths in order (so the list is the weighting).
ENDPOINTS: dict[str, list[str]] = {
    "baseline (1 INSERT)": ["/_bench/insert/"],
    "key page": [f"{KEY}/"],
    "key page, län + sort": [f"{KEY}/?lan=12&sort=-amount"],
    "key CSV": [f"{KEY}.csv"],
    "key search (uncached)": [f"{KEY}/?q=sala"],
    "programme page": ["/program/s2020-01591/"],
    "home": ["/"],
    "mix": [
        f"{KEY}/",
        "/",
        f"{KEY}/?sort=-population",
        "/program/s2020-01591/",
        f"{KEY}/",
        f"{KEY}/?lan=01",
        f"{KEY}.csv",
        "/program/s2020-01591/2021/regioner/fordelningsnyckel/",
        f"{KEY}/?q=sala",
        "/om/",
    ],
}
BASELINE = "baseline (1 INSERT)"
# The machine's speed drifts within a run (docs/performance.md), and the
# submit's goal is a share of the baseline: so the baseline is measured again
# just before the submit, and the submit is compared with that measurement.
BASELINE_AGAIN = "baseline, again before the submit"

# Logged in as the organisation's ombud: each request is a line of a file that
# prepare_requisitions writes (see the module docstring and bench_web.lua).
FORM = "requisition form"
SUBMIT = "requisition submit"
# For comparison: a logged-in POST that does nothing (session, user, CSRF,
# redirect), the floor under the submit. Not a goal.
FLOOR = "logged-in POST, no work"
REQUISITION_ENDPOINTS = (FLOOR, FORM, SUBMIT)
# The submit drafts must outlast warm-up + measured time at this many submits
# a second: about twice the ~400/s measured on the 2-core machine
# (prepare_requisitions makes one pool of 290 drafts per 290 needed, ~0.1 s each).
SUBMIT_RATE_BUDGET = 1000
RECEIPT = r"^/rekvisition/(%d+)/kvitto/$"  # a Lua pattern: where a real submit redirects
BENCH_YEAR = 2022
BENCH_BANK_GIRO = "5050-1055"


@dataclass
class Load:
    """What wrk sends: GETs of ``paths``, or the lines of ``requests_file``."""

    paths: list[str]
    requests_file: Path | None = None
    expect_status: int | None = None  # any other status is an error
    expect_location: str | None = None  # a Lua pattern the Location header must match
    cycle: bool = True  # False: each line at most once


@dataclass
class Result:
    endpoint: str
    paths: list[str]
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    # CPU time of gunicorn and its PostgreSQL backends per request: unlike
    # req/s, hardly disturbed by other work on the machine.
    server_cpu_ms_per_request: float
    postgres_cpu_ms_per_request: float  # the PostgreSQL backends' part of it
    # False when a process ended during the run (a database connection
    # replaced after CONN_MAX_AGE): its CPU time is then missing.
    cpu_complete: bool = True
    share_of_baseline: float | None = None
    cpu_cost_vs_baseline: float | None = None
    # requisition submit: what the database says about the submits.
    check: dict | None = None


def log(message: str) -> None:
    print(f"[bench-web] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database() -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")


def drop_database() -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def settle_database() -> None:
    """VACUUM ANALYZE the bench database after a bulk load, as pgbench does
    before its runs, so that autovacuum does not take up the freshly loaded
    tables at some moment of a measured run and share the two cores with it
    (it naps a minute between rounds). Measured: no systematic effect on the
    figures either way; it removes one cause of difference between runs."""
    with psycopg.connect(f"{SERVER_URL}/{DATABASE}", autocommit=True, connect_timeout=3) as conn:
        conn.execute("VACUUM (ANALYZE)")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def load_demo_data(env: dict[str, str]) -> None:
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_reference_data")
    manage(env, "seed_programme")
    manage(
        env, "compute_allocation_keys", PROGRAMME, "--year", "2020", "--year", "2021", "--freeze"
    )
    manage(env, "compute_allocation_keys", PROGRAMME, "--year", "2022")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    settle_database()


def prepare_requisition_load(env: dict[str, str], work: Path, args) -> dict:
    """The demo users and the bench-only requisition data (prepare_requisitions).
    Made after the public pages have been measured, so that those see the
    demo data alone (the bench pools would show on the programme page)."""
    manage(env, "seed_demo_users")
    # Every submit a fresh draft: enough for warm-up and measured time at
    # SUBMIT_RATE_BUDGET, plus the requests in flight at each stop.
    drafts = (SUBMIT_RATE_BUDGET * (args.warmup + args.seconds + 1) + 2 * args.connections) * (
        args.rounds
    )
    subprocess.run(
        [PYTHON, __file__, "--prepare-requisitions", str(work), f"--drafts={drafts}"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    settle_database()
    prepared = json.loads((work / "pools.json").read_text())
    log(
        f"requisitions: {prepared['pools']} bench pools, {prepared['drafts']} drafts "
        f"({prepared['submit_drafts']} to submit), {prepared['sessions']} ombud sessions "
        f"in {prepared['seconds']} s"
    )
    return prepared


def prepare_requisitions(out_dir: Path, drafts: int) -> None:
    """Bench-only data for the requisition endpoints, in the bench database.

    Runs in a child process with the bench settings (``--prepare-requisitions``),
    so the sessions are signed with the server's SECRET_KEY. Creates the pools
    ``bench-form`` and ``bench-1`` … ``bench-N`` (enough for ``drafts`` submit
    drafts) with published keys, a filled draft per kommun in each, and for
    each ombud a session and a CSRF token. Writes form.tsv and submit.tsv
    (method, path, cookie, body; see bench_web.lua) and pools.json.
    """
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.urls import reverse

    from fordela.access.models import Membership, OrganisationRole
    from fordela.allocation.models import Allocation
    from fordela.allocation.services import compute_key, freeze_key
    from fordela.core import clock
    from fordela.programmes.models import Eligibility, Pool, PoolKind, ProgrammeYear
    from fordela.requisitions.models import Requisition

    started = time.monotonic()
    ombud = {
        membership.organisation_id: membership.user
        for membership in Membership.objects.filter(
            role=OrganisationRole.OMBUD, organisation__municipality_code__isnull=False
        ).select_related("user")
    }
    programme_year = ProgrammeYear.objects.get(
        programme__reference_number=PROGRAMME, year=BENCH_YEAR
    )
    closes_on = clock.today() + datetime.timedelta(days=365)
    slugs = ["bench-form", *(f"bench-{n}" for n in range(1, math.ceil(drafts / len(ombud)) + 1))]
    pools = []
    for slug in slugs:
        pool = Pool.objects.create(
            programme_year=programme_year,
            slug=slug,
            name=f"Benchmark {slug}",
            kind=PoolKind.REQUISITION,
            eligibility=Eligibility.MUNICIPALITIES,
            amount_sek=100_000_000,
            closes_on=closes_on,
        )
        freeze_key(compute_key(pool, actor="bench_web"), actor="bench_web")
        pools.append(pool)
    allocations = (
        Allocation.objects.filter(key__pool__in=pools)
        .select_related("key")
        .order_by("key__pool_id", "code")
    )
    requisitions = Requisition.objects.bulk_create(
        [
            Requisition(
                organisation_id=allocation.organisation_id,
                pool_id=allocation.key.pool_id,
                allocation=allocation,
                allocation_sek=allocation.amount_sek,
                amount_sek=allocation.amount_sek,
                contact_name=f"Kontaktperson {allocation.code}",
                contact_email=f"kontakt@{allocation.code}.bench.fordela.example",
                contact_phone="010-123 45 67",
                bank_giro=BENCH_BANK_GIRO.replace("-", ""),
                conditions_confirmed=True,
                created_by=ombud[allocation.organisation_id],
            )
            for allocation in allocations
        ],
        batch_size=2000,
    )
    # A session and a CSRF token per ombud, as a login would leave them: the
    # cookie holds the CSRF secret, the form field a masked token of it.
    cookies: dict[int, tuple[str, str]] = {}
    with transaction.atomic():
        for organisation_id, user in ombud.items():
            session = SessionStore()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = "fordela.access.backends.PasswordBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            secret = _get_new_csrf_string()
            cookies[organisation_id] = (
                f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={secret}",
                _mask_cipher_secret(secret),
            )
    form_pool = pools[0].pk
    with (out_dir / "floor.tsv").open("w", encoding="utf-8") as floor:
        for cookie, token in cookies.values():
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token})
            floor.write(f"POST\t/_bench/logged-in/\t{cookie}\t{body}\n")
    with (
        (out_dir / "form.tsv").open("w", encoding="utf-8") as form,
        (out_dir / "submit.tsv").open("w", encoding="utf-8") as submit,
    ):
        for requisition in requisitions:
            cookie, token = cookies[requisition.organisation_id]
            path = reverse("requisitions:edit", args=[requisition.pk])
            if requisition.pool_id == form_pool:
                form.write(f"GET\t{path}\t{cookie}\t\n")
                continue
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "amount_sek": requisition.amount_sek,
                    "contact_name": requisition.contact_name,
                    "contact_email": requisition.contact_email,
                    "contact_phone": requisition.contact_phone,
                    "bank_giro": BENCH_BANK_GIRO,
                    "conditions_confirmed": "on",
                    "action": "submit",
                }
            )
            submit.write(f"POST\t{path}\t{cookie}\t{body}\n")
    (out_dir / "pools.json").write_text(
        json.dumps(
            {
                "pool_ids": [pool.pk for pool in pools[1:]],
                "pools": len(pools),
                "drafts": len(requisitions),
                "submit_drafts": len(requisitions) - len(ombud),
                "sessions": len(cookies),
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )


def start_gunicorn(
    env: dict[str, str], port: int, log_file: Path, workers: int
) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "fordela.wsgi:application",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--no-control-socket",
        "--access-logfile=/dev/null",
        f"--error-logfile={log_file}",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log_file}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log_file}")


def stop(server: subprocess.Popen) -> None:
    """Graceful stop of gunicorn's whole process group, then a hard one."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def check_endpoints(port: int) -> None:
    for paths in ENDPOINTS.values():
        for path in paths:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status}")


def send_line(port: int, line: str) -> http.client.HTTPResponse:
    """Send one line of a request file (without following a redirect)."""
    method, path, cookie, body = line.rstrip("\n").split("\t", 3)
    headers = {"Cookie": cookie}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body if method == "POST" else None, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def check_requisition_endpoints(port: int, work: Path) -> None:
    """The form page answers 200 with a submit button; the first submit draft
    is submitted (302 to its receipt). The submit load starts at line 2."""
    form = send_line(port, (work / "form.tsv").open(encoding="utf-8").readline())
    if form.status != 200 or b'value="submit"' not in form.body:
        raise SystemExit(f"requisition form answered {form.status} without a submit button")
    first = (work / "submit.tsv").open(encoding="utf-8").readline()
    submit = send_line(port, first)
    location = submit.getheader("Location") or ""
    if submit.status != 302 or not re.fullmatch(r"/rekvisition/\d+/kvitto/", location):
        raise SystemExit(f"requisition submit answered {submit.status} {location}")


def run_wrk(port: int, load: Load, seconds: int, connections: int, start: int = 1) -> dict:
    env = {**os.environ, "BENCH_PATHS": " ".join(load.paths) if len(load.paths) > 1 else ""}
    if load.requests_file:
        env |= {
            "BENCH_REQUESTS": str(load.requests_file),
            "BENCH_START": str(start),
            "BENCH_CYCLE": "1" if load.cycle else "",
        }
    if load.expect_status:
        env["BENCH_EXPECT"] = str(load.expect_status)
        env["BENCH_EXPECT_LOCATION"] = load.expect_location or ""
    command = [
        "wrk",
        "--threads=1",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--script={LUA}",
        f"http://127.0.0.1:{port}{load.paths[0] if load.paths else '/'}",
    ]
    output = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no result:\n{output}")
    return json.loads(match.group(1))


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_pids(server: subprocess.Popen) -> tuple[set[int], set[int]]:
    """gunicorn's master and workers, and the PostgreSQL backends they use."""
    gunicorn = {server.pid}
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    gunicorn.update(int(pid) for pid in children)
    with psycopg.connect(f"{SERVER_URL}/postgres", connect_timeout=3) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DATABASE])
        postgres = {pid for (pid,) in rows}
    return gunicorn, postgres


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    return used


def measure(
    name: str, load: Load, server: subprocess.Popen, port: int, args, start: int = 1
) -> tuple[Result, dict, dict]:
    """Warm-up, then the measured run (which, for a request file, starts at
    the line after the warm-up's last). Returns the result and both raw runs."""
    warmup = run_wrk(port, load, args.warmup, args.connections, start)
    before = cpu_seconds(set().union(*server_pids(server)))
    measured_from = datetime.datetime.now(datetime.UTC)
    raw = run_wrk(port, load, args.seconds, args.connections, start + warmup["sent"])
    raw["measured_from"] = measured_from
    # A process that started during the run (a database connection replaced
    # after CONN_MAX_AGE) counts from zero.
    gunicorn, postgres = server_pids(server)
    after = cpu_seconds(gunicorn | postgres)
    used = {pid: total - before.get(pid, 0.0) for pid, total in after.items()}
    cpu_complete = set(before) <= set(after)
    server_cpu = sum(used.values())
    postgres_cpu = sum(cpu for pid, cpu in used.items() if pid in postgres)
    seconds = raw["duration_us"] / 1e6
    # Socket errors and timeouts; then either every status >= 400 (wrk's own
    # count) or, with an expected status, every response with another status.
    errors = sum(raw[f"errors_{kind}"] for kind in ("connect", "read", "write", "timeout")) + (
        raw["unexpected"] if load.expect_status else raw["errors_status"]
    )
    result = Result(
        endpoint=name,
        paths=load.paths,
        requests=raw["requests"],
        seconds=round(seconds, 2),
        requests_per_second=round(raw["requests"] / seconds, 1),
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=errors,
        server_cpu_ms_per_request=round(1000 * server_cpu / max(raw["requests"], 1), 2),
        postgres_cpu_ms_per_request=round(1000 * postgres_cpu / max(raw["requests"], 1), 2),
        cpu_complete=cpu_complete,
    )
    return result, warmup, raw


def measure_submit(
    load: Load, baseline: Load, server: subprocess.Popen, port: int, args, prepared: dict
) -> list[Result]:
    """The baseline again and then the submit, ``args.rounds`` times; each
    round's submits are checked against the database."""
    results = []
    start = 2  # line 1 was submitted by check_requisition_endpoints
    for number in range(1, args.rounds + 1):
        suffix = f" ({number}/{args.rounds})" if args.rounds > 1 else ""
        log(f"{BASELINE_AGAIN}{suffix}: {args.warmup} s warm-up + {args.seconds} s")
        result, _, _ = measure(BASELINE_AGAIN + suffix, baseline, server, port, args)
        results.append(result)
        log(f"{SUBMIT}{suffix}: {args.warmup} s warm-up + {args.seconds} s")
        before = submitted(prepared["pool_ids"])
        result, warmup, raw = measure(SUBMIT + suffix, load, server, port, args, start=start)
        result.check = check_submits(prepared["pool_ids"], before, warmup, raw)
        results.append(result)
        start += warmup["sent"] + raw["sent"]
    return results


def submit_rounds(results: list[Result]) -> dict | None:
    """Medians and ranges over the submit's rounds (``--rounds``)."""
    rounds = [result for result in results if result.endpoint.startswith(SUBMIT)]
    if len(rounds) < 2:
        return None
    shares = sorted(result.share_of_baseline for result in rounds)
    p95s = sorted(result.p95_ms for result in rounds)
    return {
        "rounds": len(rounds),
        "share_of_baseline_median": statistics.median(shares),
        "share_of_baseline_range": [shares[0], shares[-1]],
        "p95_ms_median": statistics.median(p95s),
        "p95_ms_range": [p95s[0], p95s[-1]],
    }


def submitted(pool_ids: list[int], ids: list[int] | None = None, since=None) -> int:
    """Submitted requisitions in the bench pools (of ``ids``, submitted ``since``)."""
    sql = "SELECT count(*) FROM requisitions_requisition WHERE status = 'submitted'"
    sql += " AND pool_id = ANY(%s)"
    params: list = [pool_ids]
    if ids is not None:
        sql += " AND id = ANY(%s) AND submitted_at >= %s"
        params += [ids, since]
    with psycopg.connect(f"{SERVER_URL}/{DATABASE}", connect_timeout=3) as conn:
        return conn.execute(sql, params).fetchone()[0]


def settled_submitted(pool_ids: list[int]) -> int:
    """The submitted count once gunicorn has finished the requests that were
    still in flight when wrk stopped (the count stops changing)."""
    last = submitted(pool_ids)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = submitted(pool_ids)
        if now == last:
            return now
        last = now
    return last


def check_submits(pool_ids: list[int], before: int, warmup: dict, raw: dict) -> dict:
    """Every successful submit response (302 to the receipt) must be a draft
    submitted for real during the measured run, each once; and the database
    must hold no more submits than the responses plus the requests still in
    flight when wrk stopped (which gunicorn finishes after wrk has gone)."""
    ids = [int(pk) for pk in raw["ids"]]
    confirmed = submitted(pool_ids, ids, raw["measured_from"])
    total = settled_submitted(pool_ids)
    answered = warmup["expected"] + raw["expected"]
    late = total - before - answered
    in_flight = (warmup["sent"] - warmup["requests"]) + (raw["sent"] - raw["requests"])
    ok = (
        len(ids) == raw["expected"] == len(set(ids)) == confirmed
        and 0 <= late <= in_flight
        and warmup["exhausted"] == raw["exhausted"] == 0
    )
    return {
        "ok": ok,
        "successful_responses": raw["expected"],
        "submitted_in_database": confirmed,
        "distinct": len(set(ids)) == len(ids),
        "submitted_in_all": total - before,
        "warmup_responses": warmup["expected"],
        "finished_after_wrk_stopped": late,
        "in_flight_at_stop": in_flight,
        "drafts_ran_out": warmup["exhausted"] + raw["exhausted"],
    }


def describe_check(check: dict) -> str:
    text = (
        f"{check['successful_responses']} successful submit responses in the measured run; "
        f"{check['submitted_in_database']} of those requisitions submitted in the database "
        f"during it ({'each once' if check['distinct'] else 'DUPLICATES'}). "
        f"Bench drafts submitted in all: {check['submitted_in_all']} = "
        f"{check['warmup_responses']} (warm-up) + {check['successful_responses']} (measured) "
        f"+ {check['finished_after_wrk_stopped']} finished after wrk stopped "
        f"(of {check['in_flight_at_stop']} in flight)."
    )
    if check["drafts_ran_out"]:
        text += (
            f" The drafts ran out ({check['drafts_ran_out']} requests): raise SUBMIT_RATE_BUDGET."
        )
    return ("OK: " if check["ok"] else "FAILED: ") + text


def machine() -> dict:
    def first_line(command: list[str]) -> str:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=10)
            return (result.stdout or result.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with psycopg.connect(f"{SERVER_URL}/postgres", connect_timeout=3) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    import django
    import gunicorn

    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "os": first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "wrk": first_line(["wrk", "--version"]),
    }


def print_table(results: list[Result], args) -> None:
    print()
    print(
        f"gunicorn {args.workers} sync workers, {args.connections} connections, {args.seconds} s per endpoint "
        f"(after {args.warmup} s warm-up), wrk and server on the same {os.cpu_count()} cores"
    )
    header = (
        f"{'endpoint':<24}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'req/s vs baseline':>19}{'CPU ms/req':>12}{'of it PG':>10}{'CPU vs baseline':>17}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        share = f"{result.share_of_baseline:.0%}" if result.share_of_baseline is not None else "–"
        print(
            f"{result.endpoint:<24}{result.requests_per_second:>8.0f}{result.p50_ms:>8.1f}"
            f"{result.p95_ms:>8.1f}{result.p99_ms:>8.1f}{result.errors:>7}{share:>19}"
            f"{result.server_cpu_ms_per_request:>12.2f}{result.postgres_cpu_ms_per_request:>10.2f}"
            f"{result.cpu_cost_vs_baseline:>16.1f}×{'' if result.cpu_complete else ' *'}"
        )
    if not all(result.cpu_complete for result in results):
        print(
            "* a process ended during the run (a database connection replaced after "
            "CONN_MAX_AGE): its CPU time is missing from the CPU figures"
        )
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured time per endpoint")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured time per endpoint first")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--only", action="append", help="endpoint name (repeatable)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure the baseline and the submit this many times, alternately, and print "
        "the medians (the machine's speed drifts: docs/performance.md)",
    )
    parser.add_argument("--keep-database", action="store_true")
    # Internal: the child process that prepares the requisition endpoints' data.
    parser.add_argument("--prepare-requisitions", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--drafts", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.prepare_requisitions:
        prepare_requisitions(args.prepare_requisitions, args.drafts)
        return 0

    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench-web installs it when root)")
    started = time.monotonic()
    load_before = os.getloadavg()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fordela.settings.bench",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"{SERVER_URL}/{DATABASE}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    loads = {name: Load(paths) for name, paths in ENDPOINTS.items()}
    # Only a redirect to "/" counts: a lost session would redirect to the login.
    loads[FLOOR] = Load([], work / "floor.tsv", expect_status=302, expect_location="^(/)$")
    loads[FORM] = Load([], work / "form.tsv", expect_status=200)
    loads[SUBMIT] = Load(
        [], work / "submit.tsv", expect_status=302, expect_location=RECEIPT, cycle=False
    )
    loads = {
        name: load
        for name, load in loads.items()
        if not args.only or name in args.only or name == BASELINE
    }
    log(f"creating database {DATABASE} and loading the demo data")
    recreate_database()
    server = None
    prepared = None
    try:
        load_demo_data(env)
        port = free_port()
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        log_file = RESULTS / f"web-{stamp}-gunicorn.log"
        log(f"starting gunicorn on 127.0.0.1:{port}")
        server = start_gunicorn(env, port, log_file, args.workers)
        check_endpoints(port)
        results = []
        for name, load in loads.items():
            if name in REQUISITION_ENDPOINTS and prepared is None:
                prepared = prepare_requisition_load(env, work, args)
                check_requisition_endpoints(port, work)
            if name == SUBMIT:
                results += measure_submit(load, loads[BASELINE], server, port, args, prepared)
                continue
            log(f"{name}: {args.warmup} s warm-up + {args.seconds} s")
            result, _, _ = measure(name, load, server, port, args)
            results.append(result)
    finally:
        if server is not None:
            log("stopping gunicorn")
            stop(server)
        if args.keep_database:
            log(f"kept database {DATABASE} and the request files in {work}")
        else:
            drop_database()
            shutil.rmtree(work, ignore_errors=True)

    # Each endpoint against the baseline measured most recently before it.
    baseline = None
    for result in results:
        if result.endpoint == BASELINE or result.endpoint.startswith(BASELINE_AGAIN):
            baseline = result
        result.share_of_baseline = round(
            result.requests_per_second / baseline.requests_per_second, 3
        )
        result.cpu_cost_vs_baseline = round(
            result.server_cpu_ms_per_request / baseline.server_cpu_ms_per_request, 2
        )
    print_table(results, args)
    print(
        "load average (1/5/15 min) before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *os.getloadavg()
        )
    )
    rounds = submit_rounds(results)
    if rounds:
        print(
            "{} over {} rounds: {:.0%} of the baseline (median; {:.0%}–{:.0%}), "
            "p95 {:.1f} ms (median; {:.1f}–{:.1f})".format(
                SUBMIT,
                rounds["rounds"],
                rounds["share_of_baseline_median"],
                *rounds["share_of_baseline_range"],
                rounds["p95_ms_median"],
                *rounds["p95_ms_range"],
            )
        )
    checks = [result for result in results if result.check]
    for result in checks:
        print(f"{result.endpoint} check: {describe_check(result.check)}")
        print()
    report = {
        "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip(),
        "settings": "fordela.settings.bench",
        "server": f"gunicorn, {args.workers} sync workers, CONN_MAX_AGE 60",
        "load": {
            "tool": "wrk",
            "threads": 1,
            "connections": args.connections,
            "seconds": args.seconds,
            "warmup_seconds": args.warmup,
        },
        "machine": machine(),
        # Other work on the machine disturbs req/s and latency (docs/performance.md).
        "load_average_1_5_15": {
            "before": [round(value, 2) for value in load_before],
            "after": [round(value, 2) for value in os.getloadavg()],
        },
        "results": [asdict(result) for result in results],
        "submit_rounds": rounds,
        "requisitions": prepared,
        "total_seconds": round(time.monotonic() - started, 1),
    }
    out = RESULTS / f"web-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if log_file.exists() and log_file.stat().st_size == 0:
        log_file.unlink()
    log(f"results in {out.relative_to(BASE_DIR)} ({report['total_seconds']} s in all)")
    return 0 if all(result.check["ok"] for result in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
