package io.earthling.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every contender by its command-line id, in report order. */
final class Contenders {
    private Contenders() {
    }

    static Map<String, Supplier<Contender>> all() {
        Map<String, Supplier<Contender>> m = new LinkedHashMap<>();
        m.put("earthling", EarthlingContender::new);
        return m;
    }

    static List<String> ids() {
        return List.copyOf(all().keySet());
    }
}
