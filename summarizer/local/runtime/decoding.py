"""``Llama.eval`` and ``Llama.generate`` as installed: logits only where a draft is checked, and one line a request."""

from __future__ import annotations

import sys
import time

import llama_cpp

from summarizer.local.runtime.prefix import PrefixStates

def eval_drafts_with_logits(self: llama_cpp.Llama, tokens) -> None:
    """``Llama.eval``, except that a batch short enough to carry draft tokens gets logits for
    every token (each position is sampled to check the draft), and nothing else does; timed.

    llama-cpp-python instead turns on ``logits_all`` for the whole context when a draft model is
    set: logits over the 151,936-token vocabulary for every prompt token (extra prompt time) and
    a copy of them into an n_ctx x n_vocab array (5 GB at n_ctx 8192).
    """
    started = time.perf_counter()
    if self.draft_model is None or not 0 < len(tokens) <= self.draft_model.max_tokens + 1:
        plain_eval(self, tokens)
    else:
        decode_with_logits(self, tokens, self.n_tokens)
        self.input_ids[self.n_tokens: self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self._requires_eval = False
    if log := getattr(self, "_decode_log", None):
        log.evaluated(len(tokens), time.perf_counter() - started)


def decode_with_logits(llama: llama_cpp.Llama, tokens, n_past: int, *, every: bool = True) -> None:
    """Decode ``tokens`` after the first ``n_past`` of the context, with logits for each (or,
    not ``every``, for the last only)."""
    llama._ctx.kv_cache_seq_rm(-1, n_past, -1)
    llama._batch.set_batch(batch=tokens, n_past=n_past, logits_all=every)
    llama._ctx.decode(llama._batch)


class DecodeLog:
    """One request's forward passes: the prompt's, and generation's with their draft tokens.

    llama.cpp's own timings count any batch of more than one token as prompt processing, so a
    draft check would be booked there; this log keeps the two apart. One line per request on
    stderr (the server log), which ``benchmarks/run.py`` reads.
    """

    def __init__(self) -> None:
        self.prompt_tokens = self.passes = self.drafted = self.output_tokens = self.prefix_loaded = 0
        self.prompt_s = self.generation_s = 0.0

    def evaluated(self, tokens: int, seconds: float) -> None:
        if self.output_tokens == 0:  # the prompt (or what the prompt cache did not hold)
            self.prompt_tokens, self.prompt_s = self.prompt_tokens + tokens, self.prompt_s + seconds
        else:
            self.passes, self.drafted = self.passes + 1, self.drafted + tokens - 1
            self.generation_s += seconds

    def line(self) -> str:
        kept = max(self.output_tokens - 1 - self.passes, 0)  # each pass yields its own token + the drafts kept
        return (f"summarizer_decode: prompt {self.prompt_tokens} tokens {self.prompt_s * 1000:.1f} ms; "
                f"output {self.output_tokens} tokens {self.generation_s * 1000:.1f} ms "
                f"in {self.passes} passes; draft {self.drafted} tokens, {kept} kept; "
                f"instructions {self.prefix_loaded} tokens loaded")


def logged_generate(prefix_states: PrefixStates | None):
    """``Llama.generate`` that first loads the instructions' state from ``prefix_states`` (if given), and logs
    each request's ``summarizer_decode`` line."""
    def generate(self: llama_cpp.Llama, tokens, **options):
        self._decode_log = log = DecodeLog()
        try:
            if prefix_states is not None and options.get("reset", True):
                started = time.perf_counter()
                log.prefix_loaded = prefix_states.restore(self, list(tokens))
                if log.prefix_loaded:
                    log.prompt_s += time.perf_counter() - started
            generated = _plain_generate(self, tokens, **options)
            sent = None
            while True:
                token = generated.send(sent)
                log.output_tokens += 1
                sent = yield token
        except StopIteration:
            return
        finally:
            generated.close()
            self._decode_log = None
            print(log.line(), file=sys.stderr, flush=True)
    return generate


plain_eval = llama_cpp.Llama.eval  # llama-cpp-python's own, before install()
_plain_generate = llama_cpp.Llama.generate
