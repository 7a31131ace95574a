"""A worker process: serves the ``Worker`` service of worker.proto to its assistant, as the Java worker does.

    python3 -m earthling.worker --address 127.0.0.1 --port 50063 --module mypackage.handlers [--module ...]

It listens on a loopback address only and serves only its own assistant: every call must carry the secret the
assistant put in its environment (``EARTHLING_WORKER_SECRET``); a second ``Work`` stream is refused while one is
open.

Jobs arrive on one ``Work`` stream and run one after another on the main thread, in the order sent; each answer
goes back tagged with its job id. Jobs waiting behind one that has run longer than ``SLOW_MS`` are handed back
(``returned``) so that they run on another worker; while more jobs wait, answers are held a moment and sent
together. ``Interrupt`` (cancel) and a job's timeout stop the running handler by raising
:class:`earthling.JobStopped` in it (a signal to the main thread, so a handler blocked in ``time.sleep`` or a
socket read stops too); one that ignores it is killed by its assistant after a grace. The process exits when
its stdin closes, which happens when its assistant dies, however it dies.
"""

import argparse
import hashlib
import heapq
import hmac
import importlib
import json
import os
import queue
import signal
import sys
import threading
import time
import traceback
from concurrent import futures

import grpc

from earthling import _api, _stubs

pb = _stubs.load("worker_pb2")
pb_grpc = _stubs.load("worker_pb2_grpc")

SLOW_MS = 10  # as io.earthling.worker.WorkerServer.SLOW_MS: nothing should wait behind a job running longer
HOLD_MS = 1  # as WorkQueue.HOLD_MS
MAX_HELD = 32  # as WorkQueue.MAX_HELD
BATCH_BYTES = 8 << 20  # as MessageSizes.BATCH_BYTES: held answers are sent before they outgrow one message
_STOP_SIGNAL = signal.SIGUSR1
SECRET_ENV = "EARTHLING_WORKER_SECRET"  # as io.earthling.worker.WorkerSecret.ENV
SECRET_HEADER = "earthling-worker-secret"  # as WorkerSecret.HEADER


def _now_ms():
    return int(time.time() * 1000)


class Timer:
    """One daemon thread running callbacks at their due time (monotonic); cancel by the returned handle."""

    def __init__(self):
        self._heap = []
        self._cv = threading.Condition()
        self._seq = 0
        t = threading.Thread(target=self._loop, name="earthling-timer", daemon=True)
        t.start()

    def schedule(self, delay_s, fn):
        with self._cv:
            self._seq += 1
            entry = [time.monotonic() + max(0.0, delay_s), self._seq, fn]
            heapq.heappush(self._heap, entry)
            self._cv.notify()
            return entry

    @staticmethod
    def cancel(entry):
        if entry is not None:
            entry[2] = None

    def _loop(self):
        while True:
            with self._cv:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._cv.wait(None if not self._heap else self._heap[0][0] - time.monotonic())
                _, _, fn = heapq.heappop(self._heap)
            if fn is not None:
                try:
                    fn()
                except Exception:
                    traceback.print_exc()


class MainThread:
    """The job thread: the process's main thread runs what is posted here, one after another (a signal can
    interrupt only the main thread, so that is where handlers run)."""

    def __init__(self):
        self._tasks = queue.Queue()
        self.ident = None

    def execute(self, fn):
        self._tasks.put(fn)

    def run_forever(self):
        self.ident = threading.get_ident()
        while True:
            self._tasks.get()()


class Outcome:
    """How an attempt ended; ``split``: the result is a split plan (ExecuteResponse.split), not a result."""
    __slots__ = ("ok", "result", "error", "retryable", "cancelled", "log", "split")

    def __init__(self, ok, result=None, error=None, retryable=False, cancelled=False, log="", split=False):
        self.ok, self.result, self.error = ok, result, error
        self.retryable, self.cancelled, self.log, self.split = retryable, cancelled, log, split


