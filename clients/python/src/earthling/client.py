"""A client of the manager's ``Jobs`` gRPC service (jobs.proto): submit, get, wait, cancel, list.

    from earthling.client import Client, Job

    with Client("127.0.0.1:50051") as c:
        job_id = c.submit("analyze", {"docs": []}, queue="default", idempotency_key="run-7")
        [done] = c.wait([job_id], timeout_s=60)
        print(done.state, done.result)

Errors are :class:`EarthlingError`, with the messages of the Java client (``io.earthling.api.EarthlingClient``):
a manager that is not running, a refusal with its reason (an unknown type, a full intake), a job that does
not exist. A refusal the manager marks as retryable (no node yet, a leader change) is retried for up to 60 s.
"""

import json
import os
import time

import grpc

from earthling import _stubs

pb = _stubs.load("jobs_pb2")
pb_grpc = _stubs.load("jobs_pb2_grpc")

_RETRY_KEY = "earthling-retry-after-ms"  # io.earthling.api.internal.RetryHints.KEY
_MAX_WAIT_MS = 2000
_REFUSED = ("connection refused (is it running? `earthling run` starts one;"
            " --manager HOST:PORT or --config FILE names another)")
FINAL_STATES = ("SUCCEEDED", "DEAD", "CANCELLED")


class EarthlingError(Exception):
    """Every error the client raises on purpose (the Java client's EarthlingException)."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


class Job:
    """A job as the manager stores it. ``payload`` and ``result`` are parsed JSON (None when empty)."""

    __slots__ = ("id", "queue", "type", "state", "attempts", "max_attempts", "payload", "result", "error",
                 "node", "worker", "created_at_ms", "started_at_ms", "finished_at_ms", "priority")

    def __init__(self, info):
        self.id = info.id
        self.queue = info.queue
        self.type = info.type
        self.state = info.state
        self.attempts = info.attempts
        self.max_attempts = info.max_attempts
        self.payload = _parse(info.payload)
        self.result = _parse(info.result)
        self.error = info.error or None
        self.node = info.assigned_node or None
        self.worker = info.assigned_worker or None
        self.created_at_ms = info.created_at_ms
        self.started_at_ms = info.started_at_ms or None
        self.finished_at_ms = info.finished_at_ms or None
        self.priority = info.priority

    @property
    def final(self):
        return self.state in FINAL_STATES

    def __repr__(self):
        return "Job(id=%d, type=%r, state=%s, attempts=%d)" % (self.id, self.type, self.state, self.attempts)


def _parse(data):
    if not data:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        return data.decode("utf-8", "replace")


class _Bearer(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds ``authorization: Bearer TOKEN`` to every call."""

    def __init__(self, token):
        self._header = ("authorization", "Bearer " + token)

    def _details(self, d):
        return _CallDetails(d, list(d.metadata or []) + [self._header])

    def intercept_unary_unary(self, continuation, d, request):
        return continuation(self._details(d), request)

    def intercept_unary_stream(self, continuation, d, request):
        return continuation(self._details(d), request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, d, metadata):
        self.method, self.timeout, self.credentials = d.method, d.timeout, d.credentials
        self.wait_for_ready, self.compression = getattr(d, "wait_for_ready", None), getattr(d, "compression", None)
        self.metadata = metadata


