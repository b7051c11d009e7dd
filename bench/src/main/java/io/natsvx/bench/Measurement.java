package io.natsvx.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one run of one scenario against one server. {@code complete} is false when the
 * client stopped at its time cap or on an error before finishing its count: the figures are then
 * real but for less work, which the report marks.
 */
final class Measurement {
    final Map<Metric, Double> values = new LinkedHashMap<>();
    boolean complete = true;
    String error;

    Measurement put(Metric metric, double value) {
        values.put(metric, value);
        return this;
    }

    String summary() {
        StringBuilder b = new StringBuilder();
        values.forEach((metric, value) -> {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(Format.number(value, metric.decimals())).append(' ').append(metric.label());
        });
        if (!complete) {
            b.append("  [incomplete").append(error == null ? "" : ": " + error).append(']');
        }
        return b.toString();
    }
}
