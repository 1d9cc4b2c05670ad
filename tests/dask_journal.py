"""A Dask worker preload for tests/test_dask_cluster.py: every worker process appends what it
does with each point to the file named by HEXI_JOURNAL, one line an event:

    start <hash> <pid>     the task began (a retry of a point begins here too)
    outputs <hash> <pid>   the point was solved and its output folder written
    record <hash> <pid>    the point's record (its result) was written

Lines are short single writes to a file opened for appending, so lines of concurrent workers do
not interleave. Only the functions are wrapped: what they do is unchanged.
"""

import os

from model.sweeps import store, worker

JOURNAL = os.environ["HEXI_JOURNAL"]


def note(event: str, key: str):
    with open(JOURNAL, "a", encoding="utf-8") as fh:
        fh.write(f"{event} {key} {os.getpid()}\n")


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
    wrap(worker, "finish", after=lambda built, sol, timings, folder: note("outputs", folder.name))
    wrap(store.Store, "write_record", after=lambda self, record: note("record", record["hash"]))
