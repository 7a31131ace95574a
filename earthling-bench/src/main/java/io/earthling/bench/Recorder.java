package io.earthling.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Per-job timestamps of one run: when the submit that carried a job was committed, and when its handler started
 * and ended (epoch microseconds; every process runs on this host). Handlers in other processes report over a
 * loopback TCP socket.
 */
public final class Recorder implements AutoCloseable {
    /** Where a handler reports a finished job. */
    public interface Sink {
        void record(int key, long startMicros, long endMicros);
    }

    private final long[] committed;
    private final long[] started;
    private final long[] ended;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final ServerSocket server;

    public Recorder(int jobs) throws IOException {
        committed = new long[jobs];
        started = new long[jobs];
        ended = new long[jobs];
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "recorder-accept");
        t.setDaemon(true);
        t.start();
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public void committed(int fromKey, int toKey, long micros) {
        Arrays.fill(committed, fromKey, toKey, micros);
    }

    public Sink sink() {
        return this::record;
    }

    /**
     * {@code end} 0: the job's first attempt started and will fail (the soak's failing jobs); its pickup counts from
     * this start and the job is done when its last attempt reports an end.
     */
    private void record(int key, long start, long end) {
        synchronized (this) {
            if (ended[key] != 0) {
                duplicates.incrementAndGet();
                return;
            }
            if (started[key] == 0) {
                started[key] = start;
            }
            if (end == 0) {
                return;
            }
            ended[key] = end;
        }
        done.incrementAndGet();
    }

    /** When key's handler first started (epoch microseconds), 0 while it has not. */
    public synchronized long startedMicros(int key) {
        return started[key];
    }

    /** When key's submit was committed (epoch microseconds). */
    public long committedMicros(int key) {
        return committed[key];
    }

    public int done() {
        return done.get();
    }

    public int duplicates() {
        return duplicates.get();
    }

    /** Waits until {@code n} distinct jobs have ended; false on timeout. */
    public boolean awaitDone(int n, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (done.get() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }

    /** Handler start minus submit commit, in microseconds, for keys [from, to); negative clamps to 0. */
    public long[] pickupMicros(int from, int to) {
        long[] out = new long[to - from];
        for (int k = from; k < to; k++) {
            out[k - from] = Math.max(0, started[k] - committed[k]);
        }
        return out;
    }

    public long lastEndMicros(int from, int to) {
        long max = 0;
        for (int k = from; k < to; k++) {
            max = Math.max(max, ended[k]);
        }
        return max;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> read(s), "recorder-read");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket s) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()))) {
            while (true) {
                record(in.readInt(), in.readLong(), in.readLong());
            }
        } catch (EOFException e) {
            // the worker went away
        } catch (IOException e) {
            // same
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static final ConcurrentHashMap<String, Sink> REMOTES = new ConcurrentHashMap<>();

    /**
     * A sink in another process: one connection per process and address. Records are buffered and sent by a
     * flusher thread within about a millisecond, so a handler pays no system call per job (the times sent are the
     * handler's own, so the delay changes no figure).
     */
    public static Sink remote(String address) {
        return REMOTES.computeIfAbsent(address, RemoteSink::connect);
    }

    private static final class RemoteSink implements Sink {
        private final String address;
        private final DataOutputStream out;
        private boolean dirty;

        private RemoteSink(String address, DataOutputStream out) {
            this.address = address;
            this.out = out;
            Thread t = new Thread(this::flushLoop, "recorder-flush");
            t.setDaemon(true);
            t.start();
        }

        static RemoteSink connect(String address) {
            try {
                String[] hp = address.split(":");
                Socket s = new Socket(hp[0], Integer.parseInt(hp[1]));
                s.setTcpNoDelay(true);
                return new RemoteSink(address, new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot reach the recorder at " + address, e);
            }
        }

        @Override
        public synchronized void record(int key, long start, long end) {
            try {
                out.writeInt(key);
                out.writeLong(start);
                out.writeLong(end);
            } catch (IOException e) {
                throw new IllegalStateException("recorder at " + address + " is gone", e);
            }
            if (!dirty) {
                dirty = true;
                notifyAll();
            }
        }

        private void flushLoop() {
            try {
                while (true) {
                    synchronized (this) {
                        while (!dirty) {
                            wait();
                        }
                    }
                    LockSupport.parkNanos(1_000_000); // let a burst of records share one write
                    synchronized (this) {
                        dirty = false;
                        out.flush();
                    }
                }
            } catch (InterruptedException | IOException e) {
                // the recorder or this process is going away
            }
        }
    }
}
