package io.natsvx.bench;

/**
 * One reported figure: its label, which direction is better (so the ratio column can say so) and
 * how many decimals to print. A value type, used as a map key.
 */
record Metric(String label, Better better, int decimals) {

    enum Better {
        HIGHER("higher is better"),
        LOWER("lower is better");

        final String text;

        Better(String text) {
            this.text = text;
        }
    }

    static final Metric RATE = new Metric("msgs/s", Better.HIGHER, 0);
    static final Metric REQUEST_RATE = new Metric("requests/s", Better.HIGHER, 0);
    static final Metric P50 = new Metric("p50 latency us", Better.LOWER, 1);
    static final Metric P99 = new Metric("p99 latency us", Better.LOWER, 1);
    /** Server CPU for the same amount of work: the steadiest figure on a noisy machine. */
    static final Metric CPU = new Metric("server CPU s", Better.LOWER, 2);
    static final Metric RSS_BEFORE = new Metric("RSS before MiB", Better.LOWER, 1);

    static Metric rssPer(String unit) {
        return new Metric("RSS bytes/" + unit, Better.LOWER, 0);
    }

    static Metric heapPer(String unit) {
        return new Metric("live heap bytes/" + unit, Better.LOWER, 0);
    }
}
