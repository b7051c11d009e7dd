package io.natsvx.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * Runs one scenario against every side, alternating which side goes first from round to round so
 * that drift on the machine (thermal, other load) spreads over both. Load scenarios use one fresh
 * server per side for the whole scenario, warmed up by unrecorded full-length runs (the JIT needs
 * seconds to compile the hot paths; Go does not mind, and both sides get the same). Memory scenarios use a fresh server per round: memory freed by one round stays
 * with the process and would hide the next round's growth.
 */
final class ScenarioRunner {
    /** Lets a server finish work triggered by the last PONG before its memory is read. */
    private static final long SETTLE_MILLIS = 500;
    private static final double MIB = 1024.0 * 1024.0;

    private final BenchOptions options;
    private final LoadClient client;
    private final Path workDir;
    private final Path logDir;
    private final Report report;

    ScenarioRunner(BenchOptions options, LoadClient client, Path workDir, Path logDir, Report report) {
        this.options = options;
        this.client = client;
        this.workDir = workDir;
        this.logDir = logDir;
        this.report = report;
    }

    void run(Scenario scenario, List<ServerSpec> sides) throws InterruptedException {
        System.out.printf("%n== %s: %s%n", scenario.id, scenario.title);
        if (scenario.kind == Scenario.Kind.MEMORY) {
            runMemory(scenario, sides);
        } else {
            runLoad(scenario, sides);
        }
    }

    private void runLoad(Scenario scenario, List<ServerSpec> sides) throws InterruptedException {
        List<RunningServer> servers = new ArrayList<>();
        try {
            for (ServerSpec side : sides) {
                RunningServer server = start(side, scenario);
                if (server != null) {
                    servers.add(server);
                }
            }
            for (int w = 0; w < options.warmups(); w++) {
                for (RunningServer server : servers) {
                    try {
                        client.run(scenario.clientArgs(server, options.scale(), options.maxSeconds()),
                                scenario.capSeconds(options.maxSeconds()));
                    } catch (IOException e) {
                        System.out.printf("  %-12s warm-up failed: %s%n", server.name, e.getMessage());
                    }
                }
            }
            for (int round = 0; round < options.rounds(); round++) {
                for (RunningServer server : inRoundOrder(servers, round)) {
                    if (!server.isAlive()) {
                        System.out.printf("  round %d/%d  %-12s is not running any more (see %s)%n",
                                round + 1, options.rounds(), server.name, logDir);
                        continue;
                    }
                    record(scenario, round, server.name, measureLoad(scenario, server));
                }
            }
        } finally {
            servers.forEach(RunningServer::stop);
        }
    }

    private Measurement measureLoad(Scenario scenario, RunningServer server) throws InterruptedException {
        Measurement m = new Measurement();
        try {
            double cpuBefore = server.cpuSeconds();
            ClientResult r = client.run(
                    scenario.clientArgs(server, options.scale(), options.maxSeconds()),
                    scenario.capSeconds(options.maxSeconds()));
            double cpu = server.cpuSeconds() - cpuBefore;
            if (scenario.kind == Scenario.Kind.LATENCY) {
                m.put(Metric.P50, r.number("p50_us"))
                        .put(Metric.P99, r.number("p99_us"))
                        .put(Metric.REQUEST_RATE, r.number("msgs_s"));
            } else {
                m.put(Metric.RATE, r.number("msgs_s"));
            }
            m.put(Metric.CPU, cpu);
            m.complete = r.complete();
            m.error = r.problem();
        } catch (IOException e) {
            m.complete = false;
            m.error = e.getMessage();
        }
        return m;
    }

    private void runMemory(Scenario scenario, List<ServerSpec> sides) throws InterruptedException {
        for (int round = 0; round < options.rounds(); round++) {
            for (ServerSpec side : inRoundOrder(sides, round)) {
                RunningServer server = start(side, scenario);
                if (server == null) {
                    continue;
                }
                try {
                    record(scenario, round, side.name(), measureMemory(scenario, server));
                } finally {
                    server.stop();
                }
            }
        }
    }

