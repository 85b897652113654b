"""The model's state after each stage's fixed instructions, kept on disk so that later runs load it."""

from __future__ import annotations

import ctypes
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import llama_cpp
import llama_cpp.llama_cpp as lib

class PrefixStates:
    """The model's state after a request's fixed instructions, kept on disk across runs.

    Every call of one pipeline stage opens with the same system message and tool (the first
    ~370-880 tokens of its prompt); the prompt cache reuses them within a run, but each run
    processed each stage's instructions once more. Here the first whole batches of them are
    evaluated on their own and the sequence's state (its KV cache, ~28 KB a token) is written
    to ``folder``, keyed by the tokens, the model and llama.cpp's version; a later request
    that opens the same way loads it instead of evaluating them.
    """

    def __init__(self, folder: Path, keep: int = 12):
        self.root, self.keep = folder, keep

    def folder(self, llama: llama_cpp.Llama) -> Path:
        """This model's and this llama.cpp's own subfolder."""
        model = Path(llama.model_path)
        identity = f"{model.name}:{model.stat().st_size}:{llama_cpp.__version__}"
        return self.root / hashlib.sha256(identity.encode()).hexdigest()[:16]

    def restore(self, llama: llama_cpp.Llama, tokens: Sequence[int]) -> int:
        """Put the state after ``tokens``' fixed prefix in the context; the tokens loaded from
        disk (0 when the context held it already or it was computed and saved).

        The prefix kept is the instructions cut down to whole batches (``n_batch``, 512): a
        prompt is evaluated batch by batch, so the state after them is exactly what evaluating
        the whole prompt computes, and every answer is the same as without stored states. (Cut
        anywhere else, the batches differ, the logits differ by float noise, and on the samples
        the 1.5B model's claimants changed: fact claimant accuracy 0.70 -> 0.60.)
        """
        step = llama.n_batch  # Llama.eval's batches; llama.cpp cuts each into n_ubatch ones
        if step % lib.llama_n_ubatch(llama._ctx.ctx):
            return 0
        length = _instructions_length(llama, tokens) // step * step
        if length == 0:
            return 0
        if llama.longest_token_prefix(llama._input_ids, tokens[:length]) == length:
            return 0
        path = self.folder(llama) / (hashlib.sha256(np.asarray(tokens[:length], dtype=np.int32).tobytes()).hexdigest() + ".kv")
        if path.exists() and self._load(llama, path, tokens[:length]):
            os.utime(path)  # the newest are kept
            return length
        # From the first token, whatever the context held: the state is the same computed or
        # loaded, and no longer depends on which request came before.
        llama._ctx.kv_cache_seq_rm(-1, 0, -1)
        llama.n_tokens = 0
        llama.eval(tokens[:length])
        self._save(llama, path)
        return 0

    def _load(self, llama: llama_cpp.Llama, path: Path, prefix: Sequence[int]) -> bool:
        data = path.read_bytes()
        llama._ctx.kv_cache_seq_rm(-1, 0, -1)
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        if lib.llama_state_seq_set_data(llama._ctx.ctx, buffer, len(data), 0) != len(data):
            llama._ctx.kv_cache_seq_rm(-1, 0, -1)
            llama.n_tokens = 0
            return False
        llama.input_ids[: len(prefix)] = prefix
        llama.n_tokens = len(prefix)
        llama._requires_eval = True
        return True

    def _save(self, llama: llama_cpp.Llama, path: Path) -> None:
        size = lib.llama_state_seq_get_size(llama._ctx.ctx, 0)
        buffer = (ctypes.c_uint8 * size)()
        written = lib.llama_state_seq_get_data(llama._ctx.ctx, buffer, size, 0)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(bytes(buffer)[:written])
            partial.replace(path)
            for stale in sorted(path.parent.glob("*.kv"), key=lambda p: p.stat().st_mtime, reverse=True)[self.keep:]:
                stale.unlink(missing_ok=True)
        except OSError as error:  # a full disk costs the next run this prefix, not this request
            partial.unlink(missing_ok=True)
            print(f"summarizer_prefix: not kept ({error})", file=sys.stderr, flush=True)


def _instructions_length(llama: llama_cpp.Llama, tokens: Sequence[int]) -> int:
    """Where the user's first turn begins in a ChatML prompt (its second ``<|im_start|>``), or 0."""
    marker = llama.tokenize(b"<|im_start|>", add_bos=False, special=True)
    if len(marker) != 1:
        return 0
    starts = [i for i, token in enumerate(tokens) if token == marker[0]]
    return starts[1] if len(starts) > 1 else 0
