"""Handlers the tests run in a real worker process."""
import time

import earthling


@earthling.handler("py.echo")
def echo(payload, ctx):
    ctx.log("echo of job %d attempt %d" % (ctx.job_id, ctx.attempt))
    ctx.logger.info("through the logger")
    return payload


@earthling.handler("py.env")
def env(payload):
    """What a handler (and anything it starts) finds in its environment."""
    import os
    return sorted(os.environ)


@earthling.handler("py.noop")
def noop(payload):
    return None


@earthling.handler("py.sleep")
def sleep(payload, ctx):
    ctx.log("sleeping %d ms" % payload.get("ms", 0))
    time.sleep(payload.get("ms", 0) / 1000.0)
    return {"slept": payload.get("ms", 0)}


@earthling.handler("py.spin")
def spin(payload, ctx):
    """Busy until cancelled, checking the flag (a handler that cooperates)."""
    while not ctx.cancelled:
        pass
    return {"saw": "cancelled"}


@earthling.handler("py.stubborn")
def stubborn(payload, ctx):
    """Swallows every Exception: the stop (a BaseException) still ends it."""
    while True:
        try:
            time.sleep(10)
        except Exception:
            pass


@earthling.handler("py.raise")
def raises(payload, ctx):
    ctx.log("about to fail")
    return _deeper(payload)


def _deeper(payload):
    raise ValueError("bad input: %s" % payload.get("what", "?"))


@earthling.handler("py.refuse")
def refuse(payload, ctx):
    raise earthling.JobFailure("no such document", retryable=False)


@earthling.handler("py.fanout")
def fanout(payload, ctx):
    return earthling.Split([earthling.Child("py.echo", {"i": i}) for i in range(payload["n"])], gather="py.sum",
                           indexed=("py.echo", 2, {"base": True}))


@earthling.handler("py.sum")
def gather(payload, ctx):
    return {"children": len(ctx.child_results)}


@earthling.handler("py.notjson")
def not_json(payload, ctx):
    return {1, 2}
