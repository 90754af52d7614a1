"""Whether xlpy may hand work to forked processes (reading a province's blocks, rendering
large output sheets): on POSIX systems other than macOS.  A forked process starts with
everything this one has imported and built, for nothing; on macOS, Python itself starts
processes by spawning (since 3.8), because system frameworks loaded in a process do not
survive a fork, and on Windows there is no fork."""

from __future__ import annotations

import os
import sys


def forks() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"
