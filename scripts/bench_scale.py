# ruff: noqa: S603, S607 (runs our own fixed commands: manage.py, this script, git)
"""Scale benchmark (``make bench-scale``; issue 15): the main pages and jobs
at two or more sizes of data; results in docs/performance.md.

1. Creates a PostgreSQL database ``fordela_scale_1``, migrates it and loads
   the demo data with the commands of ``make demo-data``.
2. For each other factor N (``--factors 1,10``, the default: 1.5–3 minutes
   on 2 shared cores; ``--factors 1,30``: 3–6 minutes) copies it (``CREATE DATABASE … TEMPLATE``) to
   ``fordela_scale_N`` and adds N − 1 synthetic programmes
   (``manage.py generate_scale_data --factor N``), then ``VACUUM (ANALYZE)``.
3. Measures each database in a child process (``--measure``) with the bench
   settings and the Django test client, logged in with ``force_login``: per
   page or job one request counted (its queries), then ``--repeat`` (3)
   timed, of which the medians are kept: wall time, and CPU time of the
   process and of its PostgreSQL backend (/proc/PID/schedstat; parallel
   query off, so that one backend does all the work), which other work on
   the machine disturbs much less. And what the page shows: the response's
   size, for the batch job the open payables it puts in the batch.
4. Prints per page the queries and medians at each factor and the ratios
   of the largest factor to the smallest. FLAG: the CPU time grows more than
   2× and more than twice as fast as what the page shows; "queries grow":
   more queries; "shows more": what it shows grows 2× or more (a list
   without pages).
5. Writes the figures to bench-results/scale-<timestamp>.json (and the
   table as .md) and drops the databases (``--keep`` keeps them;
   ``--reuse`` measures kept ones again without making them).
"""

import argparse
import datetime
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import PROGRAMME, SERVER_URL, machine, manage

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench-results"
ADMIN = "bench-scale-admin"
KEY_PAGE = "/program/s2020-01591/2021/kommuner/fordelningsnyckel/"
# A page's time may grow this many times more than what it shows before it is flagged.
FLAG_RATIO = 2.0


def log(message: str) -> None:
    print(f"[bench-scale] {message}", flush=True)


def database(factor: int) -> str:
    return f"fordela_scale_{factor}"


def server_sql(*statements: str) -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True, connect_timeout=3) as conn:
        for statement in statements:
            conn.execute(statement)


def environment(name: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fordela.settings.bench",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"{SERVER_URL}/{name}",
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }


