"""The embedded model's server process (summarizer/local_server.py): AMX refused, grammar checked lazily.

The AMX test needs only Linux on x86-64; the sampler test runs the real model (marked local_model).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "local_server"
SAMPLE = Path(__file__).parent.parent / "samples" / "tinzaouatene" / "001_a6fe8bb564ac4d9a.txt"

AMX_PROBE = """
import ctypes, errno, json
from summarizer.local_server import refuse_amx
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
    from summarizer.local_model import ensure_model

    run = subprocess.run(
        [sys.executable, str(FIXTURES / "same_tokens.py"), str(ensure_model(progress=False)), str(SAMPLE), "120"],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    assert answers["chain"]["tokens"] == 120  # a long enough stretch of grammar-bound JSON to compare
    assert answers["lazy"] == answers["chain"]
