package io.earthling.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of the database that the harness can cut: while cut, no byte moves either way on
 * the open connections and new connections are accepted but never answered, as when a network drops packets (a
 * black hole, not a refusal: nothing tells the client that the other side is gone, only its own timeouts do).
 * Healing lets the held bytes flow again; the database may have ended those sessions meanwhile.
 */
final class BlackHoleProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean cut;
    private volatile boolean closed;

    BlackHoleProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "black-hole-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing passes, until {@link #heal()}. */
    void cut() {
        cut = true;
    }

    void heal() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (cut && !closed) {
                gate.wait(200);
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Thread t = new Thread(() -> connect(client), "black-hole-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("earthling-faults: proxy accept failed (" + e.getMessage() + "); accepting again");
                }
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitOpen(); // a connection made while cut hangs here: its client hears nothing
            Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            sockets.add(server);
            Thread up = new Thread(() -> pump(client, server), "black-hole-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(server, client);
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                awaitOpen(); // what arrived while cut is held, not delivered
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closed already
        }
        sockets.forEach(this::closeQuietly);
    }
}
