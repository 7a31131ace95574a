package io.earthling.assistant.internal;

import com.sun.management.OperatingSystemMXBean;
import io.earthling.protocol.manager.NodeState;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU, load, memory, disk and I/O wait of this host, as the OS reports them. */
final class NodeStates {
    private final File dataDir;
    private long lastIoWait = -1;
    private long lastTotal;

    NodeStates(File dataDir) {
        this.dataDir = dataDir;
    }

    synchronized NodeState read() {
        NodeState.Builder b = NodeState.newBuilder().setCpuLoad(-1).setIoWait(-1);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            b.setCpuLoad(os.getCpuLoad()).setMemoryAvailableBytes(memoryAvailable(os));
        }
        b.setLoadAverage(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        b.setDiskAvailableBytes(dataDir.getUsableSpace());
        b.setIoWait(ioWait());
        return b.build();
    }

    /** MemAvailable (what can be had without swapping) where Linux tells it, else the JVM's free memory view. */
    private static long memoryAvailable(OperatingSystemMXBean os) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return os.getFreeMemorySize();
    }

    /** Share of CPU time in iowait since the previous call, from /proc/stat; -1 where the OS does not say. */
    private double ioWait() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long io = Long.parseLong(f[5]);
            double share = lastIoWait < 0 || total == lastTotal ? -1 : (io - lastIoWait) / (double) (total - lastTotal);
            lastIoWait = io;
            lastTotal = total;
            return share;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
