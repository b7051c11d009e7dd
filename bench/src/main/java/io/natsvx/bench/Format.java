package io.natsvx.bench;

import java.util.Locale;

/** Number formatting for the report: grouped thousands, fixed decimals, locale-independent. */
final class Format {
    private Format() {
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
