"""A Dask worker preload for tests/test_dask_cluster.py: every worker process appends what it
does with each point to the file named by HEXI_JOURNAL, one line an event:

    start <hash> <pid> <time>     the task began (a retry of a point begins here too)
    outputs <hash> <pid> <time>   the point was solved and its output folder written
    record <hash> <pid> <time>    the point's record (its result) was written

Lines are short single writes to a file opened for appending, so lines of concurrent workers do
not interleave. Only the functions are wrapped: what they do is unchanged, but for a pause of
HEXI_JOURNAL_PAUSE_S seconds before a solved point writes its outputs, so that a test can kill a
worker surely in the middle of a point (the test day solves in 0.1 s).
"""

import os
import time

from model.analyses.sweeps import store, worker

JOURNAL = os.environ["HEXI_JOURNAL"]
PAUSE_S = float(os.environ.get("HEXI_JOURNAL_PAUSE_S", 0))


def note(event: str, key: str):
    with open(JOURNAL, "a", encoding="utf-8") as fh:
        fh.write(f"{event} {key} {os.getpid()} {time.time()}\n")


def wrap(owner, name, before=None, after=None):
    original = getattr(owner, name)

    def wrapped(*args, **kwargs):
        if before:
            before(*args, **kwargs)
        result = original(*args, **kwargs)
        if after:
            after(*args, **kwargs)
        return result

    setattr(owner, name, wrapped)


# Dask may load a preload file more than once in a process: wrap once.
if not getattr(worker, "journalled", False):
    worker.journalled = True
    # run_point is looked up by name when a worker unpickles a task, so the wrapped one runs
    wrap(worker, "run_point", before=lambda task: note("start", task["hash"]))
    wrap(worker, "finish", before=lambda *args: time.sleep(PAUSE_S),
         after=lambda built, sol, timings, folder: note("outputs", folder.name))
    wrap(store.Store, "write_record", after=lambda self, record: note("record", record["hash"]))
