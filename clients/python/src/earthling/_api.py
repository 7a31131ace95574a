"""What handler code sees: the decorator, the attempt's context, failures and splits."""

import inspect
import json
import logging
import threading

_HANDLERS = {}
_LOCK = threading.Lock()


def handler(job_type):
    """Registers the decorated function as the handler of ``job_type``.

    The function is called as ``fn(payload, ctx)`` (or ``fn(payload)``): ``payload`` is the job's payload as
    parsed JSON, ``ctx`` a :class:`Context`. It returns anything ``json.dumps`` takes (the job's result), None
    (no result) or a :class:`Split`; it raises :class:`JobFailure` to fail the attempt with a message of its own
    (retryable or not), and any other exception fails it with its traceback as the error, to be retried.
    """
    if not isinstance(job_type, str) or not job_type.strip() or any(c.isspace() for c in job_type):
        raise ValueError("earthling.handler: not a job type name: %r" % (job_type,))

    def register(fn):
        try:
            takes_context = len(inspect.signature(fn).parameters) >= 2
        except (TypeError, ValueError):
            takes_context = True
        with _LOCK:
            earlier = _HANDLERS.get(job_type)
            if earlier is not None and earlier[0] is not fn:
                raise ValueError("job type %r is claimed twice: by %s and by %s"
                                 % (job_type, _name(earlier[0]), _name(fn)))
            _HANDLERS[job_type] = (fn, takes_context)
        return fn

    return register


def handlers():
    """The registered job types, sorted, each with its function."""
    with _LOCK:
        return {t: h[0] for t, h in sorted(_HANDLERS.items())}


def _find(job_type):
    with _LOCK:
        return _HANDLERS.get(job_type)


def _name(fn):
    return "%s.%s" % (getattr(fn, "__module__", "?"), getattr(fn, "__qualname__", repr(fn)))


class JobFailure(Exception):
    """Fails the attempt with this message; ``retryable=False`` makes the job DEAD at once."""

    def __init__(self, message, retryable=True):
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class JobStopped(BaseException):
    """Raised inside a handler whose job was cancelled or timed out (a BaseException: ``except Exception`` in
    handler code does not swallow it). The attempt ends as cancelled or timed out whatever the handler does next."""


class Child:
    """One child of a :class:`Split`: a job of ``type`` with ``payload`` (anything JSON)."""

    def __init__(self, type, payload=None, queue=None, priority=0, max_attempts=0):
        self.type = type
        self.payload = {} if payload is None else payload
        self.queue = queue
        self.priority = priority
        self.max_attempts = max_attempts

    def to_json(self):
        o = {"type": self.type, "payload": self.payload}
        if self.queue and self.queue != "default":
            o["queue"] = self.queue
        o["priority"] = self.priority
        o["maxAttempts"] = self.max_attempts
        return o


class Split:
    """A handler's answer that fans out (the same result field as Java's ``io.earthling.api.Split``).

    The manager stores the children, runs them anywhere, and once all are final runs one job of ``gather``
    whose ``ctx.child_results`` are the children's results in order. ``indexed=(type, count, base_payload)``
    adds ``count`` numbered children, each with the base payload plus ``index`` and ``count``.
    ``gather_with_errors=True`` runs the gather even when a child failed (its result is None, its error in
    ``ctx.child_errors``); by default the parent fails with the first failed child.
    """

    KEY = "earthling.split"

    def __init__(self, children=(), gather=None, indexed=None, gather_with_errors=False):
        if not gather or not str(gather).strip():
            raise ValueError("split: gather is required")
        self.children = [c if isinstance(c, Child) else Child(**c) for c in children]
        self.gather = gather
        self.indexed = indexed
        self.gather_with_errors = gather_with_errors

    def to_result(self):
        s = {"gather": self.gather, "onChildFailure": "GATHER_WITH_ERRORS" if self.gather_with_errors else "FAIL_FAST",
             "children": [c.to_json() for c in self.children]}
        if self.indexed:
            t, count, base = (tuple(self.indexed) + (None,))[:3]
            s["indexed"] = {"type": t, "count": int(count), "payload": {} if base is None else base}
        # The same text as Java's Split.toResult(); the worker marks it a split (ExecuteResponse.split): a handler
        # returning a dict or str that reads like this is an ordinary result.
        return json.dumps({self.KEY: s}, separators=(",", ":"))


