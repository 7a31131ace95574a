package io.earthling.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap figures of another JVM on this host, read from its performance-data file ({@code hsperfdata_USER/PID} in the
 * temp directory), the counters {@code jstat -gc} prints. Reading the file costs no process start and does not touch
 * the target JVM, so sampling every 10 s does not disturb what is measured.
 *
 * <p>The file is a prologue (magic {@code 0xcafec0c0}, byte order, version, entry offset and count) followed by
 * entries (length, name offset, vector length, type, flags, units, variability, data offset).
 */
final class HsPerf {
    /** Bytes in use: the whole heap (eden, survivors, old) and the old generation alone. */
    record Heap(long usedBytes, long oldUsedBytes) {
        static final Heap NONE = new Heap(0, 0);

        Heap plus(Heap o) {
            return new Heap(usedBytes + o.usedBytes, oldUsedBytes + o.oldUsedBytes);
        }
    }

    private HsPerf() {
    }

    static Path fileOf(long pid) {
        return Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"),
                String.valueOf(pid));
    }

    /** The heap of process {@code pid}; {@link Heap#NONE} when it has no readable performance-data file. */
    static Heap heap(long pid) {
        Map<String, Long> c;
        try {
            c = longCounters(Files.readAllBytes(fileOf(pid)));
        } catch (IOException | RuntimeException e) {
            return Heap.NONE; // gone, or started with -XX:-UsePerfData
        }
        long young = c.getOrDefault("sun.gc.generation.0.space.0.used", 0L)
                + c.getOrDefault("sun.gc.generation.0.space.1.used", 0L)
                + c.getOrDefault("sun.gc.generation.0.space.2.used", 0L);
        long old = c.getOrDefault("sun.gc.generation.1.space.0.used", 0L);
        return new Heap(young + old, old);
    }

    /** Every scalar long counter of a performance-data file, by name. */
    static Map<String, Long> longCounters(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getInt(0) != 0xcafec0c0) {
            throw new IllegalArgumentException("not a JVM performance-data file (bad magic)");
        }
        b.order(b.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entryOffset = b.getInt(24);
        int entries = b.getInt(28);
        Map<String, Long> out = new HashMap<>();
        int at = entryOffset;
        for (int i = 0; i < entries && at + 20 <= file.length; i++) {
            int length = b.getInt(at);
            int nameOffset = b.getInt(at + 4);
            int vectorLength = b.getInt(at + 8);
            byte type = b.get(at + 12);
            int dataOffset = b.getInt(at + 16);
            if (length <= 0) {
                break;
            }
            if (type == 'J' && vectorLength == 0) {
                int nameStart = at + nameOffset;
                int nameEnd = nameStart;
                while (nameEnd < file.length && file[nameEnd] != 0) {
                    nameEnd++;
                }
                out.put(new String(file, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII),
                        b.getLong(at + dataOffset));
            }
            at += length;
        }
        return out;
    }
}
