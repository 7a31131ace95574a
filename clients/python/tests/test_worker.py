"""The worker process against the Worker protocol, as its assistant speaks it (a real process per test)."""
import json
import os
import subprocess
import sys

import grpc
import pytest

from conftest import SRC, WorkerProcess, job, pb, worker_env


def test_types_lists_the_handlers_of_the_named_modules_and_the_process_id(worker):
    assert "py.echo" in worker.types.types and "py.raise" in worker.types.types
    assert list(worker.types.types) == sorted(worker.types.types)
    assert worker.types.pid == worker.proc.pid


def test_a_handler_gets_the_parsed_payload_and_its_log_lines_become_the_attempts_log(worker):
    s = worker.stream()
    s.send(job(7, "py.echo", '{"a": [1, 2]}', attempt=3))
    a = s.next()
    assert a.job_id == 7 and a.ok and not a.returned
    assert json.loads(a.result) == {"a": [1, 2]}
    assert "echo of job 7 attempt 3\n" in a.log
    assert "INFO through the logger\n" in a.log
    assert 0 < a.started_at_ms <= a.finished_at_ms


def test_a_raising_handler_fails_with_its_traceback_as_the_error_and_may_be_retried(worker):
    s = worker.stream()
    s.send(job(1, "py.raise", '{"what": "x"}'))
    a = s.next()
    assert not a.ok and a.retryable
    assert a.error.startswith("Traceback (most recent call last):")
    assert "in _deeper" in a.error and a.error.endswith("ValueError: bad input: x")
    assert a.log == "about to fail\n"


def test_a_job_failure_fails_with_its_message_and_says_whether_to_retry(worker):
    s = worker.stream()
    s.send(job(1, "py.refuse"))
    a = s.next()
    assert (a.ok, a.error, a.retryable) == (False, "no such document", False)


def test_an_unknown_type_and_a_result_that_is_not_json_fail_without_retry(worker):
    s = worker.stream()
    s.send(job(1, "nope"), job(2, "py.notjson"))
    a, b = s.next(), s.next()
    assert not a.ok and not a.retryable and a.error.startswith("unknown job type 'nope' (this worker runs: ")
    assert not b.ok and not b.retryable and "not JSON" in b.error


def test_a_timeout_stops_a_sleeping_handler_and_the_attempt_may_be_retried(worker):
    s = worker.stream()
    s.send(job(1, "py.sleep", '{"ms": 600000}', timeout_ms=300))
    a = s.next()
    assert (a.ok, a.cancelled, a.retryable, a.error) == (False, False, True, "timed out after 300 ms")
    assert "sleeping 600000 ms" in a.log
    s.send(job(2, "py.echo", '{"after": true}'))
    assert s.next().ok, "the worker runs the next job after a timeout"


def test_an_interrupt_cancels_a_sleeping_handler_a_spinning_one_and_one_that_swallows_exceptions(worker):
    s = worker.stream()
    for job_id, job_type in [(1, "py.sleep"), (2, "py.spin"), (3, "py.stubborn")]:
        s.send(job(job_id, job_type, '{"ms": 600000}'))
        _await_running(worker, job_id)
        assert worker.stub.Interrupt(pb.InterruptRequest(job_id=job_id), timeout=10).found
        a = s.next()
        assert (a.job_id, a.ok, a.cancelled, a.error) == (job_id, False, True, "cancelled")
    assert not worker.stub.Interrupt(pb.InterruptRequest(job_id=99), timeout=10).found


def test_tail_shows_what_a_running_job_has_logged_so_far(worker):
    s = worker.stream()
    s.send(job(5, "py.sleep", '{"ms": 600000}'))
    _await_running(worker, 5)
    assert worker.stub.Tail(pb.TailRequest(job_id=5), timeout=10).log == "sleeping 600000 ms\n"
    assert not worker.stub.Tail(pb.TailRequest(job_id=6), timeout=10).found
    worker.stub.Interrupt(pb.InterruptRequest(job_id=5), timeout=10)


def test_quick_jobs_sent_together_run_in_order_and_their_answers_come_back_together(worker):
    s = worker.stream()
    s.send(*[job(i, "py.noop") for i in range(1, 51)])
    answers = [s.next() for _ in range(50)]
    assert [a.job_id for a in answers] == list(range(1, 51))
    assert all(a.ok for a in answers)
    assert s.batches_seen < 50, "answers of jobs that ended while others waited share messages"


def test_jobs_waiting_behind_a_slow_one_are_handed_back_unstarted(worker):
    s = worker.stream()
    s.send(job(1, "py.sleep", '{"ms": 300}'), job(2, "py.echo"), job(3, "py.echo"))
    first_two = [s.next(), s.next()]
    assert sorted((a.job_id, a.returned) for a in first_two) == [(2, True), (3, True)]
    assert s.next().job_id == 1
    s.send(job(4, "py.sleep", '{"ms": 300}'))
    _await_running(worker, 4)
    s.send(job(5, "py.echo"))  # arrives behind a job already slow: handed back at once
    a = s.next()
    assert (a.job_id, a.returned) == (5, True)
    assert s.next().job_id == 4