    /**
     * Reads RSS (both servers) and live heap (JVM only) at the client's two stages. The heap is
     * read first at "base" and last at "ready", because its forced GC may shrink RSS: this way both
     * RSS readings come after the first forced GC and before the second, and the growth between
     * them is the client's doing.
     */
    private Measurement measureMemory(Scenario scenario, RunningServer server) throws InterruptedException {
        Measurement m = new Measurement();
        MemoryReadings readings = new MemoryReadings();
        try {
            ClientResult r = client.run(
                    scenario.clientArgs(server, options.scale(), options.maxSeconds()),
                    scenario.capSeconds(options.maxSeconds()),
                    stage -> {
                        if (stage.equals("base")) {
                            readings.heapBefore = server.liveHeapBytes();
                            Thread.sleep(SETTLE_MILLIS);
                            readings.rssBefore = server.rssBytes();
                        } else if (stage.equals("ready")) {
                            Thread.sleep(SETTLE_MILLIS);
                            readings.rssAfter = server.rssBytes();
                            readings.heapAfter = server.liveHeapBytes();
                        }
                    });
            double count = r.number("received");
            m.complete = r.complete() && readings.rssAfter > 0;
            m.error = r.problem();
            if (count > 0 && readings.rssAfter > 0) {
                m.put(Metric.RSS_BEFORE, readings.rssBefore / MIB);
                m.put(Metric.rssPer(scenario.unit()), (readings.rssAfter - readings.rssBefore) / count);
                if (readings.heapBefore.isPresent() && readings.heapAfter.isPresent()) {
                    m.put(Metric.heapPer(scenario.unit()),
                            (readings.heapAfter.getAsLong() - readings.heapBefore.getAsLong()) / count);
                }
            }
        } catch (IOException e) {
            m.complete = false;
            m.error = e.getMessage();
        }
        return m;
    }

    /** Filled in by the stage callback of one memory run. */
    private static final class MemoryReadings {
        long rssBefore;
        long rssAfter;
        OptionalLong heapBefore = OptionalLong.empty();
        OptionalLong heapAfter = OptionalLong.empty();
    }

    private RunningServer start(ServerSpec side, Scenario scenario) throws InterruptedException {
        Path log = logDir.resolve(side.name() + "-" + scenario.id + ".log");
        RunningServer server = null;
        try {
            Path dir = workDir.resolve(side.name());
            List<String> extra = List.of();
            if (scenario.jetStream()) {
                // each JetStream scenario starts from an empty store
                Path store = dir.resolve("js-" + scenario.id);
                deleteTree(store);
                extra = List.of("-js", "-sd", store.toString());
            }
            if (scenario.leaf()) {
                return startLeafPair(side, dir, log);
            }
            if (scenario.gateway()) {
                return startGatewayPair(side, dir, log);
            }
            if (scenario.clustered()) {
                return startPair(side, dir, log);
            }
            int wsPort = 0;
            if (scenario.webSocket()) {
                wsPort = RunningServer.freePort();
                Path conf = dir.resolve("websocket.conf");
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.writeString(conf,
                        "websocket { listen: \"127.0.0.1:" + wsPort + "\", no_tls: true }\n");
                extra = List.of("-c", conf.toString());
            }
            server = side.start(RunningServer.freePort(), dir, log, extra);
            server.awaitReady();
            if (wsPort > 0) {
                server.awaitPort(wsPort);
                server.withWebSocket(wsPort);
            }
            return server;
        } catch (IOException e) {
            System.out.printf("  %-12s failed to start: %s (log: %s)%n", side.name(), e.getMessage(), log);
            if (server != null) {
                server.stop();
            }
            return null;
        }
    }

