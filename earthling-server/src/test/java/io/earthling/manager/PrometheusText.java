package io.earthling.manager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
 * names, label escapes, values, one TYPE per family before its samples, contiguous families, no duplicate series,
 * and cumulative histogram buckets ending in +Inf equal to _count. Any violation throws with the line number.
 */
final class PrometheusText {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new HashMap<>();
    /** HELP text by family, as written (escapes kept). */
    final Map<String, String> helps = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        p.read(text);
        p.checkHistograms();
        return p;
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    require(METRIC.matcher(parts[2]).matches(), no, "bad metric name in " + parts[1] + ": " + parts[2]);
                    if (parts[1].equals("TYPE")) {
                        require(parts.length == 4 && TYPES.contains(parts[3]), no, "bad type: " + line);
                        require(!types.containsKey(parts[2]), no, "second TYPE for " + parts[2]);
                        require(!finished.contains(parts[2]) && !parts[2].equals(current), no, "TYPE after samples of " + parts[2]);
                        types.put(parts[2], parts[3]);
                    } else if (parts.length == 4) {
                        require(helps.put(parts[2], parts[3]) == null, no, "second HELP for " + parts[2]);
                        for (int k = 0; k < parts[3].length(); k++) {
                            if (parts[3].charAt(k) == '\\') {
                                k++;
                                require(k < parts[3].length() && "\\n".indexOf(parts[3].charAt(k)) >= 0, no,
                                        "bad escape in HELP: " + line);
                            }
                        }
                    }
                }
                continue;
            }
            Sample s = sample(line, no);
            String family = family(s.name());
            if (!family.equals(current)) {
                require(!finished.contains(family), no, "samples of " + family + " are not contiguous");
                if (current != null) {
                    finished.add(current);
                }
                current = family;
            }
            require(series.add(s.name() + s.labels()), no, "duplicate series " + s.name() + s.labels());
            samples.add(s);
        }
    }

    /** The family a sample belongs to: a histogram's or summary's _bucket/_sum/_count go to their declared name. */
    private String family(String name) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return name;
    }

    private static Sample sample(String line, int no) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC.matcher(name).matches(), no, "bad metric name: " + name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > 0, no, "label without '='");
                String label = line.substring(i, eq);
                require(LABEL.matcher(label).matches(), no, "bad label name: " + label);
                require(line.charAt(eq + 1) == '"', no, "label value not quoted");
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        require(e == '\\' || e == '"' || e == 'n', no, "bad escape \\" + e);
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                require(labels.put(label, v.toString()) == null, no, "label twice: " + label);
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', no, "no space before the value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2 && rest[1].matches("-?[0-9]+"), no, "bad value/timestamp: " + line);
        return new Sample(name, labels, value(rest[0], no));
    }

    private static double value(String s, int no) {
        switch (s) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default:
                require(s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?"), no, "bad value: " + s);
                return Double.parseDouble(s);
        }
    }

    private void checkHistograms() {
        types.forEach((name, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> bySeries = new LinkedHashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(name + "_bucket")) {
                    Map<String, String> rest = new LinkedHashMap<>(s.labels());
                    require(rest.remove("le") != null, 0, name + "_bucket without le");
                    bySeries.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
                }
            }
            bySeries.forEach((labels, buckets) -> {
                buckets.sort((a, b) -> Double.compare(value(le(a), 0), value(le(b), 0)));
                for (int k = 1; k < buckets.size(); k++) {
                    require(buckets.get(k).value() >= buckets.get(k - 1).value(), 0, name + " buckets not cumulative " + labels);
                }
                Sample last = buckets.get(buckets.size() - 1);
                require(le(last).equals("+Inf"), 0, name + " has no +Inf bucket " + labels);
                require(value(name + "_count", labels) == last.value(), 0, name + "_count differs from its +Inf bucket");
                value(name + "_sum", labels);
            });
        });
    }

    private static String le(Sample s) {
        String le = s.labels().get("le");
        return le.equals("+Inf") ? "+Inf" : le;
    }

    /** The families with a TYPE but no HELP text (or a blank one), sorted. */
    List<String> familiesWithoutHelp() {
        return types.keySet().stream().filter(f -> helps.getOrDefault(f, "").isBlank()).sorted().toList();
    }

    /** The value of one series; throws when it is not there. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + labels)).value();
    }

    private static void require(boolean ok, int line, String message) {
        if (!ok) {
            throw new IllegalArgumentException((line > 0 ? "line " + line + ": " : "") + message);
        }
    }
}
