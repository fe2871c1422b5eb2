"""Public pages against a minimal Django view, served the same way in the same run.

    .venv/bin/python bench/pages.py [--duration 10] [--connections 16]

Builds a throw-away SQLite site with the association's content, serves it with gunicorn
(2 workers, production-like settings, local-memory page cache) and loads each URL with wrk
(Debian package `wrk`). Prints requests/s, p50 and p99 latency and the ratio to the minimal view,
then the median uncached render time of each page measured in-process.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/", "/faq/", "/committee/", "/committee/tsuboi-ryoji/"]
MINIMAL = "/bench/minimal/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start at {url}")


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def _wrk(url: str, duration: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    return rps, p50, p99


def _uncached_render_ms(env: dict, repeats: int = 30) -> dict[str, float]:
    """Median time to render each page with the page cache purged before every request.

    Purged as publishing does it, so Wagtail's own cached data (site root paths) stays warm.
    """
    code = f"""
import statistics, time, django
django.setup()
from django.test import Client
from cms_pages.cache import purge
client = Client()
for url in {PAGES!r}:
    times = []
    for _ in range({repeats}):
        purge()
        start = time.perf_counter()
        assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    print(url, statistics.median(times))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return {url: float(ms) for url, ms in (line.split() for line in out.splitlines())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="amrm-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_DB": str(workdir / "bench.sqlite3"),
        "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_site_content", "-v0"], env=env, check=True)

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + MINIMAL)
        results = {}
        for url in [MINIMAL, *PAGES]:
            _wrk(base + url, 2, args.connections)  # warm-up: fills the page cache, loads code
            results[url] = _wrk(base + url, args.duration, args.connections)
    finally:
        server.terminate()
        server.wait()

    render = _uncached_render_ms(env)
    shutil.rmtree(workdir)

    minimal_rps = results[MINIMAL][0]
    print(
        f"gunicorn 2 workers, wrk -t2 -c{args.connections} -d{args.duration}s, {os.cpu_count()} CPUs"
    )
    print(
        f"{'URL':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs minimal':>11} {'uncached p50 ms':>16}"
    )
    for url, (rps, p50, p99) in results.items():
        uncached = f"{render[url]:.1f}" if url in render else "-"
        print(f"{url:28} {rps:9.0f} {p50:8.2f} {p99:8.2f} {rps / minimal_rps:10.0%} {uncached:>16}")


if __name__ == "__main__":
    main()
