package io.earthling.faults;

import io.earthling.protocol.jobs.JobsGrpc;
import io.earthling.protocol.jobs.NodesRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Watches the run from outside: samples the lease row every 100 ms on its own session (which the database fault
 * spares), and once a second asks every manager that is alive, not stopped and not the lease holder for
 * {@code nodes}, a leader-only call. A standby answers {@code UNAVAILABLE}; one that answers, or makes the caller
 * wait out a 3 s deadline twice in a row, is <em>half leading</em>.
 */
final class Monitor implements AutoCloseable {
    /** A lease sample: the valid holder, or null when none; {@code known} false when the database did not answer. */
    record Sample(long atMs, String holder, boolean known) {
    }

    /** A half-leading observation: manager {@code m} answered as leader ({@code hung} false) or hung. */
    record HalfLeading(long atMs, int manager, boolean hung, String holder) {
    }

    static final long PROBE_DEADLINE_MS = 3_000;

    private final FaultCluster cluster;
    private final int[] hungInARow = new int[2];
    private final Pg db;
    private final Processes processes;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<HalfLeading> halfLeading = new CopyOnWriteArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Thread sampler;
    private final Thread prober;
    private volatile Connection session;
    private volatile int sessionPid = -1;
    private volatile String holder;
    private volatile boolean running = true;

    Monitor(FaultCluster cluster, Pg db, Processes processes) {
        this.cluster = cluster;
        this.db = db;
        this.processes = processes;
        for (int port : cluster.managerPorts) {
            channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        this.sampler = new Thread(this::sample, "faults-lease-sampler");
        this.prober = new Thread(this::probe, "faults-half-leading-probe");
        sampler.setDaemon(true);
        prober.setDaemon(true);
        sampler.start();
        prober.start();
    }

    /** The backend pid of the sampler's session, which the database fault leaves open. */
    int sessionPid() {
        return sessionPid;
    }

    /** The valid lease holder at the last sample, or null. */
    String holder() {
        return holder;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    List<HalfLeading> halfLeading() {
        return List.copyOf(halfLeading);
    }

    private void sample() {
        while (running) {
            long now = System.currentTimeMillis();
            try {
                if (session == null) {
                    Connection c = db.connect();
                    sessionPid = (int) Pg.count(c, "SELECT pg_backend_pid()");
                    session = c;
                }
                try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT holder FROM manager_lease WHERE name = 'leader' AND holder IS NOT NULL"
                                + " AND expires_at > clock_timestamp()")) {
                    holder = rs.next() ? rs.getString(1) : null;
                    samples.add(new Sample(now, holder, true));
                }
            } catch (SQLException e) {
                samples.add(new Sample(now, null, false));
                closeSession();
            }
            sleep(100 - (System.currentTimeMillis() - now));
        }
        closeSession();
    }

    private void closeSession() {
        Connection c = session;
        session = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a terminated session
            }
        }
    }

    private void probe() {
        while (running) {
            long started = System.currentTimeMillis();
            for (int m = 0; m < channels.size(); m++) {
                Boolean hung = askAsLeader(m);
                if (hung != null) {
                    halfLeading.add(new HalfLeading(started, m, hung, holder));
                }
            }
            sleep(1_000 - (System.currentTimeMillis() - started));
        }
    }

    /**
     * Null when manager {@code m} is fine (the holder, a standby that says so, down, or stopped by the harness);
     * false when it answered a leader-only call while another held the lease (or none did); true when it hung.
     */
    synchronized Boolean askAsLeader(int m) {
        String name = FaultCluster.managerName(m);
        Process p = processes.process(name);
        String before = holder;
        if (p == null || !p.isAlive() || processes.isStopped(name) || cluster.holder(m).equals(before)) {
            return null;
        }
        try {
            JobsGrpc.newBlockingStub(channels.get(m)).withDeadlineAfter(PROBE_DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .nodes(NodesRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code != Status.Code.DEADLINE_EXCEEDED || processes.isStopped(name)) {
                hungInARow[m] = 0;
                return null; // a standby's UNAVAILABLE, or not listening (starting, exiting)
            }
            // On a loaded machine a standby may be slow to answer once; hanging twice in a row is not slowness.
            return cluster.holder(m).equals(holder) || ++hungInARow[m] < 2 ? null : Boolean.TRUE;
        }
        hungInARow[m] = 0;
        // It answered as leader: count it only if it holds the lease neither now nor a few samples later (the
        // sampler may not have seen a lease it has just won).
        sleep(300);
        return cluster.holder(m).equals(holder) ? null : Boolean.FALSE;
    }

    private static void sleep(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sampler.join(5_000);
            prober.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
