"""Handlers the cluster tests (earthling-dist, PythonWorkersIT) run on Python worker processes."""
import os
import time

import earthling


@earthling.handler("py.mark")
def mark(payload, ctx):
    """Appends "<job id> <attempt> python <pid>" to payload["file"] (one O_APPEND write), then sleeps sleepMs:
    the test counts the lines to see how often, and where, each job really ran (as the Java `mark` does)."""
    path = payload.get("file", "")
    if not path.startswith("/"):
        raise earthling.JobFailure('py.mark needs {"file": "/absolute/path"}', retryable=False)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, ("%d %d python %d\n" % (ctx.job_id, ctx.attempt, os.getpid())).encode())
    finally:
        os.close(fd)
    if payload.get("sleepMs"):
        time.sleep(payload["sleepMs"] / 1000.0)
    return {"marked": ctx.job_id}