    /** Node A, then node B with a route to it: the subscribers use B, the publisher A. */
    private static RunningServer startPair(ServerSpec side, Path dir, Path log) throws IOException, InterruptedException {
        int routePort = RunningServer.freePort();
        List<String> cluster = List.of("--cluster_name", "bench", "--cluster", "nats://127.0.0.1:" + routePort);
        RunningServer a = side.start(RunningServer.freePort(), dir, log, cluster);
        RunningServer b = null;
        try {
            a.awaitReady();
            List<String> withRoute = new ArrayList<>(List.of("--cluster_name", "bench",
                    "--cluster", "nats://127.0.0.1:" + RunningServer.freePort(),
                    "--routes", "nats-route://127.0.0.1:" + routePort));
            b = side.start(RunningServer.freePort(), dir, log, withRoute);
            b.awaitReady();
            return a.withPeer(b);
        } catch (IOException e) {
            a.stop();
            if (b != null) {
                b.stop();
            }
            throw e;
        }
    }

    /** The hub, then a leaf node dialing it: the subscribers use the hub, the publisher the leaf. */
    private static RunningServer startLeafPair(ServerSpec side, Path dir, Path log)
            throws IOException, InterruptedException {
        int leafPort = RunningServer.freePort();
        java.nio.file.Files.createDirectories(dir);
        Path hubConf = dir.resolve("leaf-hub.conf");
        java.nio.file.Files.writeString(hubConf, "leafnodes { listen: \"127.0.0.1:" + leafPort + "\" }\n");
        Path leafConf = dir.resolve("leaf-spoke.conf");
        java.nio.file.Files.writeString(leafConf, "leafnodes { remotes [{ url: \"nats-leaf://127.0.0.1:" + leafPort
                + "\" }] }\n");
        return startLinkedPair(side, dir, log, hubConf, leafPort, leafConf);
    }

    /** Cluster B, then cluster A with a gateway to it (and B's back): the subscribers use B, the publisher A. */
    private static RunningServer startGatewayPair(ServerSpec side, Path dir, Path log)
            throws IOException, InterruptedException {
        int portA = RunningServer.freePort();
        int portB = RunningServer.freePort();
        java.nio.file.Files.createDirectories(dir);
        Path b = dir.resolve("gateway-b.conf");
        java.nio.file.Files.writeString(b, "gateway { name: B, listen: \"127.0.0.1:" + portB + "\", gateways: [{name: A, "
                + "url: \"nats://127.0.0.1:" + portA + "\"}] }\n");
        Path a = dir.resolve("gateway-a.conf");
        java.nio.file.Files.writeString(a, "gateway { name: A, listen: \"127.0.0.1:" + portA + "\", gateways: [{name: B, "
                + "url: \"nats://127.0.0.1:" + portB + "\"}] }\n");
        return startLinkedPair(side, dir, log, b, portB, a);
    }

    /**
     * The subscribers' server from {@code firstConf}, once {@code firstPort} listens the
     * publisher's from {@code secondConf}, which links to it.
     */
    private static RunningServer startLinkedPair(ServerSpec side, Path dir, Path log, Path firstConf, int firstPort,
            Path secondConf) throws IOException, InterruptedException {
        RunningServer first = side.start(RunningServer.freePort(), dir, log, List.of("-c", firstConf.toString()));
        RunningServer second = null;
        try {
            first.awaitReady();
            first.awaitPort(firstPort);
            second = side.start(RunningServer.freePort(), dir, log, List.of("-c", secondConf.toString()));
            second.awaitReady();
            return second.withPeer(first);
        } catch (IOException e) {
            first.stop();
            if (second != null) {
                second.stop();
            }
            throw e;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    private void record(Scenario scenario, int round, String side, Measurement m) {
        report.add(scenario, side, m);
        System.out.printf("  round %d/%d  %-12s %s%n", round + 1, options.rounds(), side, m.summary());
    }

    private static <T> List<T> inRoundOrder(List<T> items, int round) {
        List<T> ordered = new ArrayList<>(items);
        if (round % 2 == 1) {
            Collections.reverse(ordered);
        }
        return ordered;
    }
}