class _LogBuffer:
    """An attempt's log lines, bounded like the Java worker's (64 KiB), noting what it dropped."""

    LIMIT_CHARS = 64 * 1024

    def __init__(self):
        self._parts = []
        self._size = 0
        self._dropped = 0
        self._lock = threading.Lock()

    def append(self, line):
        s = "None" if line is None else str(line)
        with self._lock:
            if self._dropped or self._size + len(s) + 1 > self.LIMIT_CHARS:
                self._dropped += 1
                return
            self._parts.append(s + "\n")
            self._size += len(s) + 1

    def text(self):
        with self._lock:
            t = "".join(self._parts)
            if self._dropped:
                t += "[log truncated at %d chars: %d more lines dropped]\n" % (self.LIMIT_CHARS, self._dropped)
            return t


class _AttemptLogHandler(logging.Handler):
    def __init__(self, buffer):
        super().__init__()
        self._buffer = buffer
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record):
        try:
            self._buffer.append(self.format(record))
        except Exception:  # a log line must never fail the job
            self.handleError(record)


class Context:
    """One running attempt: ids, the raw and parsed payload, its log and whether it was told to stop."""

    def __init__(self, job_id, job_type, attempt, queue, payload_text, timeout_ms=0):
        self.job_id = job_id
        self.type = job_type
        self.attempt = attempt
        self.queue = queue
        self.payload_text = payload_text or "{}"
        self.timeout_ms = timeout_ms
        self._payload = None
        self._log = _LogBuffer()
        self._stop = None  # "timed out" / "cancelled"
        self._logger = None

    @property
    def payload(self):
        """The payload as parsed JSON; a payload that is not JSON fails the attempt (not retryable)."""
        if self._payload is None:
            try:
                self._payload = json.loads(self.payload_text if self.payload_text.strip() else "{}")
            except ValueError as e:
                raise JobFailure("payload is not valid JSON: %s" % e, retryable=False)
        return self._payload

    def log(self, line):
        """Appends a line to this attempt's log (kept with the attempt, bounded to 64 KiB)."""
        self._log.append(line)

    @property
    def logger(self):
        """A ``logging.Logger`` whose records become lines of this attempt's log."""
        if self._logger is None:
            lg = logging.getLogger("earthling.job.%d.%d" % (self.job_id, self.attempt))
            lg.setLevel(logging.DEBUG)
            lg.propagate = False
            lg.addHandler(_AttemptLogHandler(self._log))
            self._logger = lg
        return self._logger

    def log_text(self):
        return self._log.text()

    @property
    def cancelled(self):
        """True once the job was cancelled or timed out: a long handler should check it and stop."""
        return self._stop is not None

    is_cancelled = cancelled

    @property
    def input(self):
        """What a pipeline stage works on: the previous stage's output in a gather of a one-child split (every
        stage after the first), else the payload."""
        p = self.payload
        if isinstance(p, dict) and "parent" in p and isinstance(p.get("results"), list) and len(p["results"]) == 1:
            return p["results"][0]
        return p

    @property
    def child_results(self):
        """In a gather job: the children's results in child order (None where a child kept none or failed)."""
        p = self.payload
        return list(p.get("results") or []) if isinstance(p, dict) else []

    @property
    def child_errors(self):
        """In a gather job: each child's error in child order (None where it succeeded)."""
        p = self.payload
        errors = (p.get("errors") or []) if isinstance(p, dict) else []
        return [errors[i] if i < len(errors) and isinstance(errors[i], str) else None
                for i in range(len(self.child_results))]

    def _close(self):
        if self._logger is not None:
            for h in list(self._logger.handlers):
                self._logger.removeHandler(h)
            logging.Logger.manager.loggerDict.pop(self._logger.name, None)