class Client:
    """One channel to a manager (``host:port``); thread-safe; close it (or use ``with``).

    ``credentials``: for a cluster with TLS, ``grpc.ssl_channel_credentials(root_certificates=<ca.crt>,
    private_key=<client key>, certificate_chain=<client crt>)`` from ``earthling certs`` (docs/operations.md,
    "Securing a cluster"); None: plaintext, as in laptop mode. ``token``: an API token (``earthling tokens create``)
    or the manager's ``http.token``, sent with every call as ``authorization: Bearer TOKEN``; with TLS it stands in
    for a client certificate (then ``root_certificates`` alone is enough). Default: ``EARTHLING_TOKEN`` if set.
    """

    def __init__(self, target="127.0.0.1:50051", retry_budget_s=60.0, credentials=None, token=None):
        self.target = target
        self._retry_budget_s = retry_budget_s
        options = [("grpc.max_receive_message_length", 64 << 20)]
        self._channel = (grpc.insecure_channel(target, options=options) if credentials is None
                         else grpc.secure_channel(target, credentials, options=options))
        token = token if token is not None else (os.environ.get("EARTHLING_TOKEN") or "").strip() or None
        if token is not None:
            if not token or any(c <= " " or c > "~" for c in token):
                raise ValueError("token: expected the printable text of a token (et_...), without spaces")
            self._channel = grpc.intercept_channel(self._channel, _Bearer(token))
        self._jobs = pb_grpc.JobsStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- submitting

    @staticmethod
    def request(job_type, payload=None, queue=None, priority=0, max_attempts=0, idempotency_key=None,
                delay_s=0.0, timeout_s=0.0, routing_key=None, concurrency_key=None, concurrency_limit=0):
        """One job to submit: ``payload`` is anything JSON (or a str of JSON text)."""
        text = payload if isinstance(payload, str) else json.dumps({} if payload is None else payload)
        return pb.SubmitRequest(type=job_type, payload=text.encode("utf-8"), queue=queue or "", priority=priority,
                                max_attempts=max_attempts, idempotency_key=idempotency_key or "",
                                delay_ms=int(delay_s * 1000), timeout_ms=int(timeout_s * 1000),
                                routing_key=routing_key or "", concurrency_key=concurrency_key or "",
                                concurrency_limit=concurrency_limit)

    def submit(self, job_type, payload=None, **options):
        """Submits one job and returns its id; with an ``idempotency_key`` already used, the earlier job's id."""
        r = self._call(lambda: self._jobs.Submit(self.request(job_type, payload, **options), timeout=30), retry=True)
        return r.id

    def submit_batch(self, jobs):
        """Submits the jobs (requests from :meth:`request`, or ``(type, payload)`` pairs) in one transaction;
        returns ``[(id, created)]`` in order (``created`` False where the idempotency key named an earlier job)."""
        reqs = [j if isinstance(j, pb.SubmitRequest) else self.request(*j) for j in jobs]
        r = self._call(lambda: self._jobs.SubmitBatch(pb.SubmitBatchRequest(jobs=reqs), timeout=60), retry=True)
        return [(r.ids[i], len(r.existed) == 0 or not r.existed[i]) for i in range(len(r.ids))]

    # -- reading

    def get(self, job_id):
        """The job, or None if there is no such job."""
        try:
            return Job(self._jobs.Get(pb.GetRequest(id=job_id), timeout=30))
        except grpc.RpcError as e:
            if e.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise self._translate(e) from None

    def list(self, state=None, limit=50, queue=None, job_type=None, before_id=0, search=None):
        """Jobs newest first (a page of ``limit``; pass the last id as ``before_id`` for the next page);
        ``search``: only jobs whose payload contains this text, among the 100,000 newest."""
        req = pb.ListRequest(state=state or "", limit=limit, queue=queue or "", type=job_type or "",
                             before_id=before_id, search=search or "")
        return [Job(j) for j in self._call(lambda: self._jobs.List(req, timeout=30)).jobs]

    def wait(self, ids, timeout_s=60.0):
        """Waits until every job is final or ``timeout_s`` passed; returns the final ones, in request order."""
        ids = list(ids)
        deadline = time.monotonic() + timeout_s
        final = {}
        while True:
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            pending = [i for i in ids if i not in final]
            # The manager takes at most 1,000 ids per Wait (limits.maxWaitIds): a chunk at a time.
            more = False
            got = 0
            for at in range(0, len(pending), 1000):
                # At least 1 ms: a Wait without a timeout (0) waits the manager's default minute.
                req = pb.WaitRequest(ids=pending[at:at + 1000], timeout_ms=max(1, left_ms))
                r = self._call(lambda: self._jobs.Wait(req, timeout=left_ms / 1000.0 + 30))
                for j in r.jobs:
                    final[j.id] = Job(j)
                got += len(r.jobs)
                more = more or bool(r.pending)
                left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            # Past the deadline, ask again only while answers bring jobs: a full answer (32 MiB) leaves final ones
            # pending.
            if not more or left_ms == 0 and got == 0:
                return [final[i] for i in ids if i in final]

    def cancel(self, job_id):
        """Cancels the job (a running one is stopped on its worker) and returns it as it is now."""
        return Job(self._call(lambda: self._jobs.Cancel(pb.CancelJobRequest(id=job_id), timeout=30)))

    def run_now(self, job_id):
        """A delayed PENDING job (a delay, a retry's backoff) is due now; any other job is refused."""
        return Job(self._call(lambda: self._jobs.RunNow(pb.RunNowRequest(id=job_id), timeout=30)))

    def delete(self, ids=None, queue=None, job_type=None):
        """Deletes finished jobs with their events and logs: ``ids`` (all final, else nothing is deleted), or every
        DEAD job of ``queue`` (of ``job_type``). Returns the ids deleted."""
        req = pb.DeleteJobsRequest(ids=list(ids or []), queue=queue or "", type=job_type or "")
        return list(self._call(lambda: self._jobs.DeleteJobs(req, timeout=300)).ids)

    def nodes(self):
        """The nodes the leader knows, as the ``NodeInfo`` messages of jobs.proto."""
        return list(self._call(lambda: self._jobs.Nodes(pb.NodesRequest(), timeout=30)).nodes)

    # -- errors

    def _call(self, fn, retry=False):
        deadline = time.monotonic() + self._retry_budget_s
        backoff_ms = 0
        while True:
            try:
                return fn()
            except grpc.RpcError as e:
                hint = _hint_ms(e) if retry else -1
                if hint < 0:
                    raise self._translate(e) from None
                backoff_ms = min(_MAX_WAIT_MS, max(hint, backoff_ms * 2))
                if time.monotonic() + backoff_ms / 1000.0 > deadline:
                    raise self._translate(e) from None
                time.sleep(backoff_ms / 1000.0)  # the manager's own hint: it asked us to come back then

    def _translate(self, e):
        code = e.code()
        details = e.details() or ""
        if code == grpc.StatusCode.UNAVAILABLE:
            low = details.lower()
            if "connection refused" in low or "failed to connect" in low:
                return EarthlingError("cannot reach the manager at %s: %s" % (self.target, _REFUSED), code)
            if "dns resolution failed" in low or "name resolution" in low:
                return EarthlingError("cannot reach the manager at %s: unknown host %s"
                                      % (self.target, self.target.rsplit(":", 1)[0]), code)
        if code == grpc.StatusCode.DEADLINE_EXCEEDED and not details.startswith("Deadline"):
            return EarthlingError(details, code)
        return EarthlingError(details or code.name, code)


def _hint_ms(e):
    for k, v in (e.trailing_metadata() or ()):
        if k == _RETRY_KEY:
            try:
                return max(0, int(v))
            except ValueError:
                return -1
    return -1
