"""The embedded model's server: llama.cpp's OpenAI-compatible server for the weights, on loopback.

``LocalServer`` runs it (``summarizer.local.runtime`` inside the process) on a free loopback port;
``shared_server()`` keeps one such server for a whole run. The weights are ``local.weights``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import http.client
import inspect
import itertools
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from summarizer.errors import SummarizerError
from summarizer.settings import cache_dir
from summarizer.local.weights import ensure_model, check_model_file


SERVED_MODEL_ALIAS = "local"
_LOOPBACK = "127.0.0.1"
_STOP_GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# llama_cpp.server reads settings from environment variables of the same name (case-insensitive,
# and PORT/HOST even over its command line), so a user's PORT or API_KEY would reconfigure it;
# these are the fields of llama_cpp/server/settings.py (0.3.36) plus CONFIG_FILE.
SERVER_SETTING_NAMES = frozenset(
    """
    model model_alias n_gpu_layers split_mode main_gpu tensor_split vocab_only use_mmap
    use_mlock kv_overrides rpc_servers seed n_ctx n_batch n_ubatch n_threads n_threads_batch
    rope_scaling_type rope_freq_base rope_freq_scale yarn_ext_factor yarn_attn_factor
    yarn_beta_fast yarn_beta_slow yarn_orig_ctx mul_mat_q logits_all embedding offload_kqv
    flash_attn last_n_tokens_size lora_base lora_path numa chat_format chat_template_kwargs
    clip_model_path cache cache_type cache_size hf_tokenizer_config_path
    hf_pretrained_model_name_or_path hf_model_repo_id draft_model draft_model_num_pred_tokens
    type_k type_v verbose host port ssl_keyfile ssl_certfile api_key interrupt_requests
    disable_ping_events root_path config_file models
    """.split()
)


class LocalServer:
    """llama-cpp-python's OpenAI-compatible server for one GGUF file, on a free loopback port.

    Its output goes to a log file under ``cache_dir()/logs``. It is stopped on ``stop()``, on
    leaving the ``with`` block (Ctrl-C included), at interpreter exit, and on Linux also when
    this process is killed outright (the child asks the kernel for SIGKILL when its parent dies).

    Example: ``with LocalServer(ensure_model()) as server: OpenAI(base_url=server.base_url, api_key="local")``
    """

    def __init__(
        self,
        model_path: Path,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        startup_timeout: float = 120,
        *,
        alias: str = SERVED_MODEL_ALIAS,
        draft_tokens: int = 3,
        prefix_states: Path | None | bool = True,
    ) -> None:
        self.model_path = Path(model_path)
        self.n_ctx = n_ctx
        self.draft_tokens = draft_tokens  # per forward pass, from prompt lookup; 0 turns drafting off
        # The model's state after each stage's fixed instructions, kept across runs
        # (local.runtime.PrefixStates); False keeps none.
        self.prefix_states = cache_dir() / "prefix-states" if prefix_states is True else prefix_states or None
        self.n_threads = n_threads or available_cpu_count()
        self.startup_timeout = startup_timeout
        self.log_path: Path | None = None
        self._alias = alias
        self._process: subprocess.Popen[bytes] | None = None
        self._owner_pid: int | None = None
        self._port: int | None = None
        self._log_file: Any = None
        self._lock = threading.RLock()

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL, e.g. ``http://127.0.0.1:41234/v1``."""
        if self._port is None:
            raise RuntimeError("LocalServer.base_url is known only after start()")
        return f"http://{_LOOPBACK}:{self._port}/v1"

    @property
    def model(self) -> str:
        """The model name to send in requests (the alias the server was started with)."""
        return self._alias

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self.is_running() else None

    def is_running(self) -> bool:
        """Whether this process started the server and it has not exited."""
        process = self._process
        return process is not None and self._owner_pid == os.getpid() and process.poll() is None

    def start(self) -> LocalServer:
        """Start the server and wait until ``GET /v1/models`` answers 200; a no-op if running.

        Raises ``ModelFileError`` for a bad model file and ``SummarizerError`` (naming the log
        file) if the server exits early or does not answer within ``startup_timeout`` seconds.

        Example: ``server = LocalServer(ensure_model()).start()``
        """
        with self._lock:
            if self.is_running():
                return self
            model = check_model_file(self.model_path)
            self.log_path = _new_log_path()
            try:
                # Another program can take the probed port before the server binds it; retry then.
                for attempt in range(3):
                    self._spawn(model, _free_loopback_port())
                    if self._wait_until_ready(last_attempt=attempt == 2):
                        return self
                raise AssertionError("unreachable: the last attempt raises")
            except BaseException:
                self.stop()
                raise

    def stop(self) -> None:
        """Stop the server: SIGTERM, then SIGKILL after a grace period. Safe to call twice.

        Example: ``server.stop()``
        """
        with self._lock:
            process, self._process = self._process, None
            owned = self._owner_pid == os.getpid()
            try:
                # A forked copy of this object must not stop the server its parent still uses.
                if process is not None and owned and process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(_STOP_GRACE_SECONDS)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
            except BaseException:
                if process is not None and owned:
                    process.kill()
                    process.wait()
                raise
            finally:
                if self._log_file is not None:
                    self._log_file.close()
                    self._log_file = None
                atexit.unregister(self.stop)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self.is_running() else "stopped"
        return f"LocalServer({self.model_path.name!r}, {where})"

    def command(self, model: Path, port: int) -> list[str]:
        """The server process's command line for the model on the port."""
        threads = str(self.n_threads)
        return [
            sys.executable, "-m", "summarizer.local.runtime",
            "--draft_tokens", str(self.draft_tokens),  # read by summarizer.local.runtime itself
            *(["--prefix_states", str(self.prefix_states)] if self.prefix_states else []),  # and this
            "--model", str(model),
            "--model_alias", self._alias,
            "--host", _LOOPBACK,
            "--port", str(port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", threads,
            # Its default is every CPU of the machine, ignoring this process's affinity.
            "--n_threads_batch", threads,
            # Its default is on: logits over the whole vocabulary for every prompt token, copied
            # into a numpy array (~0.6 MB a token; ~12 s of a 1,400-token prompt on two cores).
            # Only logprobs need them, which the pipeline never asks for.
            "--logits_all", "false",
        ]

    def _spawn(self, model: Path, port: int) -> None:
        command = self.command(model, port)
        if self._log_file is None:
            assert self.log_path is not None
            self._log_file = self.log_path.open("ab")
        self._log_file.write(f"$ {shlex.join(command)}\n".encode())
        self._log_file.flush()

        def launch() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                env=_server_environment(),
                # Own session: Ctrl-C in the terminal reaches us, and stop() decides the server's end.
                start_new_session=True,
                preexec_fn=_die_with_parent_hook(),
            )

        self._process = _launch_from_long_lived_thread(launch)
        self._owner_pid = os.getpid()
        self._port = port
        atexit.register(self.stop)

    def _wait_until_ready(self, *, last_attempt: bool) -> bool:
        """True once the server answers; False if it lost its port and may retry; else raise."""
        assert self._process is not None and self.log_path is not None
        url = f"{self.base_url}/models"
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._process.poll()
            if code is not None:
                last_line = _last_line(self.log_path)
                if not last_attempt and "address already in use" in last_line.lower():
                    self._process = None
                    return False
                raise SummarizerError(
                    f"the local model server exited with code {code} while starting "
                    f"({last_line or 'no output'}): see {self.log_path}"
                )
            if _answers_ok(url):
                return True
            if time.monotonic() > deadline:
                raise SummarizerError(
                    f"the local model server did not answer on {self.base_url} within "
                    f"{self.startup_timeout:g} s: see {self.log_path}"
                )
            time.sleep(0.2)


