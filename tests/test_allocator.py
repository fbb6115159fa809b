"""Large buffers go back to the system when freed (glibc's mapping threshold fixed), so a run's
peak memory is not raised by buffers it no longer holds."""

from __future__ import annotations

import subprocess
import sys

import pytest

from translator.allocator import return_large_buffers

PROBE = """
import sys
import numpy as np
from translator.allocator import return_large_buffers

if sys.argv[1] == "fixed":
    assert return_large_buffers()

def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096

first = np.ones(16 << 20, dtype=np.uint8)  # freed: glibc would now raise its threshold to 16 MB
del first
buffer = np.ones(4 << 20, dtype=np.uint8)
later = [bytearray(64) for _ in range(20000)]  # small objects allocated after it, on the heap
before = resident()
del buffer
print((before - resident()) >> 20)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_freed_large_buffer_leaves_the_process() -> None:
    if not return_large_buffers():
        pytest.skip("not glibc")

    def returned(mode: str) -> int:
        result = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
        return int(result.stdout.strip())

    assert returned("fixed") >= 3  # the 4 MB buffer was unmapped
    assert returned("default") < 1  # without it, it stays in the heap (what the fix is for)
