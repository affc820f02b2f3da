"""Requests per second for the warm overview and schedules pages under gunicorn, as a ratio to a bare Flask
"hello" route served by the same gunicorn settings in the same run (target: at least 0.3).

Run: .venv/bin/python bench/overview_warm.py   (or `make bench`)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from sandbox import create_app as create_emulator  # noqa: E402
from sandbox.common.server import LiveServer, free_port  # noqa: E402
from sandbox.connect import connect  # noqa: E402
from tests.helpers import csrf_from  # noqa: E402

VENV = ROOT / ".venv" / "bin"
GUNICORN = ["--workers", "2", "--threads", "4", "--log-level", "warning"]
REQUESTS, WARMUP, CONCURRENCY = 400, 80, 8
PASSWORD = "bench-password-123"


def serve(target: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([str(VENV / "gunicorn"), "--bind", f"127.0.0.1:{port}", *GUNICORN, target],
                               cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/healthz" if target == "wsgi:app" else url, timeout=1)
            return process, url
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn {target} did not start")


def signed_in(url: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/auth/login", timeout=10).text
    response = session.post(f"{url}/auth/login", data={"username": "bench", "password": PASSWORD,
                                                        "csrf_token": csrf_from(page)}, timeout=10)
    response.raise_for_status()
    return session


def requests_per_second(url: str, cookies: dict[str, str] | None = None) -> float:
    def worker(count: int) -> None:
        with requests.Session() as session:
            session.cookies.update(cookies or {})
            for _ in range(count):
                assert session.get(url, timeout=30).status_code == 200
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        # Warm first with the same concurrent clients, so every gunicorn worker (each with its own
        # SimpleCache) has fetched from the platforms before the clock starts.
        list(pool.map(worker, [WARMUP // CONCURRENCY] * CONCURRENCY))
        started = time.perf_counter()
        list(pool.map(worker, [REQUESTS // CONCURRENCY] * CONCURRENCY))
    return REQUESTS / (time.perf_counter() - started)


def main() -> None:
    emulators = {key: LiveServer(create_emulator(key)) for key in ("aac", "server")}
    urls = {key: server.start() for key, server in emulators.items()}
    with tempfile.TemporaryDirectory() as tmp:
        config, env_file = Path(tmp) / "connections.toml", Path(tmp) / "sandbox.env"
        connect(urls, str(config), str(env_file))
        env = dict(os.environ, FLIGHTDECK_CONFIG="demo", FLIGHTDECK_INSTANCE_DIR=tmp,
                   FLIGHTDECK_CONNECTIONS_FILE=str(config), FLIGHTDECK_CACHE_SECONDS="600")
        for line in env_file.read_text().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'")
        subprocess.run([str(VENV / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        subprocess.run([str(VENV / "python"), "-c", "from app import create_app; from app.auth.cli import "
                        f"create_user; app = create_app(); app.app_context().push(); "
                        f"create_user('bench', '{PASSWORD}', 'viewer')"], cwd=ROOT, env=env, check=True)
        hello, hello_url = serve("bench.hello_app:app", env)
        flightdeck, url = serve("wsgi:app", env)
        try:
            cookies = signed_in(url).cookies.get_dict()
            figures = {"hello": requests_per_second(hello_url),
                       "overview": requests_per_second(f"{url}/", cookies),
                       "schedules": requests_per_second(f"{url}/schedules", cookies)}
        finally:
            for process in (hello, flightdeck):
                process.terminate()
                process.wait(timeout=10)
    for server in emulators.values():
        server.stop()
    print(f"Warm pages under gunicorn ({' '.join(GUNICORN[:4])}), {REQUESTS} requests by {CONCURRENCY} clients, "
          "AAC and Server sandboxes, one run")
    for name, rate in figures.items():
        print(f"  {name}: {rate:.0f} requests/s")
    print(f"  overview / hello: {figures['overview'] / figures['hello']:.2f}  (target at least 0.3)")
    print(f"  all-schedules / hello: {figures['schedules'] / figures['hello']:.2f}")


if __name__ == "__main__":
    main()
