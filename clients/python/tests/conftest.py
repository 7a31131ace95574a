import os
import queue
import socket
import subprocess
import sys
import threading

import grpc
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")
sys.path.insert(0, SRC)
sys.path.insert(0, HERE)

from earthling import _stubs  # noqa: E402

pb = _stubs.load("worker_pb2")
pb_grpc = _stubs.load("worker_pb2_grpc")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Presenting(grpc.UnaryUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds the worker secret to every call, as the assistant's ProcessSlot does."""

    def __init__(self, secret):
        self._secret = secret

    def _details(self, d):
        metadata = list(d.metadata or []) + [("earthling-worker-secret", self._secret)]
        return d._replace(metadata=metadata) if hasattr(d, "_replace") else _Details(d, metadata)

    def intercept_unary_unary(self, continuation, d, request):
        return continuation(self._details(d), request)

    def intercept_stream_stream(self, continuation, d, request_iterator):
        return continuation(self._details(d), request_iterator)


class _Details(grpc.ClientCallDetails):
    def __init__(self, d, metadata):
        self.method, self.timeout, self.credentials = d.method, d.timeout, d.credentials
        self.wait_for_ready, self.compression = getattr(d, "wait_for_ready", None), getattr(d, "compression", None)
        self.metadata = metadata


def worker_env(secret):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([SRC, HERE] + [p for p in [env.get("PYTHONPATH")] if p])
    env["EARTHLING_WORKER_SECRET"] = secret
    return env


class WorkerProcess:
    """A real `python3 -m earthling.worker` process on a free loopback port, as an assistant starts one: with a
    secret in its environment that `stub` presents on every call (`stranger` presents none)."""

    def __init__(self, modules=("sample_handlers",)):
        self.port = free_port()
        self.secret = "s3cret-%d" % self.port
        cmd = [sys.executable, "-m", "earthling.worker", "--address", "127.0.0.1", "--port", str(self.port)]
        for m in modules:
            cmd += ["--module", m]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, env=worker_env(self.secret))
        self.plain = grpc.insecure_channel("127.0.0.1:%d" % self.port)
        self.channel = grpc.intercept_channel(self.plain, _Presenting(self.secret))
        self.stub = pb_grpc.WorkerStub(self.channel)
        self.stranger = pb_grpc.WorkerStub(self.plain)
        self.types = self.stub.Types(pb.TypesRequest(), timeout=60, wait_for_ready=True)

    def stub_with(self, secret):
        return pb_grpc.WorkerStub(grpc.intercept_channel(self.plain, _Presenting(secret)))

    def stream(self, stub=None):
        return WorkStream(stub or self.stub)

    def close(self):
        self.plain.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        if self.proc.stdin:
            self.proc.stdin.close()


class WorkStream:
    """One Work stream: send batches, take answers one by one in the order they came."""

    def __init__(self, stub):
        self.error = None
        self._out = queue.Queue()
        self.answers = queue.Queue()
        self._call = stub.Work(self._requests())
        threading.Thread(target=self._read, daemon=True).start()

    def _requests(self):
        while True:
            b = self._out.get()
            if b is None:
                return
            yield b

    def _read(self):
        try:
            for batch in self._call:
                self.batches_seen = getattr(self, "batches_seen", 0) + 1
                for a in batch.answers:
                    self.answers.put(a)
        except grpc.RpcError as e:
            self.error = e
        self.answers.put(None)

    def send(self, *jobs):
        self._out.put(pb.WorkBatch(jobs=list(jobs)))

    def next(self, timeout=60):
        return self.answers.get(timeout=timeout)

    def end(self):
        self._out.put(None)

    def cancel(self):
        self._call.cancel()


def job(job_id, job_type, payload="{}", timeout_ms=0, attempt=1):
    return pb.ExecuteRequest(job_id=job_id, type=job_type, payload=payload.encode(), attempt=attempt,
                             queue="default", timeout_ms=timeout_ms)


@pytest.fixture
def worker():
    w = WorkerProcess()
    yield w
    w.close()
