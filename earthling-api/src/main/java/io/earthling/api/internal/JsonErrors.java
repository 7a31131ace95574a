package io.earthling.api.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/** What is wrong with some JSON, in words for people: Jackson's message without its "[Source: ...]" internals. */
public final class JsonErrors {
    private static final Pattern SOURCE = Pattern.compile("\\s*(\\(start marker at )?\\[Source: [^\\]]*\\]\\)?");

    private JsonErrors() {
    }

    /** E.g. {@code Unexpected end-of-input: expected close marker for Object (line 1, column 18)}. */
    public static String describe(JsonProcessingException e) {
        String text = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        text = SOURCE.matcher(text).replaceAll("").strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline).strip();
        }
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            text += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return text;
    }
}
