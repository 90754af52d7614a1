"""The processes xlpy runs in: whether it may hand work to forked processes (reading a
province's blocks, rendering large output sheets), and how a process it starts sets up
numpy's threads.  Forking is for POSIX systems other than macOS.  A forked process starts with
everything this one has imported and built, for nothing; on macOS, Python itself starts
processes by spawning (since 3.8), because system frameworks loaded in a process do not
survive a fork, and on Windows there is no fork."""

from __future__ import annotations

import os
import sys


def forks() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


def one_blas_thread() -> None:
    """Leave numpy's linear algebra (OpenBLAS) to one thread, for a process xlpy starts.

    xlpy makes no linear-algebra calls, yet OpenBLAS starts a thread per core when numpy is
    imported, and those threads spin: about 70 ms of CPU on a 2-core machine, for a compute
    that takes 120 ms, taken from whatever else the officer's PC runs.  Effective only before
    numpy is imported; a value the user set is kept."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
