"""The embedded model's server process: llama-cpp-python's OpenAI-compatible server, with four changes.
``local.server.LocalServer`` starts it as ``python -m summarizer.local.runtime`` (see ``main``)."""

# The changes, one module each, all made by ``install()`` (and ``main()`` for AMX):
# - amx.py: the server process is refused the CPU's AMX, on which llama.cpp built by pip crashes.
# - sampler.py: the tool's JSON grammar is checked against the greedy pick only, not the whole
#   vocabulary (the same tokens at temperature 0).
# - drafts.py: answers are drafted three tokens ahead from what came before and checked in one
#   batch, where that pays on this machine; decoding.py gives logits only to such a batch.
# - prefix.py: the state after each stage's fixed instructions is kept on disk across runs.
# The server's own ``logits_all`` default (logits of every prompt token, copied into Python) is
# turned off by ``LocalServer``'s command line; each request logs one ``summarizer_decode`` line.

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import llama_cpp
import llama_cpp.llama_cpp as lib

# The llama-cpp-python whose internals this package replaces (``pyproject.toml`` pins it exactly):
# another release may rename them or change what they do, so it is refused, not patched blind.
PATCHED_VERSION = "0.3.36"
if llama_cpp.__version__ != PATCHED_VERSION:
    raise ImportError(f"summarizer's embedded model is written for llama-cpp-python {PATCHED_VERSION}, not "
                      f"{llama_cpp.__version__}: run pip install 'incident-brief[local]', which pins it")

from summarizer.local.runtime.amx import refuse_amx, request_amx, without_extra_buffers  # noqa: E402
from summarizer.local.runtime.decoding import (  # noqa: E402
    DecodeLog, decode_with_logits, eval_drafts_with_logits, logged_generate,
)
from summarizer.local.runtime.drafts import (  # noqa: E402
    DRAFT_PAYS_BELOW, DRAFT_TOKENS, TIMING_TEXT, LatestLookupDraft, pass_seconds, with_draft,
)
from summarizer.local.runtime.prefix import PrefixStates  # noqa: E402
from summarizer.local.runtime.sampler import LazyGrammarSampler, chain_sampler, lazy_when_greedy  # noqa: E402

__all__ = [
    "DRAFT_PAYS_BELOW", "DRAFT_TOKENS", "PATCHED_VERSION", "TIMING_TEXT", "DecodeLog", "LatestLookupDraft",
    "LazyGrammarSampler", "PrefixStates", "chain_sampler", "decode_with_logits", "eval_drafts_with_logits",
    "install", "lazy_when_greedy", "logged_generate", "main", "pass_seconds", "refuse_amx", "request_amx",
    "with_draft", "without_extra_buffers",
]

_plain_init = llama_cpp.Llama.__init__


def install(draft_tokens: int = DRAFT_TOKENS, *, measure: bool = True, prefix_states: PrefixStates | None = None) -> None:
    """Change ``llama_cpp.Llama`` in this process: the lazy grammar sampler, draft tokens (none
    if ``draft_tokens`` is 0; with ``measure``, only if a drafted pass pays on this machine, see
    ``DRAFT_PAYS_BELOW``), the instructions' states kept in ``prefix_states`` if given, and the
    ``summarizer_decode`` line of each request."""
    llama_cpp.Llama._init_sampler = lazy_when_greedy
    llama_cpp.Llama.eval, llama_cpp.Llama.generate = eval_drafts_with_logits, logged_generate(prefix_states)
    llama_cpp.Llama.__init__ = with_draft(_plain_init, draft_tokens, measure=measure) if draft_tokens else _plain_init


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
