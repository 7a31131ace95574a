package io.earthling.config;

import static io.earthling.config.ConfigValues.integer;
import static io.earthling.config.ConfigValues.string;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.EarthlingException;
import io.earthling.api.ScheduleSpec;
import io.earthling.core.CronExpression;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code schedules:} section: recurring jobs by name, each checked where it is written. */
final class ScheduleBinder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScheduleBinder() {
    }

    static List<ScheduleSpec> schedules(ConfigNode n) {
        List<ScheduleSpec> out = new ArrayList<>();
        for (String name : n.keys()) {
            ConfigNode s = n.child(name);
            if (!NAME.matcher(name).matches()) {
                throw s.fail("not a schedule name (letters, digits, '_', '.', '-'; at most 100)");
            }
            s.keys("cron", "timeZone", "type", "payload", "queue", "priority", "maxAttempts");
            ConfigNode cronNode = s.child("cron");
            String cron = required(cronNode);
            String zone = string(s.child("timeZone"), "UTC");
            try {
                CronExpression.parse(cron, zone);
            } catch (EarthlingException e) {
                throw (e.getMessage().startsWith("zone:") ? s.child("timeZone") : cronNode)
                        .fail(e.getMessage().replaceFirst("^(cron|zone): ", ""));
            }
            String queue = string(s.child("queue"), "default");
            if (!QUEUE.matcher(queue).matches()) {
                throw s.child("queue").fail("not a queue name (letters, digits, '_', '.', '-'; at most 64)");
            }
            out.add(new ScheduleSpec(name, cron, zone, required(s.child("type")), payload(s.child("payload")), queue,
                    (int) ConfigValues.number(s.child("priority"), 0, Integer.MIN_VALUE, Integer.MAX_VALUE),
                    integer(s.child("maxAttempts"), 3, 1)));
        }
        return out;
    }

    private static String required(ConfigNode n) {
        if (n.isAbsent()) {
            throw n.fail("missing (every schedule needs cron and type)");
        }
        return string(n, null);
    }

    /** A YAML map or list is the payload itself; a string must hold JSON. */
    private static String payload(ConfigNode n) {
        if (n.isAbsent()) {
            return "{}";
        }
        if (n.isList() || n.isMap()) {
            return n.json();
        }
        String text = n.text();
        try {
            JSON.readTree(text);
            return text;
        } catch (JsonProcessingException e) {
            throw n.fail("not valid JSON: " + e.getOriginalMessage());
        }
    }
}
