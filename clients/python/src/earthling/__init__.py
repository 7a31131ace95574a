"""Earthling for Python: job handlers run by Earthling's worker protocol, and a client of the Jobs API.

Handlers::

    import earthling

    @earthling.handler("analyze")
    def analyze(payload, ctx):
        ctx.log("analyzing %d docs" % len(payload["docs"]))
        return {"terms": 42}

An assistant runs them in worker processes (``python3 -m earthling.worker --module mymodule``, see
docs/api.md, "Python handlers"). The client is ``earthling.client.Client``.
"""

from earthling._api import (  # noqa: F401  (the public names)
    Child,
    Context,
    JobFailure,
    JobStopped,
    Split,
    handler,
    handlers,
)

__all__ = ["handler", "handlers", "Context", "JobFailure", "JobStopped", "Split", "Child"]
