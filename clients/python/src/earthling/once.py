"""Runs one job of a handler in this process, then exits: the ``command`` handler's way, for comparison and for
trying a handler from the shell.

    echo '{"docs": []}' | python3 -m earthling.once earthling.examples.textmining analyze-py

The payload comes on stdin; the result goes to stdout as JSON, the attempt's log to stderr. A JobFailure or
any other exception exits with status 1 (its message or traceback on stderr).
"""

import importlib
import json
import sys
import traceback

from earthling import _api


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("usage: python3 -m earthling.once MODULE TYPE < payload.json\n")
        return 2
    module, job_type = args
    importlib.import_module(module)
    found = _api._find(job_type)
    if found is None:
        sys.stderr.write("no handler for %r in %s (it has: %s)\n" % (job_type, module, ", ".join(_api.handlers())))
        return 2
    fn, takes_context = found
    ctx = _api.Context(0, job_type, 1, "default", sys.stdin.read())
    try:
        value = fn(ctx.payload, ctx) if takes_context else fn(ctx.payload)
    except _api.JobFailure as f:
        sys.stderr.write(ctx.log_text() + f.message + "\n")
        return 1
    except Exception:
        sys.stderr.write(ctx.log_text() + traceback.format_exc())
        return 1
    sys.stderr.write(ctx.log_text())
    if isinstance(value, _api.Split):
        sys.stdout.write(value.to_result())
    elif value is not None:
        sys.stdout.write(json.dumps(value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