class JobRunner:
    """Runs attempts on the calling thread with timeouts and cancellation. Thread-safe for stop and tail calls."""

    def __init__(self, timer, main_ident=None):
        self._timer = timer
        self._main_ident = main_ident
        self._lock = threading.Lock()
        self._running = {}  # job id -> attempt state
        self._current = None  # the attempt running on the main thread

    def install_signal(self):
        """Makes stops raise JobStopped in a handler running on the main thread (call from the main thread)."""
        self._main_ident = threading.get_ident()
        signal.signal(_STOP_SIGNAL, self._on_signal)

    def _on_signal(self, signum, frame):
        a = self._current
        if a is not None and a.stop is not None and not a.finished and not a.raised:
            a.raised = True
            raise _api.JobStopped(a.stop)

    def run(self, job_id, job_type, attempt, queue_name, payload, timeout_ms):
        found = _api._find(job_type)
        if found is None:
            return Outcome(False, error="unknown job type '%s' (this worker runs: %s)"
                           % (job_type, ", ".join(_api.handlers())), retryable=False)
        fn, takes_context = found
        ctx = _api.Context(job_id, job_type, attempt, queue_name, payload, timeout_ms)
        state = _Attempt(ctx, threading.get_ident())
        with self._lock:
            self._running[job_id] = state
        if state.thread == self._main_ident:
            self._current = state
        timeout = None
        if timeout_ms and timeout_ms > 0:
            timeout = self._timer.schedule(timeout_ms / 1000.0, lambda: self._stop(state, "timed out"))
        outcome = None
        try:
            try:
                value = fn(ctx.payload, ctx) if takes_context else fn(ctx.payload)
                outcome = self._result(value, ctx)
            finally:
                self._finish(state)
        except _api.JobStopped:
            pass  # decided below: a stopped attempt ends as stopped
        except _api.JobFailure as f:
            outcome = Outcome(False, error=f.message, retryable=f.retryable)
        except BaseException as e:  # noqa: B902 (a handler's SystemExit must not end the worker either)
            if isinstance(e, KeyboardInterrupt):
                raise
            outcome = Outcome(False, error=traceback.format_exc().rstrip(), retryable=True)
        finally:
            self._finish(state)
            Timer.cancel(timeout)
            with self._lock:
                if self._running.get(job_id) is state:
                    del self._running[job_id]
            if self._current is state:
                self._current = None
            ctx._close()
        if state.stop is not None:
            outcome = (Outcome(False, error="timed out after %d ms" % timeout_ms, retryable=True)
                       if state.stop == "timed out" else Outcome(False, error="cancelled", cancelled=True))
        outcome.log = ctx.log_text()
        return outcome

    @staticmethod
    def _result(value, ctx):
        if value is None:
            return Outcome(True)
        if isinstance(value, _api.Split):
            return Outcome(True, result=value.to_result(), split=True)
        try:
            return Outcome(True, result=json.dumps(value, separators=(",", ":"), allow_nan=False))
        except (TypeError, ValueError) as e:
            return Outcome(False, error="handler returned a value that is not JSON: %s" % e, retryable=False)

    def _finish(self, state):
        with state.lock:
            state.finished = True

    def _stop(self, state, why):
        with state.lock:
            if state.finished or state.stop is not None:
                return False
            state.stop = why
            state.ctx._stop = why
            if state.thread == self._main_ident and self._main_ident is not None:
                signal.pthread_kill(self._main_ident, _STOP_SIGNAL)
            return True

    def interrupt(self, job_id):
        """Cancels the running attempt of job_id; False if none runs."""
        with self._lock:
            state = self._running.get(job_id)
        return state is not None and self._stop(state, "cancelled")

    def log_so_far(self, job_id):
        with self._lock:
            state = self._running.get(job_id)
        return None if state is None else state.ctx.log_text()


class _Attempt:
    __slots__ = ("ctx", "thread", "lock", "stop", "finished", "raised")

    def __init__(self, ctx, thread):
        self.ctx, self.thread = ctx, thread
        self.lock = threading.Lock()
        self.stop = None
        self.finished = False
        self.raised = False


def response(job_id, outcome, started_ms=0, finished_ms=0):
    r = pb.ExecuteResponse(job_id=job_id, ok=outcome.ok, retryable=outcome.retryable, cancelled=outcome.cancelled,
                           started_at_ms=started_ms, finished_at_ms=finished_ms, split=outcome.split)
    if outcome.result is not None:
        r.result = outcome.result.encode("utf-8")
    if outcome.error is not None:
        r.error = outcome.error
    if outcome.log:
        r.log = outcome.log
    return r


