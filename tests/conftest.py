"""Shared fixtures. The LLM is replaced only by ``scripted_llm`` (see tests/scripted_server.py)."""

from __future__ import annotations

import pytest

from scripted_server import ScriptedServer


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own cache folder, never the user's."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path_factory.mktemp("summarizer-cache")))


@pytest.fixture
def scripted_llm():
    """A started ScriptedServer (empty script: ``enqueue`` steps or set ``responder``); stopped after."""
    with ScriptedServer() as server:
        yield server
