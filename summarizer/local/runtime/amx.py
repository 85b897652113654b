"""AMX refused to the server process: llama.cpp built by pip crashes on AMX CPUs (ggml-org/llama.cpp#20824)."""

# On CPUs with AMX (Intel Sapphire Rapids and later) a natively built llama.cpp repacks Q4_K
# weights for AMX and then crashes in ``ggml_backend_amx_mul_mat`` on the first request (seen on
# this project's 2-core machines). The server process is refused the kernel's AMX permission (a
# seccomp filter on that one ``arch_prctl``), which ggml checks before it uses AMX: it then
# repacks for AVX2/AVX-512 instead. Where no filter can be set, extra weight buffers are switched
# off altogether. Granting the permission does not help: the crash is an invalid tile
# configuration at the ``ldtilecfg`` in the compiled library (measured 2026-12-03;
# ggml-org/llama.cpp#26954, open).

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

import llama_cpp.llama_cpp as lib


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


_default_model_params = lib.llama_model_default_params
