package io.natsvx.bench;

import java.util.HashMap;
import java.util.Map;

/** The Go client's "RESULT key=value ..." line, parsed. */
final class ClientResult {
    private final Map<String, String> fields = new HashMap<>();

    static ClientResult parse(String line) {
        ClientResult result = new ClientResult();
        for (String token : line.substring("RESULT".length()).trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                result.fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return result;
    }

    double number(String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalStateException("client result has no '" + key + "': " + fields);
        }
        return Double.parseDouble(value);
    }

    boolean complete() {
        return Boolean.parseBoolean(fields.get("complete"));
    }

    /** Why the run is incomplete, in a few words, or null. */
    String problem() {
        String error = fields.get("error");
        if (error != null) {
            return error.replace('_', ' ');
        }
        if (!complete()) {
            return "got " + fields.get("received") + " of " + fields.get("expected")
                    + " within the time cap, async errors " + fields.get("async_errors");
        }
        return null;
    }
}
