"""Memory of a process and the workers it forked, as the benches measure it."""

from __future__ import annotations

import psutil


def tree_pss(process: psutil.Process) -> int:
    """Bytes of PSS of `process` and its children: each shared page counted once, split among the
    processes sharing it. Forked workers share most of their pages with their parent, which RSS
    would count twice."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_full_info().pss
        except psutil.Error:
            continue  # a worker that just ended
    return total
