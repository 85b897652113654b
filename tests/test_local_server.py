"""The embedded model's server process (summarizer/local/runtime/): AMX refused, grammar
checked lazily, draft tokens from prompt lookup, one decode line per request.

The AMX test needs only Linux on x86-64; the draft lookup and the log line are plain code; the
sampler and drafting tests run the real model (marked local_model).
"""

from __future__ import annotations

import json
import re
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "local_server"
SAMPLE = Path(__file__).parent.parent / "samples" / "tinzaouatene" / "001_a6fe8bb564ac4d9a.txt"

AMX_PROBE = """
import ctypes, errno, json
from summarizer.local.runtime import refuse_amx
libc = ctypes.CDLL(None, use_errno=True)
def arch_prctl(code, arg):
    result = libc.syscall(ctypes.c_long(158), ctypes.c_long(code), ctypes.c_long(arg))  # SYS_arch_prctl
    return result, ctypes.get_errno() if result else 0
fs = ctypes.c_ulong()
installed = refuse_amx()
print(json.dumps({"installed": installed,
                  "amx": arch_prctl(0x1023, 18),                              # ARCH_REQ_XCOMP_PERM, tile data
                  "get_fs": arch_prctl(0x1003, ctypes.addressof(fs))[0],       # ARCH_GET_FS: still allowed
                  "eperm": errno.EPERM}))
"""


@pytest.mark.skipif(not (sys.platform.startswith("linux") and platform.machine() == "x86_64"), reason="Linux x86-64 only")
def test_the_server_process_is_refused_amx_and_nothing_else():
    # ggml asks the kernel for AMX tile data before it repacks weights for AMX; on AMX CPUs that
    # path crashes (ggml-org/llama.cpp#20824), so the server process must be told no.
    probe = subprocess.run([sys.executable, "-c", AMX_PROBE], capture_output=True, text=True, timeout=60, check=True)
    seen = json.loads(probe.stdout)
    assert seen["installed"] is True
    assert seen["amx"] == [-1, seen["eperm"]]
    assert seen["get_fs"] == 0


