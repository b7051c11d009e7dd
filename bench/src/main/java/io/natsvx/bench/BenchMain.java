package io.natsvx.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Entry point of the side-by-side benchmark: natsvx against nats-server under the same Go load
 * client. See bench/README.md. Everything it writes (client binary, logs, server working
 * directories) goes under bench/target/.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Path benchDir = benchDir();
        Path repo = benchDir.getParent();
        String defaultNatsvx = "java -jar " + repo.resolve("server/target/server-fat.jar");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, defaultNatsvx);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }

        List<ServerSpec> sides = new ArrayList<>();
        for (ServerSpec side : options.sides()) {
            String missing = side.missingReason();
            if (missing == null) {
                sides.add(side);
            } else {
                System.out.println("skipping " + side.name() + ": " + missing);
            }
        }
        if (sides.isEmpty()) {
            System.err.println("nothing to run");
            System.exit(1);
        }

        Path target = benchDir.resolve("target");
        Path logDir = freshDirectory(target.resolve("logs"));
        Path binary = GoClientBuild.ensure(benchDir);
        printHeader(options, sides, logDir);

        Report report = new Report(sides.stream().map(ServerSpec::name).toList());
        LoadClient client = new LoadClient(binary, logDir.resolve("client.log"));
        ScenarioRunner runner = new ScenarioRunner(options, client, target.resolve("run"), logDir, report);
        for (Scenario scenario : options.scenarios()) {
            runner.run(scenario, sides);
        }
        report.print(System.out);
    }

    private static void printHeader(BenchOptions options, List<ServerSpec> sides, Path logDir) {
        System.out.printf("natsvx bench: %d round(s), %d core(s), time cap %d s per run, count scale %s%n",
                options.rounds(), Runtime.getRuntime().availableProcessors(), options.maxSeconds(), options.scale());
        for (ServerSpec side : sides) {
            System.out.printf("  %-12s %s -a 127.0.0.1 -p <free port>%n", side.name(), String.join(" ", side.command()));
        }
        System.out.println("  logs in " + logDir);
    }

    /** Server logs are appended per scenario; start each invocation with none left from the last. */
    private static Path freshDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
        return dir;
    }

    /**
     * The bench module directory, found from where this class was loaded: bench/target/natsvx-bench.jar
     * or bench/target/classes. Makes the CLI independent of the current directory.
     */
    private static Path benchDir() throws URISyntaxException {
        Path location = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath();
        return location.getParent().getParent();
    }
}
