"""The embedded model's server process: llama-cpp-python's OpenAI-compatible server, three changes.

Run as ``python -m summarizer.local.runtime [--draft_tokens N] [--always_draft] --model FILE ...`` (otherwise the
same arguments as ``python -m llama_cpp.server``); ``local.server.LocalServer`` starts it. The
three changes:

- **No AMX.** On CPUs with AMX (Intel Sapphire Rapids and later) a natively built llama.cpp
  repacks Q4_K weights for AMX and then crashes in ``ggml_backend_amx_mul_mat`` on the first
  request (ggml-org/llama.cpp#20824; seen on this project's 2-core machines). The server
  process is refused the kernel's AMX permission (a seccomp filter on that one
  ``arch_prctl``), which ggml checks before it uses AMX: it then repacks for AVX2/AVX-512
  instead. Where no filter can be set, extra weight buffers are switched off altogether.
  Granting the permission does not help: the crash is an invalid tile configuration at the
  ``ldtilecfg`` in the compiled library (measured 2026-12-03; ggml-org/llama.cpp#26954, open).
- **The grammar is checked lazily.** llama-cpp-python checks every token of the 151,936-token
  vocabulary against the tool's JSON grammar before each greedy pick (20-45 ms a token on two
  cores). Here the greedy pick is made first and only that token is checked; the whole
  vocabulary is filtered only when the pick breaks the grammar. This is what llama.cpp's own
  ``common_sampler`` does, and at temperature 0 it picks exactly the same tokens.
- **Answers are drafted from what came before (prompt lookup decoding).** A tool call's JSON
  repeats its keys and many of its values (``", "by": "reporter", "when": null}, {"n": ``), and
  copies names and figures from the prompt. After each token the server looks up the latest
  earlier place where the last few tokens occurred and proposes the three tokens that followed
  there; the model checks them in one batch of four and keeps the longest prefix it picks
  itself under the grammar. That pays only where a batch of four costs less than about two
  single tokens (1.8 on one 2-core Xeon, 2.3-3 on a 2-core EPYC): the server times both when it
  loads the model and drafts only if it pays (``DRAFT_PAYS_BELOW``). A batch is
  computed by other kernels than a single token, which add in another order: the logits agree
  to float precision, so an answer can differ only where two tokens were all but tied.

The server's own ``logits_all`` default (logits of every prompt token, copied into Python) is
turned off by ``LocalServer``'s command line; each request logs one ``summarizer_decode`` line.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import hashlib
import os
import platform
import struct
import sys
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import llama_cpp
import llama_cpp.llama_cpp as lib
from llama_cpp.llama_grammar import LlamaGrammar
from llama_cpp.llama_speculative import LlamaDraftModel

# The llama-cpp-python whose internals this module replaces (``pyproject.toml`` pins it exactly):
# another release may rename them or change what they do, so it is refused, not patched blind.
PATCHED_VERSION = "0.3.36"
if llama_cpp.__version__ != PATCHED_VERSION:
    raise ImportError(f"summarizer's embedded model is written for llama-cpp-python {PATCHED_VERSION}, not "
                      f"{llama_cpp.__version__}: run pip install 'incident-brief[local]', which pins it")

DRAFT_TOKENS = 3  # per pass: with the token before them, a batch of four (see LatestLookupDraft)
# A drafted pass yields 2.25 tokens on the samples' requests (1.25 of 3 draft tokens kept): it
# pays where a batch of four costs less than about two single tokens. Measured on two 2-core
# machines: a Xeon at 1.8x (drafting cut generation 331 s -> 263 s), an EPYC at 2.3-3x
# (drafting raised it 157 s -> 191 s). The server measures its own machine when it loads.
DRAFT_PAYS_BELOW = 2.0

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


def eval_drafts_with_logits(self: llama_cpp.Llama, tokens) -> None:
    """``Llama.eval``, except that a batch short enough to carry draft tokens gets logits for
    every token (each position is sampled to check the draft), and nothing else does; timed.

    llama-cpp-python instead turns on ``logits_all`` for the whole context when a draft model is
    set: logits over the 151,936-token vocabulary for every prompt token (extra prompt time) and
    a copy of them into an n_ctx x n_vocab array (5 GB at n_ctx 8192).
    """
    started = time.perf_counter()
    if self.draft_model is None or not 0 < len(tokens) <= self.draft_model.max_tokens + 1:
        _plain_eval(self, tokens)
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


def _logged_generate(self: llama_cpp.Llama, tokens, **options):
    self._decode_log = log = DecodeLog()
    try:
        if _prefix_states is not None and options.get("reset", True):
            started = time.perf_counter()
            log.prefix_loaded = _prefix_states.restore(self, list(tokens))
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


def _with_draft(init, draft_tokens: int, *, measure: bool):
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
    _plain_eval(llama, prompt)
    seconds: dict[int, list[float]] = {1: [], batch: []}
    for _ in range(repeats):
        for size in seconds:
            started = time.perf_counter()
            decode_with_logits(llama, following[:size], len(prompt))
            seconds[size].append(time.perf_counter() - started)
    llama._ctx.kv_cache_seq_rm(-1, 0, -1)
    llama.reset()
    return float(np.median(seconds[1])), float(np.median(seconds[batch]))


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


def request_amx() -> bool:
    """Ask the kernel for AMX tile data for this process, as ggml does; False if refused.

    For measuring only (``benchmarks/run.py passes``): with the permission granted llama.cpp
    still crashes, at the ``ldtilecfg`` of ``ggml_backend_amx_mul_mat`` (an invalid tile
    configuration on the stack; ggml-org/llama.cpp#26954), with one thread or two.
    """
    if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(_SYS_ARCH_PRCTL, _ARCH_REQ_XCOMP_PERM, _XFEATURE_XTILEDATA) == 0


_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
_AUDIT_ARCH_X86_64, _SYS_ARCH_PRCTL, _ARCH_REQ_XCOMP_PERM, _XFEATURE_XTILEDATA = 0xC000003E, 158, 0x1023, 18


def without_extra_buffers() -> lib.llama_model_params:
    """llama.cpp's default model parameters with extra weight buffers (AMX repacking) off."""
    params = _default_model_params()
    params.use_extra_bufts = False
    return params


def lazy_when_greedy(self: llama_cpp.Llama, **options):
    """``Llama._init_sampler``: the lazy grammar sampler for a greedy pick under a grammar, else the chain."""
    grammar = options.get("grammar")
    if grammar is None or options.get("temp") != 0.0 or options.get("logits_processor") is not None:
        return chain_sampler(self, **options)
    return LazyGrammarSampler(
        self, grammar, last_n=self.last_n_tokens_size, repeat=options.get("repeat_penalty", 1.0),
        frequency=options.get("frequency_penalty", 0.0), presence=options.get("presence_penalty", 0.0))


_default_model_params = lib.llama_model_default_params
chain_sampler = llama_cpp.Llama._init_sampler  # llama-cpp-python's own sampler chain, before install()
_plain_eval = llama_cpp.Llama.eval
_plain_generate = llama_cpp.Llama.generate
_plain_init = llama_cpp.Llama.__init__


_prefix_states: PrefixStates | None = None


def install(draft_tokens: int = DRAFT_TOKENS, *, measure: bool = True, prefix_states: PrefixStates | None = None) -> None:
    """Change ``llama_cpp.Llama`` in this process: the lazy grammar sampler, draft tokens (none
    if ``draft_tokens`` is 0; with ``measure``, only if a drafted pass pays on this machine, see
    ``DRAFT_PAYS_BELOW``), the instructions' states kept in ``prefix_states`` if given, and the
    ``summarizer_decode`` line of each request."""
    global _prefix_states
    _prefix_states = prefix_states
    llama_cpp.Llama._init_sampler = lazy_when_greedy
    llama_cpp.Llama.eval, llama_cpp.Llama.generate = eval_drafts_with_logits, _logged_generate
    llama_cpp.Llama.__init__ = _with_draft(_plain_init, draft_tokens, measure=measure) if draft_tokens else _plain_init


def main() -> None:
    """``python -m summarizer.local.runtime [--draft_tokens N] [--always_draft] [--prefix_states DIR] ARGS``:
    ARGS go to llama_cpp.server. Without ``--always_draft``, drafting is on only where it pays."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--draft_tokens", type=int, default=DRAFT_TOKENS)
    options.add_argument("--always_draft", action="store_true")
    options.add_argument("--prefix_states", type=Path, help="folder for the instructions' states (see PrefixStates)")
    ours, sys.argv[1:] = options.parse_known_args()
    if not refuse_amx():
        lib.llama_model_default_params = without_extra_buffers  # llama.py reads it from this module
    states = PrefixStates(ours.prefix_states) if ours.prefix_states else None
    install(ours.draft_tokens, measure=not ours.always_draft, prefix_states=states)
    from llama_cpp.server.__main__ import main as serve

    sys.argv[0] = "summarizer.local.runtime"
    serve()


if __name__ == "__main__":
    main()