class WorkQueue:
    """The jobs of one Work stream (io.earthling.worker.internal.WorkQueue in Python): run in order on the job
    thread; those waiting behind a slow one are handed back; answers held while more jobs wait."""

    def __init__(self, run, send, complete, job_thread, timer, slow_ms=SLOW_MS):
        self._run = run
        self._send = send
        self._complete = complete
        self._job_thread = job_thread
        self._timer = timer
        self._slow_s = slow_ms / 1000.0
        self._lock = threading.RLock()
        self._queued = []
        self._held = []
        self._held_bytes = 0
        self._held_since = 0.0
        self._current = None
        self._current_since = 0.0
        self._draining = False
        self._ended = False
        self._check = None

    def add_all(self, jobs):
        with self._lock:
            handed_back = []
            for r in jobs:
                if self._current is not None and time.monotonic() - self._current_since >= self._slow_s:
                    handed_back.append(pb.ExecuteResponse(job_id=r.job_id, returned=True))
                else:
                    self._queued.append(r)
            if handed_back:
                self._send_with_held(handed_back)
            if not self._queued:
                return
            if not self._draining:
                self._draining = True
                self._job_thread.execute(self._drain)
            else:
                self._watch_current()

    def end(self):
        """The stream ends: the jobs already here still run, then the answer stream completes."""
        with self._lock:
            self._ended = True
            if not self._draining:
                self._complete()

    def abandon(self):
        """The stream broke or was replaced: waiting jobs are dropped unstarted, nothing more is answered."""
        with self._lock:
            self._queued.clear()
            self._held.clear()
            self._held_bytes = 0
            self._ended = True
            self._send = lambda batch: None
            self._complete()

    def cancel_waiting(self, job_id):
        with self._lock:
            before = len(self._queued)
            self._queued = [r for r in self._queued if r.job_id != job_id]
            if len(self._queued) == before:
                return False
            self._send_with_held([pb.ExecuteResponse(job_id=job_id, cancelled=True,
                                                     error="cancelled before it started")])
            return True

    def _drain(self):
        while True:
            with self._lock:
                if not self._queued:
                    self._draining = False
                    self._send_with_held([])
                    if self._ended:
                        self._complete()
                    return
                r = self._queued.pop(0)
                self._current = r
                self._current_since = time.monotonic()
                self._watch_current()
            answer = self._run(r)
            with self._lock:
                self._current = None
                self._hold(answer)

    def _hold(self, answer):
        self._held.append(answer)
        self._held_bytes += answer.ByteSize()
        now = time.monotonic()
        if len(self._held) == 1:
            self._held_since = now
            if self._queued:
                self._timer.schedule(HOLD_MS / 1000.0, self._send_if_held_too_long)
        if not self._queued or len(self._held) >= MAX_HELD or self._held_bytes >= BATCH_BYTES \
                or now - self._held_since >= HOLD_MS / 1000.0:
            self._send_with_held([])

    def _send_if_held_too_long(self):
        with self._lock:
            if self._held and time.monotonic() - self._held_since >= HOLD_MS / 1000.0:
                self._send_with_held([])

    def _watch_current(self):
        if self._check is None and self._current is not None and self._queued:
            left = self._slow_s - (time.monotonic() - self._current_since)
            self._check = self._timer.schedule(max(0.0, left), self._hand_back_if_slow)

    def _hand_back_if_slow(self):
        with self._lock:
            self._check = None
            if self._current is not None and time.monotonic() - self._current_since >= self._slow_s:
                handed_back = [pb.ExecuteResponse(job_id=r.job_id, returned=True) for r in self._queued]
                self._queued.clear()
                self._send_with_held(handed_back)
            self._watch_current()

    def _send_with_held(self, more):
        if not self._held and not more:
            return
        batch = pb.AnswerBatch(answers=self._held + list(more))
        self._held = []
        self._held_bytes = 0
        self._send(batch)


class _Outbox:
    """The answers of one Work stream, yielded by the RPC's response iterator until closed."""

    _END = object()

    def __init__(self):
        self._q = queue.Queue()

    def send(self, batch):
        self._q.put(batch)

    def close(self):
        self._q.put(self._END)

    def __iter__(self):
        while True:
            item = self._q.get()
            if item is self._END:
                return
            yield item


class SecretCheck(grpc.ServerInterceptor):
    """Refuses every call that does not carry the secret the assistant gave this process at spawn
    (UNAUTHENTICATED), as io.earthling.worker.WorkerSecret does: compared as digests, in constant time."""

    def __init__(self, secret):
        if not secret:
            raise SystemExit("earthling worker: %s is not set: a worker process is started by its assistant,"
                             " which passes it the secret its calls carry; exiting" % SECRET_ENV)
        self._digest = hashlib.sha256(secret.encode("utf-8")).digest()

        def deny(request, context):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "this worker serves only its own assistant")

        self._deny_unary = grpc.unary_unary_rpc_method_handler(deny)
        self._deny_stream = grpc.stream_stream_rpc_method_handler(deny)

    def matches(self, presented):
        return presented is not None and hmac.compare_digest(
            self._digest, hashlib.sha256(presented.encode("utf-8")).digest())

    def intercept_service(self, continuation, details):
        presented = None
        for key, value in details.invocation_metadata or ():
            if key == SECRET_HEADER:
                presented = value
        if self.matches(presented):
            return continuation(details)
        handler = continuation(details)
        if handler is None:
            return None
        return self._deny_stream if handler.request_streaming else self._deny_unary