def available_cpu_count() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count).

    Example: ``available_cpu_count()`` -> ``2``
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_shared: tuple[tuple[Any, ...], LocalServer] | None = None
_shared_lock = threading.Lock()


def shared_server(model_path: Path | None = None, **server_options: Any) -> LocalServer:
    """The one server of this process, started on first use and reused by later calls.

    With no ``model_path`` it serves ``ensure_model()``. Asking for another model or other
    options replaces the running server; a server that died is started again.

    Example: ``server = shared_server(); OpenAI(base_url=server.base_url, api_key="local")``
    """
    global _shared
    with _shared_lock:
        key = server_key(model_path, **server_options)
        if _shared is not None:
            shared_key, server = _shared
            if shared_key == key and server.is_running():
                return server
            server.stop()
            _shared = None
        path = ensure_model() if model_path is None else Path(model_path)
        server = LocalServer(path, **server_options).start()
        _shared = (key, server)
        return server


def server_key(model_path: Path | None = None, **server_options: Any) -> tuple:
    """What tells one shared server from another: the model and every option as the server takes
    it, defaults filled in, so that ``n_ctx=8192`` asks for the server that no option started.

    Example: ``server_key() == server_key(n_ctx=8192) != server_key(n_ctx=4096)``
    """
    bound = inspect.signature(LocalServer).bind_partial(**server_options)
    bound.apply_defaults()
    return (None if model_path is None else Path(model_path),
            sorted((name, value) for name, value in bound.arguments.items() if name != "model_path"))


