package io.earthling.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobView;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * How a read command prints: a table or lines for people, long values (results, payloads, errors) clipped to
 * {@value #CLIP} characters unless {@code --full}; or, with {@code --json}, everything as JSON for programs.
 */
final class OutputOptions {
    static final int CLIP = 1000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(JobView.class, new JobViewSerializer()));

    @Option(names = "--json", description = "print JSON (every field, nothing clipped) instead of text")
    boolean json;

    @Option(names = "--full", description = "print long results, payloads and errors whole (text is clipped at " + CLIP
            + " characters)")
    boolean full;

    /** {@code text}, or its first {@value #CLIP} characters and a note on how to see all of it. */
    String clip(String text) {
        if (text == null || full || text.length() <= CLIP) {
            return text;
        }
        return text.substring(0, CLIP) + "… (" + String.format(java.util.Locale.ROOT, "%,d", text.length()) + " characters in all; --full prints"
                + " them, --json as JSON)";
    }

    static void printJson(Object value) {
        try {
            System.out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new EarthlingException("cannot write JSON: " + e.getOriginalMessage());
        }
    }

    /** A job with its payload and result as JSON values, not as strings holding JSON. */
    private static final class JobViewSerializer extends StdSerializer<JobView> {
        JobViewSerializer() {
            super(JobView.class);
        }

        @Override
        public void serialize(JobView job, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            for (RecordComponent c : JobView.class.getRecordComponents()) {
                Object value;
                try {
                    value = c.getAccessor().invoke(job);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                JsonNode tree = value instanceof String s && (c.getName().equals("payload") || c.getName().equals("result"))
                        ? parse(s) : null;
                g.writeFieldName(c.getName());
                if (tree != null) {
                    g.writeTree(tree);
                } else {
                    provider.defaultSerializeValue(value, g);
                }
            }
            g.writeEndObject();
        }

        private static JsonNode parse(String text) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }
}
