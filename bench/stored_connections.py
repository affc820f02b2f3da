"""What connections kept in the database cost each request: the stamp check every request makes (nothing changed)
and the reload after an admin's change, as ratios to a warm schedules page, with 1 and with 50 stored connections.

Run: .venv/bin/python bench/stored_connections.py   (or `make bench`)
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sandbox import create_app as create_emulator  # noqa: E402
from sandbox.common.server import LiveServer  # noqa: E402
from tests.conftest import add_stored_connection  # noqa: E402
from tests.helpers import Emulator, login  # noqa: E402

PAGE = "/aac/stored-0/schedules"
REPEATS = 200


def _median_seconds(action, repeats: int = REPEATS) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def measure(url: str, count: int) -> dict[str, float]:
    from app import create_app
    from app.auth.cli import create_user
    from app.connections import registry
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        app = create_app("testing", {"INSTANCE_DIR": tmp_path, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.db",
                                     "CONNECTIONS_FILE": str(tmp_path / "none.toml"), "LOCK_DIR": str(tmp_path / "l"),
                                     "CACHE_DEFAULT_TIMEOUT": 3600})
        with app.app_context():
            upgrade()
            create_user("bench", "bench-password-1", "viewer")
        for n in range(count):
            add_stored_connection(app, f"stored-{n}", Emulator(url))
        client = app.test_client()
        login(client, "bench", "bench-password-1")
        assert client.get(PAGE).status_code == 200  # cold: signs in and reads the platform once
        page = _median_seconds(lambda: client.get(PAGE), REPEATS // 4)
        with app.test_request_context():
            registry().sync()
            unchanged = _median_seconds(registry().sync)

            def reload() -> None:
                registry()._stamp = None  # as after another worker's save: the stamp differs, everything is read
                registry().sync()
            changed = _median_seconds(reload, REPEATS // 4)
    return {"page": page, "unchanged": unchanged, "changed": changed}


def main() -> None:
    server = LiveServer(create_emulator("aac"))
    url = server.start()
    try:
        figures = {count: measure(url, count) for count in (1, 50)}
    finally:
        server.stop()
    print("Stored connections: the per-request check and the reload after a change, one run on this machine")
    for count, f in figures.items():
        print(f"  {count:>2} stored: warm schedules page {f['page'] * 1000:.1f} ms; check when unchanged "
              f"{f['unchanged'] * 1000:.2f} ms = {f['unchanged'] / f['page']:.3f} of the page; reload after a change "
              f"{f['changed'] * 1000:.2f} ms = {f['changed'] / f['page']:.2f} of the page")
    print(f"  check with 50 / with 1: {figures[50]['unchanged'] / figures[1]['unchanged']:.2f}x")


if __name__ == "__main__":
    main()
