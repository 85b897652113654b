"""Shared fixtures. The LLM is replaced only by ``scripted_llm`` (see tests/scripted_server.py)."""

from __future__ import annotations

import signal

import pytest

from scripted_server import ScriptedServer


def pytest_configure(config: pytest.Config) -> None:
    # A shell that starts pytest in the background hands it SIGINT ignored, and every process a
    # test starts would inherit that. Handled here, SIGINT reaches those processes as a terminal
    # delivers Ctrl-C, which the interrupt tests rely on.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own cache folder, never the user's."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.mktemp("summarizer-cache")))


@pytest.fixture
def scripted_llm():
    """A started ScriptedServer (empty script: ``enqueue`` steps or set ``responder``); stopped after."""
    with ScriptedServer() as server:
        yield server


@pytest.fixture(scope="session")
def embedded_model_cache(tmp_path_factory: pytest.TempPathFactory):
    """A cache folder holding the assembled embedded model, built once per test session."""
    pytest.importorskip("llama_cpp", reason="needs the local extra: pip install 'incident-brief[local]'")
    from summarizer.local.weights import ensure_model

    cache = tmp_path_factory.mktemp("embedded-model")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMARIZER_CACHE_DIR", str(cache))
        ensure_model(progress=False)
    return cache


@pytest.fixture
def embedded_model(embedded_model_cache, monkeypatch: pytest.MonkeyPatch):
    """Point this test at the session's assembled model, with no remote endpoint configured."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(embedded_model_cache))
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    yield embedded_model_cache
    from summarizer.local.server import stop_shared_server

    stop_shared_server()
