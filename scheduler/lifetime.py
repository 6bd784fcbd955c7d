"""Child processes that die with their parent, so that no solver outlives the job or the command that started it
(the engine's own area pool, and the app's build pools and RQ work horses)."""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> bool:
    """Have Linux send `sig` to this process when its parent dies; False where prctl is unavailable.

    Also usable as a process pool's `initializer`, so that pool workers never outlive the process that
    started them (pass `parent`, the starter's pid, in `initargs`: a spawned child may start after its parent
    died). Linux counts the thread that started the child as its parent: start pools from a thread that
    outlives them (a job's thread does).
    """
    parent = parent or os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), sig)
    return True
