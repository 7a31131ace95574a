package io.earthling.api.internal;

import com.google.protobuf.ByteString;
import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.NodeView;
import io.earthling.api.QueueView;
import io.earthling.api.JobEventView;
import io.earthling.api.ScheduleSpec;
import io.earthling.api.ScheduleView;
import io.earthling.protocol.jobs.CancelJobRequest;
import io.earthling.protocol.jobs.DeleteScheduleRequest;
import io.earthling.protocol.jobs.ListSchedulesRequest;
import io.earthling.protocol.jobs.RetryRequest;
import io.earthling.protocol.jobs.ScheduleInfo;
import io.earthling.protocol.jobs.GetRequest;
import io.earthling.protocol.jobs.JobInfo;
import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.ListRequest;
import io.earthling.protocol.jobs.NodesRequest;
import io.earthling.protocol.jobs.SubmitBatchRequest;
import io.earthling.protocol.jobs.SubmitRequest;
import io.earthling.protocol.jobs.WaitRequest;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.earthling.protocol.pipelines.PipelinesGrpc;
import io.earthling.protocol.pipelines.PipelineStatusResponse;
import io.earthling.protocol.pipelines.PipelineStatusRequest;
import io.earthling.api.PipelineView;

public final class GrpcEarthlingClient implements EarthlingClient {
    private final String target;
    private final boolean plaintext;
    private final ManagedChannel channel;
    private final JobsGrpc.JobsBlockingStub jobs;
    private final io.earthling.protocol.logs.JobLogsGrpc.JobLogsBlockingStub logs;

    public GrpcEarthlingClient(String host, int port) {
        this(host, port, null, null);
    }

