"""``python benchmarks/run.py passes``: what one forward pass costs by batch size, with llama.cpp's repacked
weights and without (each setting measured in a process of its own, by ``run.py _passes``)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

RUN = Path(__file__).with_name("run.py")
console = Console(width=260)  # the tables are wide; a pipe would squeeze them to 80 columns

PASS_SIZES = (1, 2, 4, 8)


WEIGHTS = {
    "repacked": "repacked (the server's)",
    "plain": "as in the file",
    "amx": "AMX allowed (where the CPU has it)",
}


def measure_passes(weights: str, prompt_tokens: int = 1024, repeats: int = 9) -> dict[str, float]:
    """Prompt tokens a second, and the median ms of one pass of 1, 2, 4 and 8 tokens after the
    prompt: with logits for the last token only (as one token each of several sequences would
    need, were they decoded together) and for every token (as a draft check needs).

    ``weights`` is one of ``WEIGHTS``: "amx" asks the kernel for AMX tile data itself first and
    lets llama.cpp use AMX where the CPU has it (ggml-org/llama.cpp#20824: it crashes there)."""
    import llama_cpp
    import llama_cpp.llama_cpp as lib
    import numpy as np

    from summarizer.local import runtime as local_server, weights as model_weights

    if weights == "repacked":
        local_server.refuse_amx()  # as the server does: repacked for AVX2/AVX-512, not AMX
    elif weights == "plain":
        lib.llama_model_default_params = local_server.without_extra_buffers
    else:
        local_server.request_amx()
    llama = llama_cpp.Llama(model_path=str(model_weights.ensure_model()), n_ctx=4096, n_threads=2, verbose=False)
    tokens = llama.tokenize(local_server.TIMING_TEXT * 40)
    started = time.perf_counter()
    llama.eval(tokens[:prompt_tokens])
    figures = {"prompt tok/s": prompt_tokens / (time.perf_counter() - started)}
    following = tokens[prompt_tokens:prompt_tokens + max(PASS_SIZES)]
    for size in PASS_SIZES:
        for every in (False, True):
            seconds = []
            for _ in range(repeats):
                started = time.perf_counter()
                local_server.decode_with_logits(llama, following[:size], prompt_tokens, every=every)
                seconds.append(time.perf_counter() - started)
            figures[f"{size} {'every' if every else 'last'}"] = float(np.median(seconds)) * 1000
    return figures


def passes() -> None:
    """Each setting in a process of its own: the seccomp filter and the weights' layout stay."""
    import json

    table = Table(title="one forward pass, ms, by tokens in the batch (logits of the last token / of every token), 2 threads")
    for column in ("weights", "prompt tok/s", *(f"{n} tok" for n in PASS_SIZES), *(f"{n} tok: ms a token (x 1 tok)" for n in PASS_SIZES[1:])):
        table.add_column(column, justify="right", no_wrap=True)
    for weights, name in WEIGHTS.items():
        done = subprocess.run([sys.executable, str(RUN), "_passes", "--weights", weights], capture_output=True, text=True)
        if done.returncode != 0:
            stopped = f"signal {-done.returncode}" if done.returncode < 0 else f"exit {done.returncode}"
            table.add_row(name, f"failed: {stopped}", *[""] * (len(table.columns) - 2))
            continue
        f = json.loads(done.stdout.strip().splitlines()[-1])
        table.add_row(
            name,
            f"{f['prompt tok/s']:.1f}",
            *(f"{f[f'{n} last']:.0f} / {f[f'{n} every']:.0f}" for n in PASS_SIZES),
            *(f"{f[f'{n} last'] / n:.0f} ({f[f'{n} last'] / f['1 last']:.2f}x)" for n in PASS_SIZES[1:]),
        )
    console.print(table)