def stop_shared_server() -> None:
    """Stop the server ``shared_server()`` started, if any (it also stops at exit).

    Example: ``stop_shared_server()``
    """
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared[1].stop()
            _shared = None


_log_numbers = itertools.count(1)
_LOGS_KEPT = 20


def _new_log_path() -> Path:
    """A fresh log file name under cache_dir()/logs; only the newest few logs are kept."""
    logs = cache_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # Each run adds a log; without pruning the cache would grow by one file per run forever.
    for old_log in sorted(logs.glob("local-server-*.log"))[: -_LOGS_KEPT + 1]:
        with contextlib.suppress(OSError):
            old_log.unlink()
    started = time.strftime("%Y%m%d-%H%M%S")
    return logs / f"local-server-{started}-{os.getpid()}-{next(_log_numbers)}.log"


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((_LOOPBACK, 0))
        return probe.getsockname()[1]


def _answers_ok(url: str) -> bool:
    # No proxies: a user's HTTP_PROXY must not intercept a loopback health check.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, http.client.HTTPException, OSError):
        return False


def _last_line(log: Path) -> str:
    """The last non-empty line of a log, shortened, to quote in a one-line error."""
    try:
        with log.open("rb") as stream:
            stream.seek(max(0, log.stat().st_size - 4096))
            tail = stream.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def _server_environment() -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name.lower() not in SERVER_SETTING_NAMES
    }
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A preexec_fn that makes the kernel SIGKILL the child when its parent dies (Linux only).

    SIGKILL, not SIGTERM: on SIGTERM the server finishes the request it is generating first,
    which can keep both cores busy for minutes after the run that wanted it is gone.
    """
    if not sys.platform.startswith("linux"):
        return None
    # Resolved before fork so the child makes one plain C call and nothing else.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()
    sigkill = int(signal.SIGKILL)

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, sigkill)
        # If the parent died before prctl ran, no signal will ever come: give up now.
        if os.getppid() != parent:
            os._exit(1)

    return die_with_parent


_launcher: ThreadPoolExecutor | None = None
_launcher_lock = threading.Lock()


def _launch_from_long_lived_thread(
    launch: Callable[[], subprocess.Popen[bytes]],
) -> subprocess.Popen[bytes]:
    """Run ``launch`` on the main thread or on one thread that lives as long as the process."""
    # PR_SET_PDEATHSIG fires when the *thread* that forked the child ends, so a server started
    # from a short-lived worker thread would be killed as soon as that worker finished.
    if threading.current_thread() is threading.main_thread():
        return launch()
    global _launcher
    with _launcher_lock:
        if _launcher is None:
            _launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-server-launcher")
    return _launcher.submit(launch).result()