    /** {@code tls} null: plaintext; {@code token} null: no {@code authorization} metadata. */
    public GrpcEarthlingClient(String host, int port, io.earthling.api.ClientTls tls, String token) {
        this.target = host + ":" + port;
        this.plaintext = tls == null;
        ManagedChannelBuilder<?> b = (tls == null ? ManagedChannelBuilder.forAddress(host, port).usePlaintext()
                : io.grpc.Grpc.newChannelBuilderForAddress(host, port, credentials(tls)))
                .maxInboundMessageSize(64 * 1024 * 1024);
        if (token != null) {
            if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new EarthlingException("token: expected the printable text of a token (et_...), without spaces");
            }
            io.grpc.Metadata headers = new io.grpc.Metadata();
            headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + token);
            b.intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        this.channel = b.build();
        this.jobs = JobsGrpc.newBlockingStub(channel);
        this.logs = io.earthling.protocol.logs.JobLogsGrpc.newBlockingStub(channel);
    }

    private static io.grpc.ChannelCredentials credentials(io.earthling.api.ClientTls tls) {
        try {
            io.grpc.TlsChannelCredentials.Builder b = io.grpc.TlsChannelCredentials.newBuilder()
                    .trustManager(tls.ca().toFile());
            if (tls.cert() != null && tls.key() != null) {
                b.keyManager(tls.cert().toFile(), tls.key().toFile());
            }
            return b.build();
        } catch (java.io.IOException e) {
            throw new EarthlingException("tls: cannot read " + tls.ca() + ", " + tls.cert() + " or " + tls.key()
                    + ": " + e.getMessage());
        }
    }

    @Override
    public List<io.earthling.api.LogChunkView> logs(long id) {
        io.earthling.protocol.logs.LogsRequest req = io.earthling.protocol.logs.LogsRequest.newBuilder().setId(id).build();
        return call(() -> {
            io.earthling.protocol.logs.LogsResponse r = logs.withDeadlineAfter(30, TimeUnit.SECONDS).get(req);
            return r.getAttemptsList().stream().map(a -> new io.earthling.api.LogChunkView(a.getAttempt(), a.getText(), true,
                    r.getState(), false)).toList();
        });
    }

    @Override
    public String followLogs(long id, java.util.function.Consumer<io.earthling.api.LogChunkView> each) {
        io.earthling.protocol.logs.LogsRequest req = io.earthling.protocol.logs.LogsRequest.newBuilder().setId(id).build();
        return call(() -> {
            java.util.Iterator<io.earthling.protocol.logs.LogChunk> it = logs.follow(req);
            String state = "";
            while (it.hasNext()) {
                io.earthling.protocol.logs.LogChunk c = it.next();
                state = c.getState();
                each.accept(new io.earthling.api.LogChunkView(c.getAttempt(), c.getText(), c.getAttemptDone(), c.getState(),
                        c.getEnd()));
            }
            return state;
        });
    }

    @Override
    public void checkReachable(Duration within) {
        // A plain socket first: gRPC's first connection also loads and starts Netty, which on a busy machine alone
        // can take longer than the time we give the network.
        connectSocket(within);
        // Then gRPC's handshake, bounded loosely: a manager that answers it is there, however slow its first reply.
        Duration handshake = within.plusSeconds(10);
        long end = System.nanoTime() + handshake.toNanos();
        while (true) {
            ConnectivityState state = channel.getState(true);
            if (state == ConnectivityState.READY) {
                return;
            }
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                EarthlingException why = whyNotConnected();
                if (why == null) {
                    return;
                }
                throw why;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new EarthlingException(target + " accepts connections but gives no gRPC handshake within "
                        + seconds(handshake) + ": is it an Earthling manager's gRPC port (rpc.manager.port, default 50051)?");
            }
            java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            try {
                changed.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EarthlingException("interrupted while connecting to " + target);
            }
        }
    }

    private void connectSocket(Duration within) {
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), (int) Math.max(1, within.toMillis()));
        } catch (java.net.UnknownHostException e) {
            throw new EarthlingException("cannot reach the manager at " + target + ": unknown host " + host, e);
        } catch (java.net.SocketTimeoutException e) {
            throw new EarthlingException("no answer from the manager at " + target + " within " + seconds(within)
                    + " (a wrong address, a firewall, or a host that is down?)", e);
        } catch (java.net.NoRouteToHostException e) {
            throw new EarthlingException("cannot reach the manager at " + target + ": no route to host (a wrong address,"
                    + " or a host that is down?)", e);
        } catch (java.net.ConnectException e) {
            throw new EarthlingException("cannot reach the manager at " + target + ": " + REFUSED, e);
        } catch (java.io.IOException e) {
            throw new EarthlingException("cannot reach the manager at " + target + ": " + e.getMessage(), e);
        }
    }

    /** The channel failed to connect: a call that fails at once carries the reason (null: it got through after all). */
    private EarthlingException whyNotConnected() {
        try {
            jobs.withDeadlineAfter(1, TimeUnit.SECONDS).get(GetRequest.newBuilder().setId(0).build());
            return null;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.NOT_FOUND ? null : translate(e);
        }
    }

    /** The server dropped the connection without an HTTP/2 answer: what a TLS port does to a plaintext client. */
    private static boolean closedOnUs(StatusRuntimeException e) {
        if (String.valueOf(e.getStatus().getDescription()).contains("Network closed for unknown reason")) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("Connection reset by peer")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefused(StatusRuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static final String REFUSED = "connection refused (is it running? `earthling run` starts one;"
            + " --manager HOST:PORT or --config FILE names another)";

    @Override
    public long submit(JobSpec job) {
        return call(() -> RetryHints.retrying(() -> jobs.withDeadlineAfter(30, TimeUnit.SECONDS).submit(toProto(job))
                .getId(), 60_000));
    }

    @Override
    public List<io.earthling.api.Submitted> submitEach(List<JobSpec> specs) {
        SubmitBatchRequest.Builder b = SubmitBatchRequest.newBuilder();
        specs.forEach(s -> b.addJobs(toProto(s)));
        io.earthling.protocol.jobs.SubmitBatchResponse r = call(() -> RetryHints.retrying(
                () -> jobs.withDeadlineAfter(60, TimeUnit.SECONDS).submitBatch(b.build()), 60_000));
        List<io.earthling.api.Submitted> all = new ArrayList<>(r.getIdsCount());
        for (int i = 0; i < r.getIdsCount(); i++) {
            all.add(new io.earthling.api.Submitted(r.getIds(i), r.getExistedCount() == 0 || !r.getExisted(i)));
        }
        return all;
    }

    @Override
    public Optional<JobView> get(long id) {
        try {
            return Optional.of(toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .get(GetRequest.newBuilder().setId(id).build())));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw translate(e);
        }
    }

    @Override
    public List<JobView> list(JobState state, String queue, String search, int limit, boolean internal) {
        ListRequest req = ListRequest.newBuilder().setState(state == null ? "" : state.name()).setLimit(limit)
                .setQueue(queue == null ? "" : queue).setSearch(search == null ? "" : search)
                .setInternal(internal).build();
        return call(() -> jobs.withDeadlineAfter(30, TimeUnit.SECONDS).list(req).getJobsList().stream()
                .map(GrpcEarthlingClient::toView).toList());
    }

    @Override
    public JobView cancel(long id) {
        return call(() -> toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                .cancel(CancelJobRequest.newBuilder().setId(id).build())));
    }

    @Override
    public List<JobView> await(List<Long> ids, Duration timeout) {
        // A manager takes at most WAIT_IDS ids per Wait and waits at most a few minutes per call (limits.maxWaitIds,
        // limits.maxWaitMs): ask in chunks, and again for what is still pending while time is left.
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.Map<Long, JobView> done = new java.util.HashMap<>();
        List<Long> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += WAIT_IDS) {
            List<Long> left = all.subList(from, Math.min(all.size(), from + WAIT_IDS));
            while (true) {
                // At least 1 ms: a Wait without a timeout (0) waits the manager's default minute.
                long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                WaitRequest req = WaitRequest.newBuilder().addAllIds(left).setTimeoutMs(leftMs).build();
                io.earthling.protocol.jobs.WaitResponse r = call(() -> jobs.withDeadlineAfter(leftMs + 30_000,
                        TimeUnit.MILLISECONDS).wait(req));
                r.getJobsList().forEach(j -> done.put(j.getId(), toView(j)));
                left = r.getPendingList();
                // Past the deadline, ask again only while answers bring jobs: a full answer leaves final ones pending.
                if (left.isEmpty() || System.nanoTime() >= deadline && r.getJobsCount() == 0) {
                    break;
                }
            }
        }
        return ids.stream().distinct().filter(done::containsKey).map(done::get).toList();
    }

    /** Ids per Wait call: the manager's default limits.maxWaitIds. */
    private static final int WAIT_IDS = 1000;

    @Override
    public List<NodeView> nodes() {
        return call(() -> jobs.withDeadlineAfter(30, TimeUnit.SECONDS).nodes(NodesRequest.getDefaultInstance())
                .getNodesList().stream().map(GrpcEarthlingClient::toView).toList());
    }

    @Override
    public NodeView drain(String nodeId) {
        return call(() -> toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                .drain(io.earthling.protocol.jobs.DrainNodeRequest.newBuilder().setNodeId(nodeId).build())));
    }

    @Override
    public List<QueueView> queues() {
        return call(() -> jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                .queues(io.earthling.protocol.jobs.QueuesRequest.getDefaultInstance())
                .getQueuesList().stream().map(GrpcEarthlingClient::toView).toList());
    }

    @Override
    public QueueView pause(String queue, boolean paused, boolean create) {
        return call(() -> toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS).pauseQueue(
                io.earthling.protocol.jobs.PauseQueueRequest.newBuilder().setQueue(queue).setPaused(paused)
                        .setCreate(create).build())));
    }

    private static QueueView toView(io.earthling.protocol.jobs.QueueInfo q) {
        return new QueueView(q.getName(), q.getWeight(), q.getConcurrency(), q.getRate(), q.getPaused(), q.getReady(),
                q.getDelayed(), q.getRunning(), q.getHealth(), instant(q.getOldestReadyMs()));
    }

    @Override
    public List<JobEventView> events(long id) {
        return call(() -> jobs.withDeadlineAfter(30, TimeUnit.SECONDS).events(GetRequest.newBuilder().setId(id).build())
                .getEventsList().stream().map(e -> new JobEventView(Instant.ofEpochMilli(e.getAtMs()), e.getKind(),
                        e.getAttempt(), blankToNull(e.getNode()), blankToNull(e.getWorker()), blankToNull(e.getDetail())))
                .toList());
    }

    @Override
    public List<Long> retry(List<Long> ids) {
        return call(() -> jobs.withDeadlineAfter(60, TimeUnit.SECONDS).retry(RetryRequest.newBuilder().addAllIds(ids).build())
                .getIdsList());
    }

    @Override
    public JobView runNow(long id) {
        return call(() -> toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                .runNow(io.earthling.protocol.jobs.RunNowRequest.newBuilder().setId(id).build())));
    }

    @Override
    public List<Long> delete(List<Long> ids) {
        return call(() -> jobs.withDeadlineAfter(300, TimeUnit.SECONDS).deleteJobs(
                io.earthling.protocol.jobs.DeleteJobsRequest.newBuilder().addAllIds(ids).build()).getIdsList());
    }

    @Override
    public List<Long> deleteDead(String queue, String type) {
        io.earthling.protocol.jobs.DeleteJobsRequest.Builder b = io.earthling.protocol.jobs.DeleteJobsRequest.newBuilder()
                .setQueue(queue == null ? "default" : queue);
        if (type != null) {
            b.setType(type);
        }
        return call(() -> jobs.withDeadlineAfter(300, TimeUnit.SECONDS).deleteJobs(b.build()).getIdsList());
    }

    @Override
    public long purge(java.time.Duration olderThan, java.util.Set<io.earthling.api.JobState> states, String queue) {
        io.earthling.protocol.jobs.PurgeRequest.Builder b = io.earthling.protocol.jobs.PurgeRequest.newBuilder()
                .setOlderThanMs(olderThan.toMillis());
        states.forEach(s -> b.addStates(s.name()));
        if (queue != null) {
            b.setQueue(queue);
        }
        return call(() -> jobs.withDeadlineAfter(3_600, TimeUnit.SECONDS).purge(b.build()).getDeleted());
    }

    @Override
    public List<Long> retryDead(String queue, String type) {
        RetryRequest.Builder b = RetryRequest.newBuilder().setQueue(queue == null ? "default" : queue);
        if (type != null) {
            b.setType(type);
        }
        return call(() -> jobs.withDeadlineAfter(60, TimeUnit.SECONDS).retry(b.build()).getIdsList());
    }

    @Override
    public ScheduleView createSchedule(ScheduleSpec s) {
        ScheduleInfo.Builder b = ScheduleInfo.newBuilder().setName(nonNull(s.name())).setCron(nonNull(s.cron()))
                .setTimeZone(nonNull(s.timeZone())).setType(nonNull(s.type())).setQueue(nonNull(s.queue()))
                .setPayload(ByteString.copyFromUtf8(nonNull(s.payload()))).setPriority(s.priority())
                .setMaxAttempts(s.maxAttempts());
        return call(() -> toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS).createSchedule(b.build())));
    }

    @Override
    public List<ScheduleView> schedules() {
        return call(() -> jobs.withDeadlineAfter(30, TimeUnit.SECONDS).listSchedules(ListSchedulesRequest.getDefaultInstance())
                .getSchedulesList().stream().map(GrpcEarthlingClient::toView).toList());
    }

    @Override
    public ScheduleView deleteSchedule(String name) {
        return call(() -> toView(jobs.withDeadlineAfter(30, TimeUnit.SECONDS)
                .deleteSchedule(DeleteScheduleRequest.newBuilder().setName(name).build())));
    }

    private static ScheduleView toView(ScheduleInfo s) {
        ScheduleSpec spec = new ScheduleSpec(s.getName(), s.getCron(), s.getTimeZone(), s.getType(),
                s.getPayload().toString(StandardCharsets.UTF_8), s.getQueue(), s.getPriority(), s.getMaxAttempts());
        return new ScheduleView(spec, s.getOrigin(), instant(s.getLastTickMs()), instant(s.getNextTickMs()));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static NodeView toView(io.earthling.protocol.jobs.NodeInfo n) {
        return new NodeView(n.getNodeId(), n.getStatus(), n.getWorkerCount(), n.getIdleCount(), n.getRunning(),
                List.copyOf(n.getTypesList()), n.getLastSeenMsAgo(), n.getDelivered(), n.getRefused(), n.getCpuLoad(),
                n.getLoadAverage(), n.getMemoryAvailableBytes(), n.getDiskAvailableBytes(), n.getIoWait(),
                n.getBroken(), n.getRestarts(), n.getReason());
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    private EarthlingException translate(StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.NOT_FOUND) {
            return new EarthlingException(s.getDescription(), e);
        }
        String description = String.valueOf(s.getDescription()) + " " + String.valueOf(s.getCause());
        if (description.contains("http2 exception") || description.contains("Http2Exception")
                || description.contains("HTTP status code") || description.contains("First received frame was not SETTINGS")) {
            return new EarthlingException(target + " answers, but not as an Earthling manager (gRPC): is it the HTTP port?"
                    + " Give the manager's gRPC port (rpc.manager.port, default 50051)", e);
        }
        if (s.getCode() == Status.Code.UNAVAILABLE && description.contains("Unable to resolve host")) {
            return new EarthlingException("cannot reach the manager at " + target + ": unknown host "
                    + target.substring(0, target.lastIndexOf(':')), e);
        }
        if (s.getCode() == Status.Code.UNAVAILABLE && plaintext && closedOnUs(e)) {
            return new EarthlingException("cannot reach the manager at " + target + ": it closed the connection; a"
                    + " manager with TLS needs a client certificate (tls.ca, tls.cert, tls.key or EARTHLING_TLS_*),"
                    + " or its CA and a token (--ca and --token; docs/operations.md, Securing a cluster)", e);
        }
        if (s.getCode() == Status.Code.UNAVAILABLE && isRefused(e)) {
            return new EarthlingException("cannot reach the manager at " + target + ": " + REFUSED, e);
        }
        if (s.getCode() == Status.Code.UNAVAILABLE && (s.getCause() != null || s.getDescription() == null
                || s.getDescription().equals("io exception"))) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof java.net.NoRouteToHostException ? "no route to host (a wrong address, or a host that is down?)"
                    : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().replaceFirst("^.*: ", "");
            return new EarthlingException("cannot reach the manager at " + target + ": " + why, e);
        }
        if (s.getCode() == Status.Code.PERMISSION_DENIED || s.getCode() == Status.Code.UNAUTHENTICATED) {
            return new EarthlingException("refused (" + s.getCode() + "): " + s.getDescription(), e);
        }
        return new EarthlingException(s.getDescription() == null ? s.getCode().toString() : s.getDescription(), e);
    }

    static SubmitRequest toProto(JobSpec s) {
        SubmitRequest.Builder b = SubmitRequest.newBuilder().setType(s.type())
                .setPayload(ByteString.copyFromUtf8(s.payload())).setQueue(s.queue()).setPriority(s.priority())
                .setMaxAttempts(s.maxAttempts()).setDelayMs(s.delay().toMillis()).setTimeoutMs(s.timeout().toMillis());
        if (s.idempotencyKey() != null) {
            b.setIdempotencyKey(s.idempotencyKey());
        }
        if (s.routingKey() != null) {
            b.setRoutingKey(s.routingKey());
        }
        if (s.concurrencyKey() != null) {
            b.setConcurrencyKey(s.concurrencyKey()).setConcurrencyLimit(s.concurrencyLimit());
        }
        return b.build();
    }

    @Override
    public io.earthling.api.TokenView.Issued createToken(String name, List<String> roles, java.time.Duration expiresIn) {
        io.earthling.protocol.tokens.CreateTokenResponse r = call(() -> tokenStub().withDeadlineAfter(30, TimeUnit.SECONDS)
                .create(io.earthling.protocol.tokens.CreateTokenRequest.newBuilder().setName(name).addAllRoles(roles)
                        .setExpiresInMs(expiresIn == null ? 0 : expiresIn.toMillis()).build()));
        return new io.earthling.api.TokenView.Issued(r.getToken(), token(r.getInfo()));
    }

    @Override
    public List<io.earthling.api.TokenView> tokens() {
        return call(() -> tokenStub().withDeadlineAfter(30, TimeUnit.SECONDS)
                .list(io.earthling.protocol.tokens.ListTokensRequest.getDefaultInstance()))
                .getTokensList().stream().map(GrpcEarthlingClient::token).toList();
    }

    @Override
    public io.earthling.api.TokenView revokeToken(String name) {
        return token(call(() -> tokenStub().withDeadlineAfter(30, TimeUnit.SECONDS)
                .revoke(io.earthling.protocol.tokens.RevokeTokenRequest.newBuilder().setName(name).build())));
    }

    private io.earthling.protocol.tokens.TokensGrpc.TokensBlockingStub tokenStub() {
        return io.earthling.protocol.tokens.TokensGrpc.newBlockingStub(channel);
    }

    private static io.earthling.api.TokenView token(io.earthling.protocol.tokens.TokenInfo t) {
        return new io.earthling.api.TokenView(t.getName(), List.copyOf(t.getRolesList()),
                java.time.Instant.ofEpochMilli(t.getCreatedMs()),
                t.getExpiresMs() == 0 ? null : java.time.Instant.ofEpochMilli(t.getExpiresMs()),
                t.getRevokedMs() == 0 ? null : java.time.Instant.ofEpochMilli(t.getRevokedMs()));
    }

    @Override
    public PipelineView pipelineStatus(long runId) {
        return pipeline(call(() -> PipelinesGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .status(PipelineStatusRequest.newBuilder().setRunId(runId).build())));
    }

    @Override
    public PipelineView cancelPipeline(long runId) {
        return pipeline(call(() -> PipelinesGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .cancel(PipelineStatusRequest.newBuilder().setRunId(runId).build())));
    }

    private static PipelineView pipeline(PipelineStatusResponse r) {
        List<PipelineView.Stage> stages = r.getStagesList().stream()
                .map(s -> new PipelineView.Stage(s.getType(), s.getJobId(), s.getState(),
                        s.getChildren(), s.getChildrenFinal(), s.getError().isEmpty() ? null : s.getError()))
                .toList();
        return new PipelineView(r.getPipeline(), toView(r.getRun()), stages);
    }

    public static JobView toView(JobInfo j) {
        return new JobView(j.getId(), j.getQueue(), j.getType(), JobState.valueOf(j.getState()), j.getAttempts(),
                j.getMaxAttempts(), j.getPriority(), text(j.getPayload()), text(j.getResult()),
                j.getError().isEmpty() ? null : j.getError(), blankToNull(j.getAssignedNode()),
                blankToNull(j.getAssignedWorker()), instant(j.getCreatedAtMs()), instant(j.getStartedAtMs()),
                instant(j.getFinishedAtMs()), j.hasWaiting() ? new JobView.Waiting(j.getWaiting().getReason(),
                j.getWaiting().getDetail(), instant(j.getWaiting().getUntilMs())) : null);
    }

    private static String text(ByteString b) {
        return b.isEmpty() ? null : b.toString(StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static Instant instant(long ms) {
        return ms == 0 ? null : Instant.ofEpochMilli(ms);
    }
}
