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


class WorkerProcess:
    """A real `python3 -m earthling.worker` process on a free loopback port, as an assistant starts one."""

    def __init__(self, modules=("sample_handlers",)):
        self.port = free_port()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([SRC, HERE] + [p for p in [env.get("PYTHONPATH")] if p])
        cmd = [sys.executable, "-m", "earthling.worker", "--address", "127.0.0.1", "--port", str(self.port)]
        for m in modules:
            cmd += ["--module", m]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, env=env)
        self.channel = grpc.insecure_channel("127.0.0.1:%d" % self.port)
        self.stub = pb_grpc.WorkerStub(self.channel)
        self.types = self.stub.Types(pb.TypesRequest(), timeout=60, wait_for_ready=True)

    def stream(self):
        return WorkStream(self.stub)

    def close(self):
        self.channel.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        if self.proc.stdin:
            self.proc.stdin.close()


class WorkStream:
    """One Work stream: send batches, take answers one by one in the order they came."""

    def __init__(self, stub):
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
        except grpc.RpcError:
            pass
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
