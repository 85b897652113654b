"""Answers drafted from what came before (prompt lookup decoding), where a drafted pass pays on this machine."""

# A tool call's JSON repeats its keys and many of its values (``", "by": "reporter", "when": null},
# {"n": ``), and copies names and figures from the prompt. After each token the server looks up the
# latest earlier place where the last few tokens occurred and proposes the three tokens that
# followed there; the model checks them in one batch of four and keeps the longest prefix it picks
# itself under the grammar. That pays only where a batch of four costs less than about two single
# tokens (1.8 on one 2-core Xeon, 2.3-3 on a 2-core EPYC): the server times both when it loads the
# model and drafts only if it pays (``DRAFT_PAYS_BELOW``). A batch is computed by other kernels
# than a single token, which add in another order: the logits agree to float precision, so an
# answer can differ only where two tokens were all but tied.

from __future__ import annotations

import sys
import time

import numpy as np

import llama_cpp
from llama_cpp.llama_speculative import LlamaDraftModel

from summarizer.local.runtime.decoding import decode_with_logits, plain_eval

DRAFT_TOKENS = 3  # per pass: with the token before them, a batch of four (see LatestLookupDraft)
# A drafted pass yields 2.25 tokens on the samples' requests (1.25 of 3 draft tokens kept): it
# pays where a batch of four costs less than about two single tokens. Measured on two 2-core
# machines: a Xeon at 1.8x (drafting cut generation 331 s -> 263 s), an EPYC at 2.3-3x
# (drafting raised it 157 s -> 191 s). The server measures its own machine when it loads.
DRAFT_PAYS_BELOW = 2.0


class LatestLookupDraft(LlamaDraftModel):
    """Draft tokens: the ``max_tokens`` that followed the latest earlier occurrence of the last
    three tokens, or else of the last two.

    The latest occurrence is taken because in a JSON answer the item just written predicts the
    next one better than the example in the instructions does. A single-token match is not
    used: it is wrong too often to pay for its batch. Three tokens because a batch of four costs
    about 1.8 single tokens on two cores (llama.cpp's repacked kernels take rows four at a time),
    while longer drafts are rarely kept to their end (``benchmarks/README.md`` has the figures).
    """

    def __init__(self, max_tokens: int = DRAFT_TOKENS, ngrams: tuple[int, ...] = (3, 2)):
        self.max_tokens, self.ngrams = max_tokens, ngrams

    def __call__(self, input_ids: np.ndarray, /, **kwargs) -> np.ndarray:
        ids = np.asarray(input_ids)
        for n in self.ngrams:
            if len(ids) <= n:
                continue
            earlier = np.lib.stride_tricks.sliding_window_view(ids[:-1], n)
            hits = np.flatnonzero((earlier == ids[-n:]).all(axis=1))
            if len(hits):
                return ids[hits[-1] + n:][: self.max_tokens]
        return ids[:0]


def with_draft(init, draft_tokens: int, *, measure: bool):
    """``Llama.__init__`` that sets a ``LatestLookupDraft`` (with ``measure``, only where a drafted pass pays)."""
    def __init__(self: llama_cpp.Llama, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        if self.draft_model is not None or self._logits_all:
            return
        if measure:
            one, batch = pass_seconds(self, 1 + draft_tokens)
            pays = batch < DRAFT_PAYS_BELOW * one
            print(f"summarizer_draft: a pass of 1 token {one * 1000:.1f} ms, of {1 + draft_tokens} tokens "
                  f"{batch * 1000:.1f} ms ({batch / one:.2f}x): drafting {'on' if pays else 'off'} "
                  f"(it pays below {DRAFT_PAYS_BELOW:g}x)", file=sys.stderr, flush=True)
            if not pays:
                return
        self.draft_model = LatestLookupDraft(draft_tokens)
    return __init__


# What a pass is timed on: news prose, about 32 tokens (benchmarks/run.py times passes on it too).
TIMING_TEXT = (b"The army said two soldiers were killed and ten wounded in the fighting near the border"
               b" on Saturday, while the rebels claimed that dozens of fighters had been captured. ")


def pass_seconds(llama: llama_cpp.Llama, batch: int, repeats: int = 7) -> tuple[float, float]:
    """Median seconds of one forward pass of 1 token and of ``batch`` tokens (with logits for
    each, as a draft check needs), after a 64-token prompt; the context is emptied after."""
    tokens = llama.tokenize(TIMING_TEXT * 4)
    prompt, following = tokens[:64], tokens[64:64 + batch]
    assert len(following) == batch, "the timing text is too short for the batch"
    plain_eval(llama, prompt)
    seconds: dict[int, list[float]] = {1: [], batch: []}
    for _ in range(repeats):
        for size in seconds:
            started = time.perf_counter()
            decode_with_logits(llama, following[:size], len(prompt))
            seconds[size].append(time.perf_counter() - started)
    llama._ctx.kv_cache_seq_rm(-1, 0, -1)
    llama.reset()
    return float(np.median(seconds[1])), float(np.median(seconds[batch]))
