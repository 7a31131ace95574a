package io.earthling.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's SVG charts (XChart); returns the file names written, for the report to link. */
final class Charts {
    private static final int W = 800;
    private static final int H = 450;

    static List<String> write(Path out, Results r) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();
        if (!r.throughput().isEmpty()) {
            CategoryChart c = new CategoryChartBuilder().width(W).height(H).title("Throughput, no-op jobs")
                    .yAxisTitle("jobs/s").build();
            c.getStyler().setLegendVisible(false);
            c.addSeries("jobs/s", r.throughput().stream().map(Throughput.Result::contender).toList(),
                    r.throughput().stream().map(t -> (Number) t.jobsPerSecond()).toList());
            save(out, "throughput.svg", c, files);
        }
        if (!r.pickup().isEmpty()) {
            CategoryChart c = new CategoryChartBuilder().width(W).height(H).title("Pickup latency p99")
                    .xAxisTitle("submit rate, jobs/s").yAxisTitle("ms").build();
            byContender(r.pickup(), PickupLatency.Result::contender).forEach((name, rows) -> c.addSeries(name,
                    rows.stream().map(p -> p.rate() + "/s").toList(), rows.stream().map(p -> (Number) p.p99Ms()).toList()));
            c.getStyler().setYAxisLogarithmic(logFriendly(r.pickup().stream().map(PickupLatency.Result::p99Ms).toList()));
            save(out, "pickup-p99.svg", c, files);
        }
        if (!r.idle().isEmpty()) {
            boolean stmts = r.idle().stream().allMatch(i -> i.statementsPerSecond() != null);
            Function<IdleLoad.Result, Double> y = stmts ? IdleLoad.Result::statementsPerSecond : IdleLoad.Result::xactsPerSecond;
            XYChart c = xy("Idle cluster: database " + (stmts ? "statements" : "transactions") + " per second",
                    "worker slots (W)", stmts ? "statements/s" : "transactions/s");
            byContender(r.idle(), IdleLoad.Result::contender).forEach((name, rows) -> c.addSeries(name,
                    rows.stream().map(i -> (double) i.workers()).toList(), rows.stream().map(y).toList()));
            c.getStyler().setXAxisLogarithmic(logFriendly(r.idle().stream().map(i -> (double) i.workers()).toList()));
            c.getStyler().setYAxisLogarithmic(logFriendly(r.idle().stream().map(y).toList()));
            save(out, "idle.svg", c, files);
        }
        if (!r.scaling().isEmpty()) {
            XYChart c = xy("Scaling, CPU-bound jobs", "worker slots (W)", "jobs/s");
            Map<String, List<Scaling.Result>> by = byContender(r.scaling(), Scaling.Result::contender);
            by.forEach((name, rows) -> c.addSeries(name, rows.stream().map(s -> (double) s.workers()).toList(),
                    rows.stream().map(Scaling.Result::jobsPerSecond).toList()));
            List<Scaling.Result> any = by.values().iterator().next();
            c.addSeries("ideal", any.stream().map(s -> (double) s.workers()).toList(),
                    any.stream().map(Scaling.Result::idealPerSecond).toList()).setMarker(SeriesMarkers.NONE);
            save(out, "scaling.svg", c, files);
        }
        return files;
    }

    private static XYChart xy(String title, String x, String y) {
        return new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
    }

    private static <T> Map<String, List<T>> byContender(List<T> rows, Function<T, String> name) {
        return rows.stream().collect(Collectors.groupingBy(name, LinkedHashMap::new, Collectors.toList()));
    }

    /** A log axis only where it helps (values spread over more than a factor of 20) and can work (all above 0). */
    private static boolean logFriendly(List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return min > 0 && max / min > 20;
    }

    private static void save(Path out, String file, IChart chart, List<String> files) throws IOException {
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out.resolve(file).toString(), VectorGraphicsFormat.SVG);
        } catch (IllegalArgumentException e) {
            // XChart pads a series missing a category with 0, which a log axis refuses: fall back to a linear one.
            if (chart instanceof CategoryChart c) {
                c.getStyler().setYAxisLogarithmic(false);
            } else if (chart instanceof XYChart c) {
                c.getStyler().setYAxisLogarithmic(false);
                c.getStyler().setXAxisLogarithmic(false);
            }
            VectorGraphicsEncoder.saveVectorGraphic(chart, out.resolve(file).toString(), VectorGraphicsFormat.SVG);
        }
        files.add(file);
    }
}