def load_demo(env: dict[str, str]) -> None:
    """The commands of ``make demo-data``."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_reference_data")
    manage(env, "seed_demo_users")
    manage(env, "seed_programme")
    manage(
        env, "compute_allocation_keys", PROGRAMME, "--year", "2020", "--year", "2021", "--freeze"
    )
    manage(env, "compute_allocation_keys", PROGRAMME, "--year", "2022")
    manage(env, "seed_demo_rounds")
    manage(env, "seed_calls", "--demo-users")
    manage(env, "collectstatic", "--no-input", "-v", "0")  # the bench settings' manifest


def vacuum(name: str) -> None:
    with psycopg.connect(f"{SERVER_URL}/{name}", autocommit=True, connect_timeout=3) as conn:
        conn.execute("VACUUM (ANALYZE)")


def prepare(factors: list[int]) -> dict:
    """The databases, one per factor; returns the seconds each step took."""
    seconds = {}
    base = database(1)
    server_sql(*(f"DROP DATABASE IF EXISTS {database(f)} WITH (FORCE)" for f in {1, *factors}))
    server_sql(f"CREATE DATABASE {base}")
    log(f"{base}: migrating and loading the demo data")
    began = time.monotonic()
    load_demo(environment(base))
    seconds["demo data"] = round(time.monotonic() - began, 1)
    for factor in factors:
        if factor == 1:
            continue
        name = database(factor)
        log(f"{name}: a copy of {base} and generate_scale_data --factor {factor}")
        server_sql(f"CREATE DATABASE {name} TEMPLATE {base}")
        began = time.monotonic()
        manage(environment(name), "generate_scale_data", "--factor", str(factor))
        seconds[f"generate factor {factor}"] = round(time.monotonic() - began, 1)
    for factor in factors:
        vacuum(database(factor))
    return seconds


def measure_in_child(factor: int, repeat: int) -> dict:
    out = RESULTS / f".scale-{database(factor)}.json"
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            database(factor),
            f"--repeat={repeat}",
            f"--out={out}",
        ],
        cwd=BASE_DIR,
        env=environment(database(factor)),
        check=True,
    )
    figures = json.loads(out.read_text())
    out.unlink()
    return figures


# ----------------------------------------------------- in the child process


def pages() -> list[tuple[str, str | None, str, str]]:
    """(name, username or None, method, path) of each page and job measured,
    at the same objects of the demo at every factor."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse

    from fordela.access.models import Membership, OrganisationRole
    from fordela.applications.models import Call
    from fordela.programmes.models import Pool
    from fordela.requisitions.models import Requisition

    def demo_pool(year: int, slug: str) -> Pool:
        return Pool.objects.get(
            programme_year__programme__reference_number=PROGRAMME,
            programme_year__year=year,
            slug=slug,
        )

    paid_pool, open_pool = demo_pool(2021, "kommuner"), demo_pool(2022, "kommuner")
    case = Requisition.objects.filter(pool=paid_pool, status="paid").order_by("case_number")[0]
    stockholm = Membership.objects.select_related("user").get(
        organisation__municipality_code="0180", role=OrganisationRole.OMBUD
    )
    demo_call = Call.objects.get(pool=demo_pool(2022, "ideella"))
    largest_call = Call.objects.annotate(n=Count("applications")).order_by("-n", "pk")[0]
    get_user_model().objects.update_or_create(
        username=ADMIN, defaults={"is_staff": True, "is_superuser": True}
    )
    return [
        ("payments overview", "ekonomi", "GET", reverse("payments:index")),
        ("create a payment batch (rolled back)", "ekonomi", "POST", reverse("payments:create")),
        ("the consultee's consultations", "jamy", "GET", reverse("applications:consultations")),
        ("staff list of calls", "handlaggare", "GET", reverse("applications:staff_calls")),
        ("public list of calls", None, "GET", reverse("applications:calls")),
        ("requisition pools list", "handlaggare", "GET", reverse("requisitions:pools")),
        (
            "requisition case page",
            "handlaggare",
            "GET",
            reverse("requisitions:case", args=[case.pk]),
        ),
        (
            "an ombud's organisation page",
            stockholm.user.username,
            "GET",
            reverse("access:organisation", args=[stockholm.organisation_id]),
        ),
        ("admin: audit events", ADMIN, "GET", "/admin/audit/auditevent/"),
        ("admin: audit events ?q=", ADMIN, "GET", "/admin/audit/auditevent/?q=Stockholm"),
        ("admin: allocation keys", ADMIN, "GET", "/admin/allocation/allocationkey/"),
        ("admin: calls", ADMIN, "GET", "/admin/applications/call/"),
        (
            "staff queue, the demo's call",
            "handlaggare",
            "GET",
            reverse("applications:queue", args=[demo_call.pk]),
        ),
        (
            "staff queue, the largest call",
            "handlaggare",
            "GET",
            reverse("applications:queue", args=[largest_call.pk]),
        ),
        ("key page", None, "GET", KEY_PAGE),
        ("ledger", "handlaggare", "GET", reverse("requisitions:ledger", args=[paid_pool.pk])),
        (
            "redistribution preview",
            "handlaggare",
            "GET",
            reverse("requisitions:redistribution", args=[open_pool.pk]),
        ),
        (
            "requisitions of one pool",
            "handlaggare",
            "GET",
            reverse("requisitions:pool", args=[paid_pool.pk]),
        ),
    ]


