"""The run store: one SQLite file shared by concurrent runs, versioned by migrations."""

from __future__ import annotations

import multiprocessing
import sqlite3

from summarizer.store import MIGRATIONS, RunStore

CALLS_PER_WRITER = 150


def write_calls(path: str, writer: int) -> None:
    store = RunStore(path)
    run_id = store.start_run(f"writer {writer}", [], "model")
    for i in range(CALLS_PER_WRITER):
        store.record_call(
            run_id=run_id, model="model", endpoint="endpoint", purpose="test", request_hash=f"{writer}-{i}",
            request={"i": i}, response='{"ok": true}', prompt_tokens=1, completion_tokens=1, duration_ms=1,
        )
    store.finish_run(run_id, brief_json="{}")
    store.close()


def test_concurrent_runs_share_one_store_file_without_losing_a_call(tmp_path):
    path = str(tmp_path / "runs.db")
    RunStore(path).close()  # migrate once, as the first run would
    writers = [multiprocessing.get_context("spawn").Process(target=write_calls, args=(path, w)) for w in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
        assert process.exitcode == 0

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM calls").fetchone()[0] == 4 * CALLS_PER_WRITER
        assert db.execute("SELECT COUNT(*) FROM runs WHERE status = 'done'").fetchone()[0] == 4


def test_a_new_store_is_migrated_to_the_latest_version_and_reopening_changes_nothing(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    store.start_run("x", ["a"], "m")
    store.close()

    reopened = RunStore(tmp_path / "runs.db")
    assert reopened._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert len(reopened.runs()) == 1


def test_a_failed_call_is_logged_but_never_served_as_a_cached_answer(tmp_path):
    store = RunStore(tmp_path / "runs.db")
    store.record_call(run_id=None, model="m", endpoint="e", purpose="p", request_hash="h", request={},
                      response=None, error="HTTP 500")
    assert store.cached_response("h") is None
    store.record_call(run_id=None, model="m", endpoint="e", purpose="p", request_hash="h", request={},
                      response='{"answer": 1}')
    assert store.cached_response("h") == '{"answer": 1}'
    assert [c["error"] for c in store.calls()] == [None, "HTTP 500"]
