package io.natsvx.bench;

import java.util.ArrayList;
import java.util.List;

/** Command-line options, parsed once; see {@link #USAGE}. */
record BenchOptions(int rounds, int warmups, List<Scenario> scenarios, String only, String natsvxCommand,
                    String natsServerCommand, double scale, int maxSeconds, boolean help) {

    static final String NATSVX = "natsvx";
    static final String NATS_SERVER = "nats-server";

    static final String USAGE = """
            usage: bench/run.sh [options]        (or: java -jar bench/target/natsvx-bench.jar [options])

            Starts natsvx and nats-server on free loopback ports with the same flags (-a 127.0.0.1 -p <port>),
            runs each scenario against both, alternating which goes first, and prints medians and
            natsvx/nats-server ratios. nats-server is skipped with a message when it is not installed.

              --rounds N             measured rounds per scenario and side (default 3)
              --warmups N            unrecorded full-length runs per scenario and side before the
                                     rounds (default 2: a JVM compiles its hot code for a few seconds)
              --scenarios a,b,...    scenarios to run (default all): %s
              --only natsvx|nats-server
                                     run one side only (no ratios)
              --natsvx-cmd "CMD"     command for the natsvx side (default: java -jar <repo>/server/target/server-fat.jar);
                                     e.g. --natsvx-cmd nats-server to check the harness without natsvx
              --nats-server-cmd "CMD"
                                     command for the nats-server side (default: nats-server)
              --scale F              multiply message counts by F, e.g. 0.1 for a quick check (default 1)
              --max-seconds S        cap on one load run, whatever its count (default 20)
              --help
            """.formatted(Scenario.ids());

    static BenchOptions parse(String[] args, String defaultNatsvxCommand) {
        int rounds = 3;
        int warmups = 2;
        List<Scenario> scenarios = List.of(Scenario.values());
        String only = null;
        String natsvx = defaultNatsvxCommand;
        String natsServer = NATS_SERVER;
        double scale = 1.0;
        int maxSeconds = 20;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--rounds" -> rounds = positiveInt(arg, value(args, ++i, arg));
                case "--warmups" -> warmups = Integer.parseInt(value(args, ++i, arg));
                case "--scenarios" -> scenarios = scenarios(value(args, ++i, arg));
                case "--only" -> only = side(value(args, ++i, arg));
                case "--natsvx-cmd" -> natsvx = value(args, ++i, arg);
                case "--nats-server-cmd" -> natsServer = value(args, ++i, arg);
                case "--scale" -> scale = positiveDouble(arg, value(args, ++i, arg));
                case "--max-seconds" -> maxSeconds = positiveInt(arg, value(args, ++i, arg));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("--warmups takes a whole number from 0");
        }
        return new BenchOptions(rounds, warmups, scenarios, only, natsvx, natsServer, scale, maxSeconds, help);
    }

    /** The sides to run, natsvx first: the ratio is always natsvx / nats-server. */
    List<ServerSpec> sides() {
        List<ServerSpec> sides = new ArrayList<>();
        if (only == null || only.equals(NATSVX)) {
            sides.add(ServerSpec.parse(NATSVX, natsvxCommand));
        }
        if (only == null || only.equals(NATS_SERVER)) {
            sides.add(ServerSpec.parse(NATS_SERVER, natsServerCommand));
        }
        return sides;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive integer, got '" + value + "'");
    }

    private static double positiveDouble(String option, String value) {
        try {
            double d = Double.parseDouble(value);
            if (d > 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive number, got '" + value + "'");
    }

    private static List<Scenario> scenarios(String list) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String id : list.split(",")) {
            if (!id.isBlank()) {
                scenarios.add(Scenario.byId(id.trim()));
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--scenarios needs at least one of " + Scenario.ids());
        }
        // Run in the canonical order whatever order they were given in.
        scenarios.sort(null);
        return List.copyOf(scenarios);
    }

    private static String side(String name) {
        if (!name.equals(NATSVX) && !name.equals(NATS_SERVER)) {
            throw new IllegalArgumentException("--only takes " + NATSVX + " or " + NATS_SERVER + ", got '" + name + "'");
        }
        return name;
    }
}