def backend_cpu_ns(connection) -> int | None:
    """CPU time of the PostgreSQL backend serving ``connection``, in ns
    (/proc/PID/schedstat; None where it cannot be read)."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def measure(name: str, repeat: int, out: Path) -> None:
    """Runs in the child process, against the database ``name``."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fordela.core import clock
    from fordela.payments.models import Payable, PayableStatus

    User = get_user_model()
    clients: dict[str | None, Client] = {}
    with connection.cursor() as cursor:
        # One backend per request, so that its CPU time is all counted (a
        # parallel worker's would be lost); on 2 cores they compete anyway.
        cursor.execute("SET max_parallel_workers_per_gather = 0")

    def client_for(username: str | None) -> Client:
        if username not in clients:
            client = Client(raise_request_exception=True)
            if username:
                client.force_login(
                    User.objects.get(username=username),
                    backend="fordela.access.backends.PasswordBackend",
                )
            clients[username] = client
        return clients[username]

    def request(client: Client, method: str, path: str):
        if method == "GET":
            return client.get(path)
        with transaction.atomic():  # the batch is made and rolled back
            data = {"payment_date": (clock.today() + datetime.timedelta(days=1)).isoformat()}
            response = client.post(path, data)
            transaction.set_rollback(True)
        return response

    def timed(client: Client, method: str, path: str) -> tuple[float, float | None]:
        """Wall time and CPU time (this process and its backend), in ms."""
        backend, cpu, wall = backend_cpu_ns(connection), time.process_time(), time.perf_counter()
        request(client, method, path)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        backend_after = backend_cpu_ns(connection)
        if backend is None or backend_after is None:
            return wall * 1000, None
        return wall * 1000, cpu * 1000 + (backend_after - backend) / 1e6

    figures = {}
    for page, username, method, path in pages():
        client = client_for(username)
        with CaptureQueriesContext(connection) as queries:
            response = request(client, method, path)
        counted = len(queries)  # now: the next request empties the log it reads
        expected = 302 if method == "POST" else 200
        if response.status_code != expected:
            raise SystemExit(f"{page}: {path} answered {response.status_code}")
        walls, cpus = zip(*(timed(client, method, path) for _ in range(repeat)), strict=True)
        shown = (
            Payable.objects.filter(status=PayableStatus.OPEN).count()
            if method == "POST"
            else len(response.content)
        )
        figures[page] = {
            "path": path,
            "queries": counted,
            "wall_ms": [round(t, 1) for t in walls],
            "wall_median_ms": round(statistics.median(walls), 1),
            "cpu_ms": [round(t, 1) for t in cpus] if None not in cpus else None,
            "cpu_median_ms": round(statistics.median(cpus), 1) if None not in cpus else None,
            "shown": shown,
            "shown_unit": "open payables" if method == "POST" else "bytes",
        }
    out.write_text(json.dumps({"pages": figures, "data": data_sizes()}, indent=2))


def data_sizes() -> dict:
    from django.db import connection

    from fordela.bench.scale import counts

    sizes = {k: v for k, v in counts().items() if k in DATA_SHOWN}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes["database MB"] = round(cursor.fetchone()[0] / 2**20)
    return sizes


DATA_SHOWN = ("programmes", "requisitions", "applications", "payables", "audit events")


# ------------------------------------------------------------ the report


def ratio(last: float, first: float) -> float:
    return last / first if first else float("inf")


def compare(results: dict[int, dict]) -> list[dict]:
    """Per page: the figures at each factor and, largest against smallest,
    the ratios of its time and of what it shows, and whether it is flagged."""
    factors = sorted(results)
    first, last = factors[0], factors[-1]
    rows = []
    for page, start in results[first]["pages"].items():
        end = results[last]["pages"][page]
        timing = (
            "cpu_median_ms" if start["cpu_median_ms"] and end["cpu_median_ms"] else "wall_median_ms"
        )
        time_ratio = ratio(end[timing], start[timing])
        shown_ratio = ratio(end["shown"], start["shown"])
        notes = []
        if time_ratio > FLAG_RATIO and time_ratio > FLAG_RATIO * max(shown_ratio, 1):
            notes.append("FLAG")
        if end["queries"] > start["queries"]:
            notes.append("queries grow")
        if shown_ratio >= FLAG_RATIO:
            notes.append("shows more")
        rows.append(
            {
                "page": page,
                "per_factor": {f: results[f]["pages"][page] for f in factors},
                "timing": timing,
                "time_ratio": round(time_ratio, 2),
                "wall_ratio": round(ratio(end["wall_median_ms"], start["wall_median_ms"]), 2),
                "shown_ratio": round(shown_ratio, 2),
                "flag": "FLAG" in notes,
                "notes": notes,
            }
        )
    return rows


