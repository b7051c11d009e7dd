package io.natsvx.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every run's measurement and prints the medians per side, the ratio first side / second
 * side (natsvx / nats-server) and the geometric means of the throughput and CPU ratios. Medians
 * rather than means, because one disturbed round on a shared machine should not move the figure.
 */
final class Report {
    private static final String COMPARE_ROW = "%-11s %-22s %16s %16s %7s  %s";
    private static final String SINGLE_ROW = "%-11s %-22s %16s";

    private final List<String> sides;
    private final Map<Scenario, Map<String, List<Measurement>>> runs = new LinkedHashMap<>();

    Report(List<String> sides) {
        this.sides = List.copyOf(sides);
    }

    void add(Scenario scenario, String side, Measurement m) {
        runs.computeIfAbsent(scenario, s -> new LinkedHashMap<>())
                .computeIfAbsent(side, s -> new ArrayList<>())
                .add(m);
    }

    void print(PrintStream out) {
        boolean compare = sides.size() == 2;
        String first = sides.get(0);
        String second = compare ? sides.get(1) : null;
        if (compare) {
            out.printf("%nMedians of %s; ratio = %s / %s, each row says which way is better%n%n",
                    roundsText(), first, second);
            row(out, COMPARE_ROW, "scenario", "metric", first, second, "ratio", "");
        } else {
            out.printf("%nMedians of %s%n%n", roundsText());
            row(out, SINGLE_ROW, "scenario", "metric", first);
        }
        boolean anyIncomplete = false;
        List<Double> rateRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (Map.Entry<Scenario, Map<String, List<Measurement>>> entry : runs.entrySet()) {
            Scenario scenario = entry.getKey();
            Map<String, List<Measurement>> bySide = entry.getValue();
            for (Metric metric : metrics(bySide)) {
                Double a = median(bySide.get(first), metric);
                boolean incompleteA = a != null && incomplete(bySide.get(first));
                anyIncomplete |= incompleteA;
                if (!compare) {
                    row(out, SINGLE_ROW, scenario.id, metric.label(), cell(a, metric, incompleteA));
                    continue;
                }
                Double b = median(bySide.get(second), metric);
                boolean incompleteB = b != null && incomplete(bySide.get(second));
                anyIncomplete |= incompleteB;
                Double ratio = a != null && b != null && b > 0 ? a / b : null;
                row(out, COMPARE_ROW, scenario.id, metric.label(),
                        cell(a, metric, incompleteA), cell(b, metric, incompleteB),
                        ratio == null ? "" : Format.ratio(ratio),
                        ratio == null ? "" : "(" + metric.better().text + ")");
                if (ratio != null && metric.equals(Metric.RATE)) {
                    rateRatios.add(ratio);
                }
                if (ratio != null && metric.equals(Metric.CPU)) {
                    cpuRatios.add(ratio);
                }
            }
        }
        out.println();
        if (anyIncomplete) {
            out.println("* some runs stopped at the time cap or on an error before finishing their count;"
                    + " their rates are real, their CPU seconds are for less work.");
        }
        if (!rateRatios.isEmpty()) {
            out.printf("geomean throughput ratio %s/%s over %s: %s (above 1: %s is faster)%n",
                    first, second, scenarios(rateRatios.size()), Format.ratio(geomean(rateRatios)), first);
        }
        if (!cpuRatios.isEmpty()) {
            out.printf("geomean server CPU ratio %s/%s over %s: %s (below 1: %s uses less CPU)%n",
                    first, second, scenarios(cpuRatios.size()), Format.ratio(geomean(cpuRatios)), first);
        }
    }

    private static void row(PrintStream out, String format, Object... cells) {
        out.println(String.format(format, cells).stripTrailing());
    }

    private static String scenarios(int n) {
        return n == 1 ? "1 scenario" : n + " scenarios";
    }

    private String roundsText() {
        int max = 0;
        for (Map<String, List<Measurement>> bySide : runs.values()) {
            for (List<Measurement> list : bySide.values()) {
                max = Math.max(max, list.size());
            }
        }
        return max == 1 ? "1 round" : max + " rounds";
    }

    /** The metrics any side reported for a scenario, in first-seen order. */
    private static Set<Metric> metrics(Map<String, List<Measurement>> bySide) {
        Set<Metric> metrics = new LinkedHashSet<>();
        bySide.values().forEach(list -> list.forEach(m -> metrics.addAll(m.values.keySet())));
        return metrics;
    }

    private static String cell(Double value, Metric metric, boolean incomplete) {
        if (value == null) {
            return "-";
        }
        return Format.number(value, metric.decimals()) + (incomplete ? "*" : "");
    }

    private static boolean incomplete(List<Measurement> list) {
        return list != null && list.stream().anyMatch(m -> !m.complete);
    }

    static Double median(List<Measurement> list, Metric metric) {
        if (list == null) {
            return null;
        }
        List<Double> values = new ArrayList<>();
        for (Measurement m : list) {
            Double v = m.values.get(metric);
            if (v != null) {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        values.sort(null);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    static double geomean(List<Double> ratios) {
        double logSum = 0;
        for (double r : ratios) {
            logSum += Math.log(r);
        }
        return Math.exp(logSum / ratios.size());
    }
}