class WorkerService(pb_grpc.WorkerServicer):
    def __init__(self, job_thread, timer, runner):
        self._job_thread = job_thread
        self._timer = timer
        self._runner = runner
        self._queue = None
        self._open = None  # the one open Work stream's queue
        self._lock = threading.Lock()

    def _run(self, r):
        started = _now_ms()
        o = self._runner.run(r.job_id, r.type, r.attempt, r.queue, r.payload.decode("utf-8"), r.timeout_ms)
        return response(r.job_id, o, started, _now_ms())

    def Work(self, request_iterator, context):
        out = _Outbox()
        q = WorkQueue(self._run, out.send, out.close, self._job_thread, self._timer)
        with self._lock:
            # A second stream while one is open is refused, never replaces it: the assistant opens a new one only
            # after the old one broke, which ends it here too.
            if self._open is not None:
                context.abort(grpc.StatusCode.FAILED_PRECONDITION, "a Work stream is already open on this worker")
            self._open = self._queue = q

        def ended():  # the call ended: whatever the reason, nothing more is answered
            q.abandon()
            with self._lock:
                if self._open is q:
                    self._open = None

        context.add_callback(ended)

        def read():
            try:
                for batch in request_iterator:
                    q.add_all(list(batch.jobs))
                q.end()
            except Exception:
                q.abandon()  # the assistant went away or gave up on this stream: it runs the waiting jobs elsewhere

        threading.Thread(target=read, name="earthling-work-reader", daemon=True).start()
        return iter(out)

    def Interrupt(self, request, context):
        q = self._queue
        found = self._runner.interrupt(request.job_id) or (q is not None and q.cancel_waiting(request.job_id))
        return pb.InterruptResponse(found=found)

    def Types(self, request, context):
        return pb.TypesResponse(types=list(_api.handlers()), pid=os.getpid())

    def Tail(self, request, context):
        log = self._runner.log_so_far(request.job_id)
        return pb.TailResponse(found=log is not None, log=log or "")


def load_modules(names):
    """Imports each handler module; a module that fails to import fails the worker's start with its reason."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as e:
            raise SystemExit("earthling worker: cannot import handler module %r: %s: %s; exiting"
                             % (name, type(e).__name__, e))


def is_loopback(address):
    import ipaddress
    import socket
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(address, None, proto=socket.IPPROTO_TCP))
    except (OSError, ValueError):
        return False


def serve(address, port, modules, stdin_lifeline=True, secret=None):
    """Runs the worker until stdin closes (or forever without the lifeline). Blocks the main thread. It listens on
    a loopback address only and serves only calls carrying ``secret`` (by default the one its assistant put in
    its environment, which is removed there so that nothing the handlers start inherits it)."""
    if secret is None:
        secret = os.environ.pop(SECRET_ENV, None)
    check = SecretCheck(secret)
    if not is_loopback(address):
        raise SystemExit("earthling worker: --address: a worker listens on a loopback address only, not %s; exiting"
                         % address)
    load_modules(modules)
    if not _api.handlers():
        raise SystemExit("earthling worker: the modules %s register no handler (@earthling.handler); exiting"
                         % (list(modules),))
    timer = Timer()
    job_thread = MainThread()
    runner = JobRunner(timer)
    runner.install_signal()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="earthling-rpc"),
                         interceptors=[check],
                         options=[("grpc.max_receive_message_length", 64 * 1024 * 1024),
                                  ("grpc.so_reuseport", 0)])
    pb_grpc.add_WorkerServicer_to_server(WorkerService(job_thread, timer, runner), server)
    bound = server.add_insecure_port("%s:%d" % (address, port))
    if bound == 0:
        raise SystemExit("earthling worker: cannot listen on %s:%d (port taken?); exiting" % (address, port))
    server.start()
    if stdin_lifeline:
        def watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass  # the assistant never writes; EOF means it is gone
            except (OSError, ValueError):
                pass
            os._exit(0)

        threading.Thread(target=watch, name="earthling-parent-watch", daemon=True).start()
    job_thread.run_forever()


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m earthling.worker",
                                description="An Earthling worker process; started by its assistant.")
    p.add_argument("--address", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--module", action="append", default=[], help="a module with @earthling.handler functions")
    p.add_argument("--path", action="append", default=[], help="a directory to import handler modules from")
    a = p.parse_args(argv)
    for d in reversed(a.path):
        sys.path.insert(0, d)
    serve(a.address, a.port, a.module)


if __name__ == "__main__":
    main()
