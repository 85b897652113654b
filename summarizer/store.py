"""The run store: one SQLite file that logs every model call and run, and caches responses.

A re-run with the same model, request and input reuses stored responses, so an interrupted
run resumes where it stopped. A run whose fingerprint (its reports, model and code, see
``pipeline.fingerprint``) matches a finished run's is answered with that run's brief.
Schema changes go through numbered migrations (``PRAGMA user_version``); WAL and a busy
timeout let concurrent runs share the file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from summarizer.settings import cache_dir

MIGRATIONS = [
    # 1: calls and runs
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        source TEXT,
        article_ids TEXT NOT NULL DEFAULT '[]',
        model TEXT,
        brief TEXT,
        error TEXT
    );
    CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        created TEXT NOT NULL,
        model TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        purpose TEXT,
        request_hash TEXT NOT NULL,
        request TEXT NOT NULL,
        response TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        duration_ms INTEGER,
        error TEXT,
        cached INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX calls_request_hash ON calls(request_hash) WHERE response IS NOT NULL AND cached = 0;
    """,
    # 2: what a finished run's brief depends on, so an unchanged re-run is answered with it
    """
    ALTER TABLE runs ADD COLUMN fingerprint TEXT;
    CREATE INDEX runs_fingerprint ON runs(fingerprint) WHERE status = 'done';
    """,
    # 3: what each call cost in USD (NULL: price unknown); the structured-output mode an endpoint
    # was found to take (--structured-output auto), so the next run asks for it without probing
    """
    ALTER TABLE calls ADD COLUMN cost_usd REAL;
    CREATE TABLE structured_outputs (
        endpoint TEXT PRIMARY KEY,
        mode TEXT NOT NULL,
        found TEXT NOT NULL
    );
    """,
]


def default_path() -> Path:
    """The run store used when none is given: runs.db in the cache directory."""
    return cache_dir() / "runs.db"


