"""The C pointer chase of the latency ladder: compile ``chase.c`` when a C compiler is present.

A Python chase (``i = mv[i]``) spends ~tens of ns of interpreter work per step, which the
processor overlaps with the outstanding load, so cache levels whose latency is shorter than that
are hidden (their excess latency reads low). The same chase in C has no such overlap. This module
compiles ``chase.c`` (shipped next to it) into a temporary directory with ``cc -O2 -shared
-fPIC`` and loads it with :mod:`ctypes`; without a compiler (or if anything fails) it returns
``None`` and a reason, and the probe falls back to the Python chase. Nothing happens on import.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

__all__ = ["C_SOURCE", "CChase", "find_compiler", "load_c_chase"]

#: The C source, a package resource next to this module.
C_SOURCE = "chase.c"
_COMPILE_TIMEOUT_S = 60.0


def find_compiler(environ=None) -> str | None:
    """Path of the C compiler: ``$CC`` if set and found, else ``cc``, ``gcc`` or ``clang``."""
    environ = os.environ if environ is None else environ
    names = [environ["CC"]] if environ.get("CC") else []
    for name in [*names, "cc", "gcc", "clang"]:
        path = shutil.which(name)
        if path:
            return path
    return None


class CChase:
    """A compiled chase: ``chase(address, start, steps) -> final index`` (int64 slots)."""

    def __init__(self, lib: ctypes.CDLL, compiler: str):
        fn = lib.ipcmodel_chase
        fn.restype = ctypes.c_int64
        fn.argtypes = (ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64)
        self._lib, self.fn, self.compiler = lib, fn, compiler

    def __call__(self, address: int, start: int, steps: int) -> int:
        return self.fn(address, start, steps)


def load_c_chase(environ=None) -> tuple[CChase | None, str]:
    """``(chase, description)``: the compiled chase and which compiler built it, or
    ``(None, reason)`` when there is no compiler or compiling or loading failed.

    The shared object is built in a temporary directory that is removed right after loading
    (the loaded library stays mapped); nothing else is written.
    """
    cc = find_compiler(environ)
    if cc is None:
        return None, "no C compiler found (cc, gcc, clang or $CC)"
    try:
        src = resources.files("ipcmodel.measure").joinpath(C_SOURCE).read_text("utf-8")
        with tempfile.TemporaryDirectory(prefix="ipcmodel_chase_") as tmp:
            c_file, so_file = Path(tmp) / C_SOURCE, Path(tmp) / "chase.so"
            c_file.write_text(src, encoding="utf-8")
            done = subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(so_file), str(c_file)],
                                  capture_output=True, text=True, timeout=_COMPILE_TIMEOUT_S)
            if done.returncode != 0:
                why = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
                return None, f"compiling {C_SOURCE} with {cc} failed: {why[0]}"
            lib = ctypes.CDLL(str(so_file))
        return CChase(lib, cc), f"{cc} -O2"
    except (OSError, subprocess.SubprocessError, AttributeError) as exc:
        return None, f"the C chase could not be built or loaded ({type(exc).__name__}: {exc})"