@pytest.mark.local_model
def test_the_lazy_grammar_sampler_picks_the_same_tokens_as_llama_cpp_python(embedded_model):
    from summarizer.local.weights import ensure_model

    run = subprocess.run(
        [sys.executable, str(FIXTURES / "same_tokens.py"), str(ensure_model(progress=False)), str(SAMPLE), "120"],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    assert answers["chain"]["tokens"] == 120  # a long enough stretch of grammar-bound JSON to compare
    assert answers["lazy"] == answers["chain"]


# --------------------------------------------------------------------------- draft tokens

def draft(ids: list[int], **options) -> list[int]:
    pytest.importorskip("llama_cpp", reason="needs the local extra: pip install 'incident-brief[local]'")
    from summarizer.local.runtime import LatestLookupDraft

    return LatestLookupDraft(**options)(np.array(ids, dtype=np.intc)).tolist()


def test_a_draft_is_what_followed_the_latest_earlier_occurrence_of_the_last_three_tokens():
    # 7 8 9 occurs twice before the end: the latest (followed by 4 5 6) wins over the first.
    assert draft([7, 8, 9, 1, 2, 3, 0, 7, 8, 9, 4, 5, 6, 0, 7, 8, 9]) == [4, 5, 6]


def test_a_three_token_match_wins_over_a_later_two_token_one():
    # "8 9" last occurred before 5, but "7 8 9" only before 1: three tokens of context are surer.
    assert draft([7, 8, 9, 1, 2, 0, 3, 8, 9, 5, 6, 0, 7, 8, 9]) == [1, 2, 0]


def test_two_tokens_match_when_three_do_not_and_one_token_never_does():
    assert draft([1, 2, 3, 4, 0, 2, 3]) == [4, 0, 2]
    assert draft([1, 2, 3, 4, 0, 9, 3]) == []  # only "3" occurred before: no draft
    assert draft([1, 2, 3]) == []


def test_a_draft_is_capped_and_cut_at_what_is_there():
    assert draft([1, 2, 3, 4, 5, 6, 7, 1, 2], max_tokens=2) == [3, 4]
    assert draft([5, 1, 2, 9, 1, 2], max_tokens=8) == [9, 1, 2]


def test_no_draft_when_turned_off_in_the_server_command(tmp_path):
    from summarizer.local.server import LocalServer

    command = LocalServer(tmp_path / "m.gguf", draft_tokens=0).command(tmp_path / "m.gguf", 1234)
    assert command[command.index("--draft_tokens") + 1] == "0"
    assert command[command.index("--logits_all") + 1] == "false"


def test_the_decode_line_is_what_the_benchmark_reads_over_llama_cpps_split(tmp_path):
    pytest.importorskip("llama_cpp", reason="needs the local extra: pip install 'incident-brief[local]'")
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from run import server_timings

    from summarizer.local.runtime import DecodeLog

    log = DecodeLog()
    log.evaluated(812, 9.5)  # the prompt
    log.output_tokens = 1
    for tokens in (4, 4, 1, 4):  # generation: three passes with 3 draft tokens, one without
        log.evaluated(tokens, 0.2)
    log.output_tokens += 9
    log.prefix_loaded = 516
    server_log = tmp_path / "server.log"
    server_log.write_text("\n".join([
        log.line(),
        # llama.cpp books the three drafted batches as prompt processing, 812 + 12 tokens:
        "llama_perf_context_print: prompt eval time =   10100.00 ms /   824 tokens (   12.3 ms per token)",
        "llama_perf_context_print:        eval time =     200.00 ms /     1 runs   (  200.0 ms per token)",
        "llama_perf_context_print:       total time =   10500.00 ms /   834 tokens",
        "llama_perf_context_print: prompt eval time =    1000.00 ms /   100 tokens (   10.0 ms per token)",
        "llama_perf_context_print:        eval time =    3000.00 ms /    30 runs   (  100.0 ms per token)",
        "llama_perf_context_print:       total time =    4100.00 ms /   130 tokens",
    ]) + "\n")
    drafted, plain = server_timings(server_log)
    assert (drafted.prompt_tokens, drafted.prompt_s, drafted.output_tokens) == (812, 9.5, 10)
    assert drafted.generation_s == pytest.approx(0.8)
    assert (drafted.passes, drafted.drafted, drafted.kept) == (4, 9, 5)  # 10 tokens: 1 from the prompt, 4 passes, 5 kept
    assert (drafted.total_s, drafted.loaded) == (10.5, 516)
    # A request with no decode line (another server) keeps llama.cpp's own figures.
    assert (plain.prompt_tokens, plain.prompt_s, plain.generation_s, plain.output_tokens, plain.passes) == (100, 1.0, 3.0, 30, 0)


@pytest.mark.local_model
def test_drafted_batches_decode_as_single_tokens_do_and_cut_the_passes(embedded_model):
    from summarizer.local.weights import ensure_model
    from summarizer.schema import ClaimsResponse

    run = subprocess.run(
        [sys.executable, str(FIXTURES / "drafted.py"), str(ensure_model(progress=False)), str(SAMPLE)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    # A batch of four gives each position the logits one-token decoding gives it, up to float
    # noise (other kernels, which add in another order): a few hundredths of the logits' range.
    # The best token can differ only where the first two were closer than that noise.
    assert seen["max_difference"] < 0.05 * seen["logit_range"], seen
    for same, lead in zip(seen["same_best"], seen["lead"], strict=True):
        assert same or lead < 2 * seen["max_difference"], seen
    # A real answer with drafting: valid under the tool's schema, in fewer passes than tokens.
    ClaimsResponse.model_validate_json(seen["arguments"])
    [line] = seen["decode_lines"]
    passes = int(line.split(" passes")[0].rsplit(" ", 1)[1])
    assert passes < 0.75 * seen["tokens"], line


DRAFT_DECISION = """
import sys
from summarizer.local import runtime as local_server
local_server.refuse_amx()
import llama_cpp
local_server.install()
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=2048, n_threads=2, n_threads_batch=2, verbose=False)
print(llm.draft_model is not None, llm.n_tokens)
"""


@pytest.mark.local_model
def test_the_server_drafts_only_where_a_batch_of_four_costs_less_than_two_single_tokens(embedded_model):
    from summarizer.local.weights import ensure_model
    from summarizer.local.runtime import DRAFT_PAYS_BELOW

    run = subprocess.run([sys.executable, "-c", DRAFT_DECISION, str(ensure_model(progress=False))],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    [line] = [x for x in run.stderr.splitlines() if x.startswith("summarizer_draft:")]
    one, four = (float(x) for x in re.findall(r"tokens? ([\d.]+) ms", line))
    drafting, n_tokens = run.stdout.split()
    assert drafting == str(four < DRAFT_PAYS_BELOW * one) and line.endswith(
        f"drafting {'on' if drafting == 'True' else 'off'} (it pays below {DRAFT_PAYS_BELOW:g}x)"), line
    assert n_tokens == "0"  # the timing passes leave the context empty


PREFIX_REQUEST = """
import json, sys
from pathlib import Path
import openai
from summarizer.local.server import LocalServer
from summarizer.llm.prompts import render
server = LocalServer(Path(sys.argv[1]), n_ctx=2048, prefix_states=Path(sys.argv[2]) if sys.argv[2] != "-" else False).start()
client = openai.OpenAI(base_url=server.base_url, api_key="local")
tool = {"type": "function", "function": {"name": "SentenceCasualties", "parameters": {
    "type": "object", "properties": {"figures": {"type": "array", "items": {"type": "string"}}}, "required": ["figures"]}}}
answer = client.chat.completions.create(
    model=server.model, temperature=0, max_tokens=24, tools=[tool],
    tool_choice={"type": "function", "function": {"name": "SentenceCasualties"}},
    messages=[{"role": "system", "content": render("casualty_system")},
              {"role": "user", "content": 'Sentence: "[3] Seven rebels were killed and 12 wounded, the statement said."'}])
server.stop()
lines = [x for x in server.log_path.read_text().splitlines() if x.startswith("summarizer_decode:")]
print(json.dumps({"arguments": answer.choices[0].message.tool_calls[0].function.arguments, "line": lines[-1]}))
"""


@pytest.mark.local_model
def test_the_instructions_state_is_computed_once_then_loaded_and_a_bad_file_is_replaced(embedded_model, tmp_path):
    from summarizer.local.weights import ensure_model

    def ask(folder: str = str(tmp_path)) -> dict:
        run = subprocess.run([sys.executable, "-c", PREFIX_REQUEST, str(ensure_model(progress=False)), folder],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        seen = json.loads(run.stdout.strip().splitlines()[-1])
        seen["loaded"], seen["prompt"] = (int(re.search(p, seen["line"])[1]) for p in (r"instructions (\d+) tokens loaded", r"prompt (\d+) tokens"))
        return seen

    without = ask("-")

    first = ask()
    [state] = list(tmp_path.glob("*/*.kv"))
    second = ask()
    state.write_bytes(state.read_bytes()[:1000])  # cut short, as by a full disk
    third = ask()

    assert first["loaded"] == 0 and second["loaded"] == 512  # the instructions' first whole batch
    assert second["prompt"] == first["prompt"] - 512 and first["prompt"] == without["prompt"]
    assert third["loaded"] == 0 and third["prompt"] == first["prompt"]
    # Cut at a whole batch, a stored state changes no answer: the same as with none.
    assert first["arguments"] == second["arguments"] == third["arguments"] == without["arguments"]
    assert state.stat().st_size > 512 * 20_000  # written again whole: ~28 KB a token


def test_another_llama_cpp_python_release_is_refused_with_one_line_naming_the_version():
    # The runtime replaces llama_cpp internals written for one release; under another it must stop
    # before patching anything, with the pip command that installs the release it was written for.
    probe = "import llama_cpp; llama_cpp.__version__ = '0.3.99'; import summarizer.local.runtime"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)

    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert "llama-cpp-python 0.3.36, not 0.3.99" in last and "pip install 'incident-brief[local]'" in last, last
    clean = subprocess.run([sys.executable, "-c", "import summarizer.local.runtime"], capture_output=True, timeout=120)
    assert clean.returncode == 0, clean.stderr
