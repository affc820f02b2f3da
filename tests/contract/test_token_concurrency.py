"""Several threads and processes refreshing at once never spend one single-use refresh token twice."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from app.connections import registry
from app.extensions import db
from app.models import StoredToken

ROOT = Path(__file__).resolve().parents[2]


def test_threads_after_401_refresh_once_per_round(app, emulator):
    """When 8 threads all see a 401 in the same round, is the token refreshed once, for 10 rounds?"""
    with app.app_context():
        svc = registry().service("aac-main")
        svc.tokens.access_token()
    failures: list[BaseException] = []

    def worker(barrier: threading.Barrier) -> None:
        try:
            with app.app_context():
                barrier.wait()
                svc.tokens.recover_after_unauthorized()
                db.session.remove()
        except BaseException as exc:  # collected and asserted below
            failures.append(exc)

    for _ in range(10):
        with app.app_context():
            generation = db.session.execute(db.select(StoredToken.generation).filter_by(connection="aac-main")).scalar_one()
        barrier = threading.Barrier(8)
        threads = [threading.Thread(target=worker, args=(barrier,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with app.app_context():
            after = db.session.execute(db.select(StoredToken.generation).filter_by(connection="aac-main")).scalar_one()
        assert not failures, failures
        assert 1 <= after - generation <= 8  # no refresh was lost; each refresh used the newest token
    with app.app_context():
        svc.schedule(svc.schedules().value[0].id)  # the chain is intact: the current token works


WORKER = textwrap.dedent("""
    import sys
    from app import create_app
    from app.connections import registry
    app = create_app("testing", {"INSTANCE_DIR": sys.argv[1], "SQLALCHEMY_DATABASE_URI": sys.argv[2],
                                 "CONNECTIONS_FILE": sys.argv[3], "LOCK_DIR": sys.argv[4]})
    with app.app_context():
        tokens = registry().service("aac-main").tokens
        for _ in range(int(sys.argv[5])):
            tokens.refresh_now()
    print("ok")
""")


def test_processes_forced_refreshes_keep_the_chain(app, emulator, tmp_path):
    """Do 4 processes forcing 5 refreshes each all succeed against the single-use token endpoint?"""
    with app.app_context():
        registry().service("aac-main").tokens.access_token()
    args = [str(app.config["INSTANCE_DIR"]), app.config["SQLALCHEMY_DATABASE_URI"], app.config["CONNECTIONS_FILE"],
            app.config["LOCK_DIR"], "5"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, *args], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in results]
    with app.app_context():
        row = db.session.execute(db.select(StoredToken)).scalars().first()
        assert row.last_outcome == "ok"
        svc = registry().service("aac-main")
        svc.schedule(svc.schedules().value[0].id)