def test_a_split_answers_with_the_same_result_field_as_java(worker):
    s = worker.stream()
    s.send(job(1, "py.fanout", '{"n": 2}'))
    a = s.next()
    assert a.ok and a.split and a.result.startswith(b'{"earthling.split"')
    split = json.loads(a.result)["earthling.split"]
    assert split["gather"] == "py.sum" and split["onChildFailure"] == "FAIL_FAST"
    assert [c["payload"] for c in split["children"]] == [{"i": 0}, {"i": 1}]
    assert split["indexed"] == {"type": "py.echo", "count": 2, "payload": {"base": True}}


def test_a_result_that_reads_like_a_split_is_a_result(worker):
    s = worker.stream()
    s.send(job(1, "py.echo", '{"earthling.split": {"gather": "py.sum", "children": []}}'))
    a = s.next()
    assert a.ok and not a.split
    assert json.loads(a.result) == {"earthling.split": {"gather": "py.sum", "children": []}}


def test_a_gather_sees_the_childrens_results(worker):
    s = worker.stream()
    s.send(job(1, "py.sum", json.dumps({"parent": 9, "results": [1, None, {"x": 2}], "errors": [None, "e", None]})))
    assert json.loads(s.next().result) == {"children": 3}


def test_a_second_stream_is_refused_while_the_first_is_open_and_taken_once_it_ended(worker):
    first = worker.stream()
    first.send(job(1, "py.echo"))
    assert first.next().ok
    second = worker.stream()
    second.send(job(2, "py.echo"))
    assert second.next() is None, "refused"
    assert second.error.code() == grpc.StatusCode.FAILED_PRECONDITION
    first.send(job(3, "py.echo"))
    assert first.next().job_id == 3, "the first one still works"
    first.end()
    assert first.next() is None
    again = worker.stream()
    again.send(job(4, "py.echo"))
    assert again.next().job_id == 4


def test_calls_without_the_secret_or_with_another_are_refused(worker):
    for stub in (worker.stranger, worker.stub_with("wrong"), worker.stub_with(worker.secret + "x")):
        with pytest.raises(grpc.RpcError) as e:
            stub.Types(pb.TypesRequest(), timeout=10)
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
        s = worker.stream(stub)
        s.send(job(1, "py.echo"))
        assert s.next() is None
        assert s.error.code() == grpc.StatusCode.UNAUTHENTICATED
    s = worker.stream()
    s.send(job(2, "py.echo"))
    assert s.next().job_id == 2, "its assistant's stream still works"


def test_a_worker_without_a_secret_or_on_a_non_loopback_address_does_not_start():
    env = worker_env("x")
    del env["EARTHLING_WORKER_SECRET"]
    p = subprocess.run([sys.executable, "-m", "earthling.worker", "--address", "127.0.0.1", "--port", "1",
                        "--module", "sample_handlers"], env=env, stdin=subprocess.PIPE, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode != 0 and "EARTHLING_WORKER_SECRET is not set" in p.stderr
    p = subprocess.run([sys.executable, "-m", "earthling.worker", "--address", "0.0.0.0", "--port", "1",
                        "--module", "sample_handlers"], env=worker_env("x"), stdin=subprocess.PIPE,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode != 0 and "loopback address only" in p.stderr


def test_handlers_do_not_see_the_secret(worker):
    s = worker.stream()
    s.send(job(1, "py.env"))
    a = s.next()
    assert a.ok and b"EARTHLING_WORKER_SECRET" not in a.result


def test_the_worker_exits_when_its_stdin_closes():
    w = WorkerProcess()
    try:
        w.proc.stdin.close()
        assert w.proc.wait(timeout=30) == 0
    finally:
        w.close()


def test_a_module_that_does_not_import_stops_the_worker_with_its_name():
    env = dict(os.environ, PYTHONPATH=SRC, EARTHLING_WORKER_SECRET="x")
    p = subprocess.run([sys.executable, "-m", "earthling.worker", "--address", "127.0.0.1", "--port", "1",
                        "--module", "no_such_module_here"], env=env, stdin=subprocess.PIPE, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode != 0
    assert "cannot import handler module 'no_such_module_here'" in p.stderr


def _await_running(worker, job_id):
    """Until the worker says the job runs (its Tail finds it)."""
    while not worker.stub.Tail(pb.TailRequest(job_id=job_id), timeout=10).found:
        pass


def test_once_runs_one_job_of_a_handler_with_the_payload_from_stdin():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, os.path.dirname(os.path.abspath(__file__))]))
    ok = subprocess.run([sys.executable, "-m", "earthling.once", "sample_handlers", "py.echo"], env=env,
                        input='{"a": 1}', capture_output=True, text=True, timeout=60)
    assert (ok.returncode, json.loads(ok.stdout)) == (0, {"a": 1})
    assert ok.stderr.startswith("echo of job 0 attempt 1\n")
    failed = subprocess.run([sys.executable, "-m", "earthling.once", "sample_handlers", "py.raise"], env=env,
                            input="{}", capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1 and "ValueError: bad input: ?" in failed.stderr
