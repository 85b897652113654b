"""The embedded model's server process: llama-cpp-python's OpenAI-compatible server, two changes.

Run as ``python -m summarizer.local_server --model FILE ...`` (the same arguments as
``python -m llama_cpp.server``); ``local_model.LocalServer`` starts it. The two changes:

- **No AMX.** On CPUs with AMX (Intel Sapphire Rapids and later) a natively built llama.cpp
  repacks Q4_K weights for AMX and then crashes in ``ggml_backend_amx_mul_mat`` on the first
  request (ggml-org/llama.cpp#20824; seen on this project's 2-core machines). The server
  process is refused the kernel's AMX permission (a seccomp filter on that one
  ``arch_prctl``), which ggml checks before it uses AMX: it then repacks for AVX2/AVX-512
  instead. Where no filter can be set, extra weight buffers are switched off altogether.
- **The grammar is checked lazily.** llama-cpp-python checks every token of the 151,936-token
  vocabulary against the tool's JSON grammar before each greedy pick (20-45 ms a token on two
  cores). Here the greedy pick is made first and only that token is checked; the whole
  vocabulary is filtered only when the pick breaks the grammar. This is what llama.cpp's own
  ``common_sampler`` does, and at temperature 0 it picks exactly the same tokens.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys
from collections import deque

import numpy as np

import llama_cpp
import llama_cpp.llama_cpp as lib
from llama_cpp.llama_grammar import LlamaGrammar

_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)
assert _TOKEN_DATA.itemsize == ctypes.sizeof(lib.llama_token_data)


class LazyGrammarSampler:
    """Greedy sampling under a grammar, with the repeat penalties of llama-cpp-python's chain.

    It picks what the chain penalties -> grammar -> greedy picks: both filters only lower
    logits, so when the best token overall passes the grammar it is also the best that passes.
    Penalties change only the tokens generated in the last ``last_n``, so llama.cpp's penalty
    sampler is run on those few instead of on the whole vocabulary (its header warns that the
    whole vocabulary is slow).
    """

    def __init__(self, llama: llama_cpp.Llama, grammar: LlamaGrammar, *, last_n: int,
                 repeat: float, frequency: float, presence: float):
        self._n_vocab = llama._n_vocab
        self._penalties = lib.llama_sampler_init_penalties(self._n_vocab, last_n, repeat, frequency, presence)
        self._grammar = lib.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not self._grammar:
            raise ValueError("llama.cpp could not parse the grammar")
        self._recent: deque[int] = deque(maxlen=max(last_n, 0))
        self._candidates = np.zeros(self._n_vocab, dtype=_TOKEN_DATA)
        self._candidates["id"] = np.arange(self._n_vocab, dtype=np.int32)

    def sample(self, ctx: llama_cpp._internals.LlamaContext, idx: int = -1) -> int:
        scores = self._candidates["logit"]
        scores[:] = np.ctypeslib.as_array(lib.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,))
        if self._recent:
            ids = np.unique(np.fromiter(self._recent, dtype=np.int32))
            recent = np.zeros(len(ids), dtype=_TOKEN_DATA)
            recent["id"] = ids
            recent["logit"] = scores[ids]
            _apply(self._penalties, recent)
            scores[recent["id"]] = recent["logit"]
        token = int(np.argmax(scores))
        if not self._allowed(token):
            _apply(self._grammar, self._candidates)
            token = int(np.argmax(scores))
        lib.llama_sampler_accept(self._grammar, token)
        lib.llama_sampler_accept(self._penalties, token)
        self._recent.append(token)
        return token

    def _allowed(self, token: int) -> bool:
        one = np.array([(token, 1.0, 0.0)], dtype=_TOKEN_DATA)
        _apply(self._grammar, one)
        return bool(np.isfinite(one[0]["logit"]))

    def __del__(self) -> None:
        for sampler in (getattr(self, "_grammar", None), getattr(self, "_penalties", None)):
            if sampler:
                lib.llama_sampler_free(sampler)


def _apply(sampler: lib.llama_sampler_p, candidates: np.ndarray) -> None:
    """Run one llama.cpp sampler over ``candidates`` (a _TOKEN_DATA array), in place."""
    array = lib.llama_token_data_array(
        data=candidates.ctypes.data_as(lib.llama_token_data_p), size=len(candidates), selected=-1, sorted=False)
    lib.llama_sampler_apply(sampler, ctypes.byref(array))
    if ctypes.cast(array.data, ctypes.c_void_p).value != candidates.ctypes.data:
        raise RuntimeError("a llama.cpp sampler replaced the candidate array")


def refuse_amx() -> bool:
    """Make the kernel refuse this process AMX tile data (Linux x86-64); False if it cannot.

    A seccomp filter answers EPERM to ``arch_prctl(ARCH_REQ_XCOMP_PERM, ...)`` and allows every
    other call. ggml asks exactly that before it uses AMX, and takes the refusal as "no AMX".
    """
    if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
        return False
    seccomp_data_arch, seccomp_data_nr, seccomp_data_arg0 = 4, 0, 16
    load, jump_if_equal, give = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
    program = b"".join(struct.pack("HBBI", *instruction) for instruction in [
        (load, 0, 0, seccomp_data_arch), (jump_if_equal, 0, 4, _AUDIT_ARCH_X86_64),
        (load, 0, 0, seccomp_data_nr), (jump_if_equal, 0, 2, _SYS_ARCH_PRCTL),
        (load, 0, 0, seccomp_data_arg0), (jump_if_equal, 1, 0, _ARCH_REQ_XCOMP_PERM),
        (give, 0, 0, _SECCOMP_RET_ALLOW), (give, 0, 0, _SECCOMP_RET_ERRNO | errno.EPERM),
    ])

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    filters = SockFprog(len(program) // 8, program)
    return (libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
            and libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(filters), 0, 0) == 0)


_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
_AUDIT_ARCH_X86_64, _SYS_ARCH_PRCTL, _ARCH_REQ_XCOMP_PERM = 0xC000003E, 158, 0x1023


def _without_extra_buffers() -> lib.llama_model_params:
    params = _default_model_params()
    params.use_extra_bufts = False
    return params


def _lazy_when_greedy(self: llama_cpp.Llama, **options):
    grammar = options.get("grammar")
    if grammar is None or options.get("temp") != 0.0 or options.get("logits_processor") is not None:
        return _chain_sampler(self, **options)
    return LazyGrammarSampler(
        self, grammar, last_n=self.last_n_tokens_size, repeat=options.get("repeat_penalty", 1.0),
        frequency=options.get("frequency_penalty", 0.0), presence=options.get("presence_penalty", 0.0))


_default_model_params = lib.llama_model_default_params
_chain_sampler = llama_cpp.Llama._init_sampler


def main() -> None:
    if not refuse_amx():
        lib.llama_model_default_params = _without_extra_buffers  # llama.py reads it from this module
    llama_cpp.Llama._init_sampler = _lazy_when_greedy
    from llama_cpp.server.__main__ import main as serve

    sys.argv[0] = "summarizer.local_server"
    serve()


if __name__ == "__main__":
    main()
