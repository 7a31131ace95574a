package io.earthling.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code pipelines: { NAME: { stages: [type, type, ...] } }}: each stage a job type, run in order. */
final class PipelineBinder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

    private PipelineBinder() {
    }

    static Map<String, List<String>> pipelines(ConfigNode n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : n.keys()) {
            ConfigNode p = n.child(name);
            if (!NAME.matcher(name).matches()) {
                throw p.fail("not a pipeline name (letters, digits, '_', '.', '-'; at most 100)");
            }
            p.keys("stages");
            ConfigNode stages = p.child("stages");
            if (stages.isAbsent()) {
                throw stages.fail("required: the stages' job types, in order");
            }
            List<String> types = new ArrayList<>();
            for (ConfigNode s : stages.elements()) {
                String type = s.text();
                if (!TYPE.matcher(type).matches()) {
                    throw s.fail("not a job type: \"" + type + "\"");
                }
                types.add(type);
            }
            if (types.isEmpty()) {
                throw stages.fail("a pipeline needs at least one stage");
            }
            out.put(name, List.copyOf(types));
        }
        return out;
    }
}