class RunStore:
    """Thread-safe access to the run store.

    Example:
        >>> store = RunStore(tmp_path / "runs.db")
        >>> store.cached_response("abc") is None
        True
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout = 30000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in filter(str.strip, script.split(";")):
                        self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {number}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def _one(self, sql: str, params: tuple) -> sqlite3.Row | None:
        """The first row ``sql`` selects, read under the lock: one connection serves every thread."""
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    def _all(self, sql: str, params: tuple) -> list[sqlite3.Row]:
        """Every row ``sql`` selects, read under the lock."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _write(self, sql: str, params: tuple) -> int | None:
        """Run one write under the lock; the id of the row it inserted, if it inserted one."""
        with self._lock:
            return self._db.execute(sql, params).lastrowid

    # ------------------------------------------------------------------ calls

    def cached_response(self, request_hash: str) -> str | None:
        """The latest response a model gave to this request, if one was stored (cache hits are not)."""
        row = self._one(
            "SELECT response FROM calls WHERE request_hash = ? AND response IS NOT NULL AND cached = 0 "
            "ORDER BY id DESC LIMIT 1",
            (request_hash,),
        )
        return row["response"] if row else None

    def record_call(
        self, *, run_id: int | None, model: str, endpoint: str, purpose: str | None, request_hash: str,
        request: dict, response: str | None, prompt_tokens: int | None = None,
        completion_tokens: int | None = None, duration_ms: int | None = None, error: str | None = None,
        cached: bool = False, cost_usd: float | None = None,
    ) -> int:
        """Log one model call (or cache hit); its id."""
        return self._write(
            "INSERT INTO calls (run_id, created, model, endpoint, purpose, request_hash, request, response,"
            " prompt_tokens, completion_tokens, duration_ms, error, cached, cost_usd)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, _now(), model, endpoint, purpose, request_hash, json.dumps(request, ensure_ascii=False), response,
             prompt_tokens, completion_tokens, duration_ms, error, int(cached), cost_usd),
        )

    def calls(
        self, run_id: int | None = None, limit: int = 50, *, model: str | None = None, search: str | None = None,
        full: bool = False,
    ) -> list[dict]:
        """Calls, newest first: of one run, of a model (a substring of its name), or whose prompt or
        answer holds ``search``; ``full`` adds each call's request and response."""
        columns = ("id, run_id, created, model, endpoint, purpose, prompt_tokens, completion_tokens, cost_usd, duration_ms,"
                   " error, cached")
        where, args = _filters(("run_id = ?", run_id), ("model LIKE ?", model and f"%{model}%"),
                               ("(request LIKE ? OR response LIKE ?)", search and (f"%{search}%",) * 2))
        query = f"SELECT {columns}{', request, response' if full else ''} FROM calls{where} ORDER BY id DESC LIMIT ?"
        return [_decoded(dict(r)) for r in self._all(query, (*args, limit))]

    def call(self, call_id: int) -> dict | None:
        """One call with its request (the messages sent) and its response."""
        row = self._one("SELECT * FROM calls WHERE id = ?", (call_id,))
        return _decoded(dict(row)) if row else None

    # ------------------------------------------------------------------ endpoints

    def structured_output(self, endpoint: str) -> str | None:
        """The structured-output mode ``endpoint`` (model@base_url) was found to take, if a run found one."""
        row = self._one("SELECT mode FROM structured_outputs WHERE endpoint = ?", (endpoint,))
        return row["mode"] if row else None

    def remember_structured_output(self, endpoint: str, mode: str) -> None:
        """Store the structured-output mode ``endpoint`` takes, for the next run."""
        self._write(
            "INSERT INTO structured_outputs (endpoint, mode, found) VALUES (?,?,?)"
            " ON CONFLICT(endpoint) DO UPDATE SET mode = excluded.mode, found = excluded.found",
            (endpoint, mode, _now()),
        )

    # ------------------------------------------------------------------ runs

    def start_run(self, source: str, article_ids: list[str], model: str, fingerprint: str | None = None) -> int:
        """Record a run as started; its id."""
        return self._write(
            "INSERT INTO runs (started, source, article_ids, model, fingerprint) VALUES (?,?,?,?,?)",
            (_now(), source, json.dumps(article_ids), model, fingerprint),
        )

    def finished_brief(self, fingerprint: str) -> tuple[int, str] | None:
        """The latest finished run with this fingerprint and its brief JSON, if there is one."""
        row = self._one(
            "SELECT id, brief FROM runs WHERE fingerprint = ? AND status = 'done' AND brief IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (fingerprint,),
        )
        return (row["id"], row["brief"]) if row else None

    def finish_run(self, run_id: int, *, brief_json: str | None = None, error: str | None = None,
                   fingerprint: str | None = None) -> None:
        """Mark the run done (or failed); ``fingerprint`` replaces the one it started with (the
        structured-output mode it ended in is not always the one it started in)."""
        self._write(
            "UPDATE runs SET finished = ?, status = ?, brief = ?, error = ?, fingerprint = COALESCE(?, fingerprint)"
            " WHERE id = ?",
            (_now(), "failed" if error else "done", brief_json, error, fingerprint, run_id),
        )

    def runs(self, limit: int = 20, *, model: str | None = None, source: str | None = None) -> list[dict]:
        """Runs, newest first, optionally of a model or a source folder (substrings)."""
        where, args = _filters(("r.model LIKE ?", model and f"%{model}%"), ("r.source LIKE ?", source and f"%{source}%"))
        rows = self._all(
            "SELECT r.id, r.started, r.finished, r.status, r.source, r.model, r.error, r.article_ids,"
            " (SELECT COUNT(*) FROM calls c WHERE c.run_id = r.id AND c.cached = 0) AS model_calls,"
            " (SELECT COUNT(*) FROM calls c WHERE c.run_id = r.id AND c.cached = 1) AS cached_calls"
            f" FROM runs r{where} ORDER BY r.id DESC LIMIT ?",
            (*args, limit),
        )
        return [dict(r) for r in rows]


def _filters(*conditions: tuple[str, Any]) -> tuple[str, tuple]:
    """A WHERE clause of the conditions whose value is set (a tuple value fills several ``?``)."""
    used = [(sql, value if isinstance(value, tuple) else (value,)) for sql, value in conditions if value is not None]
    if not used:
        return "", ()
    return " WHERE " + " AND ".join(sql for sql, _ in used), tuple(v for _, values in used for v in values)


def _decoded(row: dict) -> dict:
    """A call row with its stored JSON (request, response) as objects."""
    for key in ("request", "response"):
        if isinstance(row.get(key), str):
            try:
                row[key] = json.loads(row[key])
            except json.JSONDecodeError:
                pass
    return row


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