def cpu(figures: dict) -> str:
    return "–" if figures["cpu_median_ms"] is None else f"{figures['cpu_median_ms']:.1f}"


def print_table(rows: list[dict], factors: list[int]) -> None:
    first, last = factors[0], factors[-1]
    head = f"{'page / job':<38}"
    for f in factors:
        head += f"{f'queries {f}×':>12}{f'CPU ms {f}×':>13}{f'wall ms {f}×':>13}"
    head += f"{'CPU ×':>7}{'wall ×':>8}{'shown ×':>9}  notes"
    print()
    print(
        f"medians of the timed requests (CPU: this process and its PostgreSQL backend); "
        f"ratios {last}× / {first}×"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        line = f"{row['page']:<38}"
        for f in factors:
            figures = row["per_factor"][f]
            line += f"{figures['queries']:>12}{cpu(figures):>13}{figures['wall_median_ms']:>13.1f}"
        line += f"{row['time_ratio']:>7.1f}{row['wall_ratio']:>8.1f}{row['shown_ratio']:>9.1f}"
        print(f"{line}  {', '.join(row['notes'])}")
    print()


def markdown_table(rows: list[dict], factors: list[int]) -> str:
    """The table for docs/performance.md."""
    first, last = factors[0], factors[-1]
    head = ["page / job"]
    for f in factors:
        head += [f"queries {f}×", f"CPU ms {f}×", f"wall ms {f}×"]
    head += [f"CPU {last}×/{first}×", f"shown {last}×/{first}×", "notes"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 2) + "|---|"]
    for row in rows:
        cells = [row["page"]]
        for f in factors:
            figures = row["per_factor"][f]
            cells += [str(figures["queries"]), cpu(figures), f"{figures['wall_median_ms']:.1f}"]
        notes = ", ".join(f"**{n}**" if n == "FLAG" else n for n in row["notes"])
        cells += [f"{row['time_ratio']:.1f}", f"{row['shown_ratio']:.1f}", notes]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--factors",
        default="1,10",
        help="comma-separated sizes (1 is the demo); 1,10 takes 1.5–3 minutes here, 1,30 3–6",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--reuse", action="store_true", help="measure kept databases again")
    # Internal: the child process that measures one database.
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.repeat, args.out)
        return 0
    factors = sorted({int(f) for f in args.factors.split(",")})
    if len(factors) < 2 or factors[0] < 1:
        parser.error("--factors needs two sizes or more, each at least 1")

    started = time.monotonic()
    load_before = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    seconds = {} if args.reuse else prepare(factors)
    try:
        results = {}
        for factor in factors:
            log(f"{database(factor)}: measuring")
            began = time.monotonic()
            results[factor] = measure_in_child(factor, args.repeat)
            seconds[f"measure factor {factor}"] = round(time.monotonic() - began, 1)
    finally:
        if args.keep:
            log(f"kept the databases {', '.join(database(f) for f in factors)}")
        else:
            server_sql(
                *(f"DROP DATABASE IF EXISTS {database(f)} WITH (FORCE)" for f in {1, *factors})
            )
    rows = compare(results)
    for factor in factors:
        sizes = ", ".join(f"{v} {k}" for k, v in results[factor]["data"].items())
        print(f"factor {factor}: {sizes}")
    print_table(rows, factors)
    load_after = os.getloadavg()
    print(
        "load average (1/5/15 min) before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *load_after
        )
    )
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in seconds.items()))
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {
        "when": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "git_commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip(),
        "settings": "fordela.settings.bench, Django test client in one process",
        "factors": factors,
        "repeat": args.repeat,
        "flag_rule": f"CPU time × > {FLAG_RATIO} and > {FLAG_RATIO} × shown × (wall time without CPU)",
        "machine": machine(),
        "load_average_1_5_15": {
            "before": [round(v, 2) for v in load_before],
            "after": [round(v, 2) for v in load_after],
        },
        "seconds": seconds | {"total": round(time.monotonic() - started, 1)},
        "data": {f: results[f]["data"] for f in factors},
        "pages": rows,
    }
    out = RESULTS / f"scale-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown_table(rows, factors), encoding="utf-8")
    log(f"results in {out.relative_to(BASE_DIR)} ({report['seconds']['total']} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
