"""The grammar checked lazily: the greedy pick is made first, and only that token checked against the grammar."""

# llama-cpp-python checks every token of the 151,936-token vocabulary against the tool's JSON
# grammar before each greedy pick (20-45 ms a token on two cores). Here the whole vocabulary is
# filtered only when the pick breaks the grammar. This is what llama.cpp's own
# ``common_sampler`` does, and at temperature 0 it picks exactly the same tokens.

from __future__ import annotations

import ctypes
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


def lazy_when_greedy(self: llama_cpp.Llama, **options):
    """``Llama._init_sampler``: the lazy grammar sampler for a greedy pick under a grammar, else the chain."""
    grammar = options.get("grammar")
    if grammar is None or options.get("temp") != 0.0 or options.get("logits_processor") is not None:
        return chain_sampler(self, **options)
    return LazyGrammarSampler(
        self, grammar, last_n=self.last_n_tokens_size, repeat=options.get("repeat_penalty", 1.0),
        frequency=options.get("frequency_penalty", 0.0), presence=options.get("presence_penalty", 0.0))


def _apply(sampler: lib.llama_sampler_p, candidates: np.ndarray) -> None:
    """Run one llama.cpp sampler over ``candidates`` (a _TOKEN_DATA array), in place."""
    array = lib.llama_token_data_array(
        data=candidates.ctypes.data_as(lib.llama_token_data_p), size=len(candidates), selected=-1, sorted=False)
    lib.llama_sampler_apply(sampler, ctypes.byref(array))
    if ctypes.cast(array.data, ctypes.c_void_p).value != candidates.ctypes.data:
        raise RuntimeError("a llama.cpp sampler replaced the candidate array")


chain_sampler = llama_cpp.Llama._init_sampler  # llama-cpp-python's own sampler chain, before install()
