package io.earthling.manager.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.earthling.protocol.jobs.JobEventInfo;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.NodeInfo;
import io.earthling.protocol.jobs.QueueInfo;
import io.earthling.store.JobEvent;
import java.util.List;

/** The JSON shapes of the HTTP API (see openapi.json), built from the gRPC messages. */
final class Views {
    static final ObjectMapper JSON = new ObjectMapper();

    private Views() {
    }

    static ObjectNode job(JobInfo j) {
        ObjectNode o = JSON.createObjectNode().put("id", j.getId()).put("queue", j.getQueue()).put("type", j.getType())
                .put("state", j.getState()).put("attempts", j.getAttempts()).put("maxAttempts", j.getMaxAttempts())
                .put("priority", j.getPriority()).put("createdAtMs", j.getCreatedAtMs())
                .put("startedAtMs", j.getStartedAtMs()).put("finishedAtMs", j.getFinishedAtMs());
        if (j.getStartedAtMs() > 0 && j.getFinishedAtMs() >= j.getStartedAtMs()) {
            o.put("runMs", j.getFinishedAtMs() - j.getStartedAtMs());
        }
        putJson(o, "payload", j.getPayload());
        putJson(o, "result", j.getResult());
        putText(o, "error", j.getError());
        putText(o, "node", j.getAssignedNode());
        putText(o, "worker", j.getAssignedWorker());
        putText(o, "concurrencyKey", j.getConcurrencyKey());
        if (j.hasWaiting()) {
            ObjectNode w = o.putObject("waiting").put("reason", j.getWaiting().getReason())
                    .put("detail", j.getWaiting().getDetail());
            if (j.getWaiting().getUntilMs() > 0) {
                w.put("untilMs", j.getWaiting().getUntilMs());
            }
        }
        return o;
    }

    static ArrayNode jobs(List<JobInfo> jobs) {
        ArrayNode a = JSON.createArrayNode();
        jobs.forEach(j -> a.add(job(j)));
        return a;
    }

    static ObjectNode event(JobEventInfo e) {
        ObjectNode o = JSON.createObjectNode().put("atMs", e.getAtMs()).put("kind", e.getKind()).put("attempt", e.getAttempt());
        putText(o, "node", e.getNode());
        putText(o, "worker", e.getWorker());
        putText(o, "detail", e.getDetail());
        return o;
    }

    static ObjectNode event(JobEvent e) {
        ObjectNode o = JSON.createObjectNode().put("jobId", e.jobId()).put("atMs", e.atMs()).put("kind", e.kind())
                .put("attempt", e.attempt());
        putText(o, "node", e.node());
        putText(o, "worker", e.worker());
        putText(o, "detail", e.detail());
        return o;
    }

    static ObjectNode logs(io.earthling.protocol.logs.LogsResponse r) {
        ObjectNode o = JSON.createObjectNode().put("state", r.getState());
        ArrayNode a = o.putArray("attempts");
        r.getAttemptsList().forEach(l -> a.addObject().put("attempt", l.getAttempt()).put("atMs", l.getAtMs())
                .put("text", l.getText()).put("truncated", l.getText().contains("[log truncated at ")));
        if (r.hasRunning()) {
            o.putObject("running").put("attempt", r.getRunning().getAttempt()).put("text", r.getRunning().getText());
        }
        return o;
    }

    static ObjectNode node(NodeInfo n) {
        ObjectNode o = JSON.createObjectNode().put("id", n.getNodeId()).put("status", n.getStatus())
                .put("workers", n.getWorkerCount()).put("idle", n.getIdleCount()).put("running", n.getRunning())
                .put("broken", n.getBroken()).put("restarts", n.getRestarts()).put("lastSeenMsAgo", n.getLastSeenMsAgo())
                .put("delivered", n.getDelivered()).put("refused", n.getRefused()).put("cpuLoad", n.getCpuLoad())
                .put("loadAverage", n.getLoadAverage()).put("memoryAvailableBytes", n.getMemoryAvailableBytes())
                .put("diskAvailableBytes", n.getDiskAvailableBytes()).put("ioWait", n.getIoWait())
                .put("reason", n.getReason());
        ArrayNode types = o.putArray("types");
        n.getTypesList().forEach(types::add);
        return o;
    }

    static ObjectNode queue(QueueInfo q) {
        return JSON.createObjectNode().put("name", q.getName()).put("weight", q.getWeight())
                .put("concurrency", q.getConcurrency()).put("rateLimit", q.getRate()).put("paused", q.getPaused())
                .put("ready", q.getReady()).put("delayed", q.getDelayed()).put("running", q.getRunning())
                .put("depth", q.getReady() + q.getDelayed()).put("health", q.getHealth())
                .put("oldestReadyAgeMs", q.getOldestReadyMs() <= 0 ? 0 : Math.max(0, System.currentTimeMillis() - q.getOldestReadyMs()));
    }

    private static void putJson(ObjectNode o, String field, ByteString bytes) {
        if (bytes.isEmpty()) {
            return;
        }
        String text = bytes.toStringUtf8();
        try {
            o.set(field, JSON.readTree(text));
        } catch (Exception e) {
            o.put(field, text);
        }
    }

    private static void putText(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }

    static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw new HttpProblem(400, "body: empty; expected a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpProblem(400, "body: not JSON: " + e.getOriginalMessage());
        }
    }
}
