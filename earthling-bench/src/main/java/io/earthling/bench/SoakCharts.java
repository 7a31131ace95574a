package io.earthling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's time series as small hand-written SVG line charts (minutes on the x axis, the two compared windows
 * shaded), a few tens of KB each where XChart's SVG of the same runs to hundreds.
 */
final class SoakCharts {
    private static final int W = 800;
    private static final int H = 320;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private record Series(String name, ToDoubleFunction<SoakRow> y) {
    }

    static List<String> write(Path out, List<SoakRow> rows, int warmUpS, int windowS, double endS) throws IOException {
        double[] shade = {warmUpS / 60.0, (warmUpS + windowS) / 60.0, (endS - windowS) / 60.0, endS / 60.0};
        List<String> files = new ArrayList<>();
        save(out, "soak-throughput.svg", files, chart("Jobs per second (shaded: the windows compared)", "jobs/s", rows,
                shade, List.of(new Series("submitted", SoakRow::submittedPerS),
                        new Series("completed", SoakRow::completedPerS))));
        save(out, "soak-pickup.svg", files, chart("Pickup latency of the jobs submitted in each sample", "ms", rows,
                shade, List.of(new Series("p50", SoakRow::pickupP50Ms), new Series("p99", SoakRow::pickupP99Ms))));
        save(out, "soak-heap.svg", files, chart("Heap: least left by a collection in each sample, and in use", "MB",
                rows, shade, List.of(new Series("manager after GC", SoakRow::managerAfterGcMb),
                        new Series("assistant after GC", SoakRow::assistantAfterGcMb),
                        new Series("manager in use", SoakRow::managerHeapMb),
                        new Series("assistant in use", SoakRow::assistantHeapMb),
                        new Series("4 workers in use (sum)", SoakRow::workersHeapMb))));
        save(out, "soak-table-size.svg", files, chart("Table size with indexes and TOAST", "MB", rows, shade,
                List.of(new Series("jobs", SoakRow::jobsMb), new Series("job_events", SoakRow::eventsMb),
                        new Series("job_logs", SoakRow::logsMb))));
        save(out, "soak-rows.svg", files, chart("Rows, and dead tuples not yet vacuumed", "rows", rows, shade,
                List.of(new Series("jobs", SoakRow::jobsRows), new Series("job_events", SoakRow::eventsRows),
                        new Series("job_logs", SoakRow::logsRows), new Series("jobs dead", SoakRow::jobsDead),
                        new Series("job_events dead", SoakRow::eventsDead))));
        save(out, "soak-load.svg", files, chart("Load average (1 min) of the machine, other builds included", "load",
                rows, shade, List.of(new Series("load1", SoakRow::load1))));
        return files;
    }

    private static void save(Path out, String file, List<String> files, String svg) throws IOException {
        Files.writeString(out.resolve(file), svg);
        files.add(file);
    }

    private static String chart(String title, String unit, List<SoakRow> rows, double[] shade, List<Series> series) {
        double xMax = Math.max(1, rows.stream().mapToDouble(SoakRow::tSeconds).max().orElse(60) / 60);
        double yMax = 0;
        for (Series s : series) {
            yMax = Math.max(yMax, rows.stream().mapToDouble(s.y()).filter(Double::isFinite).max().orElse(0));
        }
        double yStep = step(yMax <= 0 ? 1 : yMax);
        double yTop = Math.max(yStep, Math.ceil(yMax / yStep) * yStep);
        double xStep = step(xMax);
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT, esc(title)));
        for (int i = 0; i + 1 < shade.length; i += 2) {
            double a = Math.max(0, Math.min(xMax, shade[i]));
            double b = Math.max(0, Math.min(xMax, shade[i + 1]));
            if (b > a) {
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"#eeeeee\"/>%n", LEFT + a / xMax * pw, TOP, (b - a) / xMax * pw, ph));
            }
        }
        for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
            double py = TOP + ph - y / yTop * ph;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#cccccc\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, LEFT + pw, py, py, LEFT - 6,
                    py + 4, label(y)));
        }
        for (double x = 0; x <= xMax + 1e-9; x += xStep) {
            double px = LEFT + x / xMax * pw;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#888888\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, px, TOP + ph, TOP + ph + 5,
                    px, TOP + ph + 18, label(x)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">minutes</text>%n",
                LEFT + pw / 2, H - 6));
        s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)"
                + "\">%s</text>%n", TOP + ph / 2, TOP + ph / 2, esc(unit)));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888888\"/>%n", LEFT, TOP, pw, ph));
        int lx = LEFT + 10;
        for (int i = 0; i < series.size(); i++) {
            Series se = series.get(i);
            String color = COLORS[i % COLORS.length];
            s.append("<polyline fill=\"none\" stroke-width=\"1.2\" stroke=\"").append(color).append("\" points=\"");
            for (SoakRow r : rows) {
                double v = se.y().applyAsDouble(r);
                if (Double.isFinite(v)) {
                    s.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + r.tSeconds() / 60 / xMax * pw,
                            TOP + ph - Math.min(v, yTop) / yTop * ph));
                }
            }
            s.append("\"/>\n");
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, TOP + 10, color, lx + 16, TOP + 15, esc(se.name())));
            lx += 28 + 7 * se.name().length();
        }
        return s.append("</svg>\n").toString();
    }

    /** 1, 2 or 5 times a power of ten, giving about 5 to 10 ticks up to {@code max}. */
    static double step(double max) {
        double raw = max / 6;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    private static String label(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The samples of a soak.csv, to chart a run again. */
    static List<SoakRow> read(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank()).map(SoakRow::parse).toList();
    }
}
