"""A change through each path (page, API, import, merge, delete) is found by the next search in another
process, on the database the suite runs on (a database of its own: the suite's is not shared with other
processes). Two serving processes with two index directories stand for two web machines."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[3]


class Process:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "coopnet.exchange.tests.live_process"], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )

    def ask(self, **command: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        assert "error" not in answer, answer["error"]
        return answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL of a new database of the suite's kind (SQLite file, or PostgreSQL database)."""
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    import psycopg

    name = f"coopnet_live_{uuid.uuid4().hex[:8]}"
    admin = dict(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                 dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as con:
        con.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**admin) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_change_through_each_path_is_found_by_the_next_search_in_another_process(
    database: str, tmp_path: Path
) -> None:
    base = {**os.environ, "DATABASE_URL": database, "COOPNET_VAR": str(tmp_path / "var"), "MATCH_INDEX_FOLLOW": "0",
            "DEBUG": "0", "SECRET_KEY": "live-test", "IMPORT_WORKERS": "0"}
    writer = Process({**base, "MATCH_INDEX_DIR": str(tmp_path / "machine-a")})
    server_a = Process({**base, "MATCH_INDEX_DIR": str(tmp_path / "machine-a")})
    server_b = Process({**base, "MATCH_INDEX_DIR": str(tmp_path / "machine-b")})  # another web machine
    try:
        writer.ask(do="setup")
        assert server_a.ask(do="search", text="дизельные двигатели")["ids"]
        for path in ("page", "api", "import", "merge", "delete"):
            expected = writer.ask(do="change", path=path)
            for server in (server_a, server_b):
                found = server.ask(do="search", text=expected["text"])["ids"]
                if "id" in expected:
                    assert expected["id"] in found[:3], (path, expected, found)
                if "gone" in expected:
                    assert expected["gone"] not in found, (path, expected, found)
        # machine A's writer applies the log: its shared index has every change, no overlay is left
        writer.ask(do="follow")
        answer = server_a.ask(do="search", text="вилочные автопогрузчики")
        assert answer["shadow"] == 0 and answer["ids"]
        assert server_b.ask(do="search", text="вилочные автопогрузчики")["ids"] == answer["ids"]
    finally:
        for p in (writer, server_a, server_b):
            p.close()
