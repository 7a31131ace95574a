package io.earthling.manager.internal.api;

import com.google.protobuf.ByteString;
import io.earthling.core.QueueSnapshot;
import io.earthling.core.WaitFacts;
import io.earthling.core.WaitReason;
import io.earthling.protocol.jobs.JobEventInfo;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.QueueInfo;
import io.earthling.protocol.jobs.Waiting;
import io.earthling.store.JobEvent;
import io.earthling.store.StoredJob;

/** Store rows to protocol messages, once, at the edge. */
public final class Convert {
    private Convert() {
    }

    public static JobInfo info(StoredJob j, boolean withPayload) {
        JobInfo.Builder b = JobInfo.newBuilder().setId(j.id()).setQueue(j.queue()).setType(j.type())
                .setState(j.state().name()).setAttempts(j.attempts()).setMaxAttempts(j.maxAttempts())
                .setPriority(j.priority()).setCreatedAtMs(j.createdAtMs()).setStartedAtMs(j.startedAtMs())
                .setFinishedAtMs(j.finishedAtMs());
        if (withPayload && j.payload() != null) {
            b.setPayload(ByteString.copyFromUtf8(j.payload()));
        }
        if (j.result() != null) {
            b.setResult(ByteString.copyFromUtf8(j.result()));
        }
        if (j.error() != null) {
            b.setError(j.error());
        }
        if (j.assignedNode() != null) {
            b.setAssignedNode(j.assignedNode());
        }
        if (j.assignedWorker() != null) {
            b.setAssignedWorker(j.assignedWorker());
        }
        if (j.concurrencyKey() != null) {
            b.setConcurrencyKey(j.concurrencyKey());
        }
        return b.build();
    }

    /** {@link #info(StoredJob, boolean)} with why it waits, if it does, as {@code facts} explain. */
    public static JobInfo info(StoredJob j, boolean withPayload, WaitFacts facts) {
        JobInfo i = info(j, withPayload);
        WaitReason w = WaitReason.of(new WaitReason.Job(j.state(), j.queue(), j.type(), j.runAtMs(), j.attempts(),
                j.concurrencyKey(), j.concurrencyLimit()), facts);
        return w == null ? i : i.toBuilder().setWaiting(Waiting.newBuilder().setReason(w.kind().name())
                .setDetail(w.detail()).setUntilMs(w.untilMs())).build();
    }

    public static QueueInfo queue(QueueSnapshot q) {
        return QueueInfo.newBuilder().setName(q.name()).setWeight(q.limits().weight())
                .setConcurrency(q.limits().concurrency()).setRate(q.limits().ratePerSecond()).setPaused(q.paused())
                .setReady(q.ready()).setDelayed(q.delayed()).setRunning(q.running()).setHealth(q.health())
                .setOldestReadyMs(q.oldestReadyMs()).build();
    }

    public static JobEventInfo event(JobEvent e) {
        JobEventInfo.Builder b = JobEventInfo.newBuilder().setAtMs(e.atMs()).setKind(e.kind()).setAttempt(e.attempt());
        if (e.node() != null) {
            b.setNode(e.node());
        }
        if (e.worker() != null) {
            b.setWorker(e.worker());
        }
        if (e.detail() != null) {
            b.setDetail(e.detail());
        }
        return b.build();
    }
}
