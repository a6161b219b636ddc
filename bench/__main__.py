"""Catalogue benchmark on PostgreSQL with 50,000 published products.

Creates (once) a database ``innoteka_bench`` on the local server, fills it
with ``seed_demo --scale 100``, then serves each page many times in process
through Django's test client (the whole middleware stack, no network) and
prints, per page: queries, median and p95 server time, and throughput, with
the ratio to a minimal one-query view measured in the same run.

Each page is measured twice: warm, as a page is served again while the
catalogue has not changed (its rendered parts come from the cache), and
cold, with the cache emptied before every request, as the first visitor
after a change of the catalogue is served.

    python -m bench [--requests 200] [--scale 100]

``python -m bench partnerships`` runs the partnerships benchmark instead
(bench/partnerships.py).
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/innoteka_bench"


def prepare_environment(database_url: str) -> None:
    """Point Django at ``database_url`` and create that database if missing."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innoteka.settings")
    os.environ.setdefault("DEBUG", "1")
    server, name = database_url.rsplit("/", 1)
    maintenance = f"{server}/postgres"
    exists = subprocess.run(
        [
            "psql",
            maintenance,
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            ["psql", maintenance, "-c", f'CREATE DATABASE "{name}"'],
            check=True,
            capture_output=True,
        )


def measure(client, url: str, requests: int, cold: bool = False) -> dict:
    """Serve ``url`` ``requests`` times; ``cold`` empties the cache before
    each request (outside the timing)."""
    from django.core.cache import cache
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if cold:
        cache.clear()
    with connection.execute_wrapper(count):
        client.get(url)
    timings = []
    for _ in range(requests):
        if cold:
            cache.clear()
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return {
        "queries": len(executed),
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000,
        "per_second": len(timings) / sum(timings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "part", nargs="?", default="catalogue", choices=["catalogue", "partnerships"]
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument(
        "--renders", type=int, default=30, help="agreement PDFs (partnerships)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the plan of each page's slowest query (partnerships)",
    )
    args = parser.parse_args()
    if args.part == "partnerships":
        from bench import partnerships

        return partnerships.main(args)

    prepare_environment(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from products.models import Product

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=args.scale, stdout=io.StringIO())
    print(f"seed: {time.perf_counter() - started:.1f} s")
    call_command("compilemessages", verbosity=0, ignore_patterns=[".venv"])
    from django.db import connection

    # A table that has just been filled has no visibility map yet; the
    # autovacuum of a running server sets it, and index-only scans need it.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    published = Product.objects.published().count()
    product = Product.objects.published().order_by("pk").first()
    print(f"published products: {published}")

    setup_test_environment()
    pages = [
        ("baseline (1 query, small template)", "/bench/baseline/"),
        ("catalogue, page 1", "/products/"),
        ("catalogue, page 1000", "/products/?page=1000"),
        ("search, common word", "/products/?q=инновационная"),
        ("search, rare word", "/products/?q=дендрохронология"),
        ("search, misspelt", "/products/?q=инавационая"),
        ("search + region + level", "/products/?q=грамотность&level=basic&region=78"),
        ("product page", f"/products/{product.pk}/"),
    ]
    with override_settings(
        ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False
    ):
        client = Client()
        cold_requests = max(1, args.requests // 5)
        results = [
            (
                name,
                measure(client, url, args.requests),
                measure(client, url, cold_requests, cold=True),
            )
            for name, url in pages
        ]

    base = results[0][1]["per_second"]
    print(
        "\n{:36} {:>16}  {:>34}  {:>24}".format(
            "", "queries", "warm (cached parts)", "cold (cache emptied)"
        )
    )
    header = ("page", "warm", "cold", "median ms", "p95 ms", "req/s", "vs base")
    header += ("median ms", "p95 ms", "vs base")
    row = "{:36} {:>7} {:>8}  {:>10} {:>8} {:>6} {:>7}  {:>10} {:>8} {:>7}"
    print(row.format(*header))
    for name, warm, cold in results:
        print(
            f"{name:36} {warm['queries']:>7} {cold['queries']:>8}  "
            f"{warm['median_ms']:>10.1f} {warm['p95_ms']:>8.1f} "
            f"{warm['per_second']:>6.0f} {warm['per_second'] / base:>7.0%}  "
            f"{cold['median_ms']:>10.1f} {cold['p95_ms']:>8.1f} "
            f"{cold['per_second'] / base:>7.0%}"
        )
    database = settings.DATABASES["default"]["NAME"]
    print(
        f"\ndatabase: {database}, requests per page: {args.requests} warm, "
        f"{cold_requests} cold"
    )


if __name__ == "__main__":
    sys.exit(main())
