"""The client against a stand-in Jobs service: requests as sent, answers and errors as the Java client's."""
import json
from concurrent import futures

import grpc
import pytest

from conftest import free_port
from earthling import _stubs
from earthling.client import Client, EarthlingError

pb = _stubs.load("jobs_pb2")
pb_grpc = _stubs.load("jobs_pb2_grpc")


class FakeJobs(pb_grpc.JobsServicer):
    def __init__(self):
        self.submitted = []
        self.refusals = 0  # Submit refuses this many times with a retry hint first

    def Submit(self, request, context):
        if self.refusals > 0:
            self.refusals -= 1
            context.set_trailing_metadata((("earthling-retry-after-ms", "10"),))
            context.abort(grpc.StatusCode.UNAVAILABLE, "no node runs type 'x' yet")
        if request.type == "bad type":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "not a job type: \"bad type\"")
        self.submitted.append(request)
        return pb.SubmitResponse(id=len(self.submitted), existed=False)

    def SubmitBatch(self, request, context):
        self.submitted.extend(request.jobs)
        return pb.SubmitBatchResponse(ids=[10, 11], existed=[False, True])

    def Get(self, request, context):
        if request.id != 1:
            context.abort(grpc.StatusCode.NOT_FOUND, "no job %d" % request.id)
        return pb.JobInfo(id=1, type="py.echo", state="SUCCEEDED", payload=b'{"a": 1}', result=b'{"b": 2}')

    def Wait(self, request, context):
        return pb.WaitResponse(jobs=[pb.JobInfo(id=i, state="DEAD", error="boom") for i in request.ids if i % 2],
                               pending=[i for i in request.ids if not i % 2])

    def Cancel(self, request, context):
        if request.id == 404:
            context.abort(grpc.StatusCode.NOT_FOUND, "no job 404")
        return pb.JobInfo(id=request.id, state="CANCELLED")

    def List(self, request, context):
        self.authorization = dict(context.invocation_metadata()).get("authorization")
        return pb.ListResponse(jobs=[pb.JobInfo(id=3, state=request.state, queue=request.queue, error=request.search)])

    def RunNow(self, request, context):
        if request.id != 7:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION,
                          "job %d is SUCCEEDED; only a delayed PENDING job can be run now" % request.id)
        return pb.JobInfo(id=7, state="PENDING")

    def DeleteJobs(self, request, context):
        if request.ids:
            return pb.DeleteJobsResponse(ids=request.ids)
        return pb.DeleteJobsResponse(ids=[20, 21] if request.queue == "mail" else [])


@pytest.fixture
def served():
    fake = FakeJobs()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    pb_grpc.add_JobsServicer_to_server(fake, server)
    port = server.add_insecure_port("127.0.0.1:%d" % free_port())
    server.start()
    with Client("127.0.0.1:%d" % port) as c:
        yield fake, c
    server.stop(None)


def test_submit_sends_every_option_and_returns_the_id(served):
    fake, c = served
    assert c.submit("py.echo", {"x": 1}, queue="mining", priority=5, idempotency_key="k1", delay_s=1.5,
                    max_attempts=3, timeout_s=2) == 1
    r = fake.submitted[0]
    assert (r.type, json.loads(r.payload), r.queue, r.priority, r.idempotency_key, r.delay_ms, r.max_attempts,
            r.timeout_ms) == ("py.echo", {"x": 1}, "mining", 5, "k1", 1500, 3, 2000)


def test_a_batch_says_which_jobs_existed_under_their_idempotency_key(served):
    fake, c = served
    assert c.submit_batch([("py.echo", {"i": 0}), c.request("py.echo", {"i": 1}, idempotency_key="k")]) == [
        (10, True), (11, False)]
    assert [r.idempotency_key for r in fake.submitted] == ["", "k"]


def test_a_refusal_with_a_retry_hint_is_retried_and_a_plain_refusal_is_an_error_with_its_reason(served):
    fake, c = served
    fake.refusals = 2
    assert c.submit("py.echo") == 1
    with pytest.raises(EarthlingError, match='^not a job type: "bad type"$') as e:
        c.submit("bad type")
    assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT


def test_get_parses_payload_and_result_and_gives_none_for_a_missing_job(served):
    _, c = served
    j = c.get(1)
    assert (j.id, j.state, j.payload, j.result, j.final) == (1, "SUCCEEDED", {"a": 1}, {"b": 2}, True)
    assert c.get(2) is None


def test_wait_returns_the_final_jobs_in_request_order_at_the_deadline(served):
    _, c = served
    assert [(j.id, j.error) for j in c.wait([3, 2, 1], timeout_s=0)] == [(3, "boom"), (1, "boom")]


def test_cancel_and_list(served):
    _, c = served
    assert c.cancel(5).state == "CANCELLED"
    with pytest.raises(EarthlingError, match="^no job 404$"):
        c.cancel(404)
    assert [(j.id, j.state, j.queue) for j in c.list(state="DEAD", queue="q")] == [(3, "DEAD", "q")]


def test_run_now_delete_and_search(served):
    _, c = served
    assert c.run_now(7).state == "PENDING"
    with pytest.raises(EarthlingError, match="only a delayed PENDING job can be run now$"):
        c.run_now(8)
    assert c.delete([4, 5]) == [4, 5]
    assert c.delete(queue="mail") == [20, 21]
    assert c.delete(queue="other") == []
    assert [j.error for j in c.list(search="a@b")] == ["a@b"]


def test_a_manager_that_is_not_running_is_named_with_the_java_clients_words():
    with Client("127.0.0.1:%d" % free_port()) as c:
        with pytest.raises(EarthlingError, match=r"^cannot reach the manager at 127\.0\.0\.1:\d+: connection refused"):
            c.get(1)


def test_a_token_is_sent_as_a_bearer_authorization_header_and_none_without_one(served, monkeypatch):
    fake, plain = served
    monkeypatch.delenv("EARTHLING_TOKEN", raising=False)
    plain.list()
    assert fake.authorization is None
    with Client(plain.target, token="et_abc") as c:
        c.list()
    assert fake.authorization == "Bearer et_abc"
    monkeypatch.setenv("EARTHLING_TOKEN", "et_from_env")
    with Client(plain.target) as c:
        c.list()
    assert fake.authorization == "Bearer et_from_env"
    with pytest.raises(ValueError, match="token: expected"):
        Client(plain.target, token="two words")
