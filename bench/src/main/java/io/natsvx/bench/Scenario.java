package io.natsvx.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark scenarios, in the order they run, and how each one maps onto the Go load
 * client's flags (see go/src/natsbench). Message counts are chosen so that one run takes a
 * few seconds against nats-server on a small machine; the client's time cap bounds slower runs.
 */
enum Scenario {
    PUB_16("pub-16", Kind.THROUGHPUT, "publish only, 16 B", "pub", 16, 0, 20_000_000),
    PUB_128("pub-128", Kind.THROUGHPUT, "publish only, 128 B", "pub", 128, 0, 15_000_000),
    PUB_1K("pub-1k", Kind.THROUGHPUT, "publish only, 1 KB", "pub", 1024, 0, 5_000_000),
    PUBSUB("pubsub-128", Kind.THROUGHPUT, "1 publisher -> 1 subscriber, 128 B", "pubsub", 128, 1, 5_000_000),
    FANOUT("fanout-5", Kind.THROUGHPUT, "1 publisher -> 5 subscribers, 128 B", "pubsub", 128, 5, 1_000_000),
    QUEUE("queue-4", Kind.THROUGHPUT, "1 publisher -> queue group of 4, 128 B", "queue", 128, 4, 4_000_000),
    WS_PUBSUB("ws-pubsub", Kind.THROUGHPUT, "1 publisher -> 1 subscriber, both over WebSocket, 128 B", "pubsub", 128, 1,
        2_000_000),
    CLUSTER_PUBSUB("cluster-pubsub", Kind.THROUGHPUT, "publisher on node A -> subscriber on node B of a 2-node cluster, 128 B",
        "pubsub", 128, 1, 5_000_000),
    LEAF_PUBSUB("leaf-pubsub", Kind.THROUGHPUT, "publisher on a leaf node -> subscriber on its hub, 128 B",
        "pubsub", 128, 1, 5_000_000),
    GATEWAY_PUBSUB("gateway-pubsub", Kind.THROUGHPUT, "publisher in cluster A -> subscriber in cluster B across a gateway, 128 B",
        "pubsub", 128, 1, 5_000_000),
    REQREP("reqrep", Kind.LATENCY, "request/reply round trip, 128 B, one at a time", "reqrep", 128, 1, 20_000),
    IDLE_CONNS("idle-conns", Kind.MEMORY, "memory of 1,000 idle connections", "conns", 0, 0, 1_000),
    SUBS("subs-100k", Kind.MEMORY, "memory of 100,000 subscriptions on one connection", "subs", 0, 0, 100_000),
    JS_PUB_SYNC("js-pub-sync", Kind.LATENCY, "JetStream publish, one at a time, 128 B, file storage", "jspubsync", 128, 0,
        5_000),
    JS_PUB_ASYNC("js-pub-async", Kind.THROUGHPUT, "JetStream async publish, 128 B, file storage", "jspubasync", 128, 0,
        200_000),
    JS_FETCH("js-fetch", Kind.THROUGHPUT, "pull consumer fetch (256 a batch, acked) from a 200k-message stream",
        "jsfetch", 128, 0, 200_000),
    JS_PUSH("js-push", Kind.THROUGHPUT, "push consumer (no acks) from a 200k-message stream", "jspush", 128, 0,
        200_000),
    JS_KV_PUT("js-kv-put", Kind.THROUGHPUT, "key-value put, 8 writers on 1,000 keys, each waiting for its ack, 128 B",
        "kvput", 128, 0, 60_000),
    JS_KV_GET("js-kv-get", Kind.THROUGHPUT, "key-value get, 8 readers of 1,000 keys, 128 B", "kvget", 128, 0, 200_000),
    JS_KINE("js-kine", Kind.THROUGHPUT, "kine's writes: 8 writers read and compare-and-set 64 shared keys, 128 B",
        "kine", 128, 0, 30_000);

    enum Kind { THROUGHPUT, LATENCY, MEMORY }

    /**
     * Memory runs also wait while the harness reads /proc and, for a JVM, forces a GC; their
     * cap covers those pauses, not load.
     */
    private static final int MEMORY_CAP_SECONDS = 60;

    final String id;
    final Kind kind;
    final String title;
    private final String clientScenario;
    private final int size;
    private final int subscribers;
    private final long count;

    Scenario(String id, Kind kind, String title, String clientScenario, int size, int subscribers, long count) {
        this.id = id;
        this.kind = kind;
        this.title = title;
        this.clientScenario = clientScenario;
        this.size = size;
        this.subscribers = subscribers;
        this.count = count;
    }

    /**
     * Cluster scenarios run against two servers per side joined by a route, leaf ones by a leaf
     * link, gateway ones by a gateway.
     */
    boolean clustered() {
        return id.startsWith("cluster-") || leaf() || gateway();
    }

    /** Gateway scenarios: the publisher's server and the subscribers' are single-server clusters A and B. */
    boolean gateway() {
        return id.startsWith("gateway-");
    }

    /** Leaf scenarios: the publisher's server is a leaf node of the subscribers'. */
    boolean leaf() {
        return id.startsWith("leaf-");
    }

    /** WebSocket scenarios run against servers with a plain-text websocket block; clients use ws://. */
    boolean webSocket() {
        return id.startsWith("ws-");
    }

    /** JetStream scenarios run against servers started with -js and a fresh store directory. */
    boolean jetStream() {
        return id.startsWith("js-");
    }

    /** What one counted item is: a message, a request, a connection or a subscription. */
    String unit() {
        return switch (this) {
            case IDLE_CONNS -> "conn";
            case SUBS -> "sub";
            case REQREP -> "req";
            case JS_PUB_SYNC -> "pub";
            case JS_KV_PUT, JS_KV_GET, JS_KINE -> "op";
            default -> "msg";
        };
    }

    /**
     * The item count for one run. {@code --scale} shrinks or grows message and request counts only:
     * the memory scenarios' counts are part of what they measure.
     */
    long count(double scale) {
        if (kind == Kind.MEMORY) {
            return count;
        }
        return Math.max(1, Math.round(count * scale));
    }

    List<String> clientArgs(RunningServer server, double scale, int maxSeconds) {
        List<String> args = new ArrayList<>();
        args.add("-url");
        args.add(server.url());
        args.add("-suburl");
        args.add(server.subscriberUrl());
        args.add("-scenario");
        args.add(clientScenario);
        args.add("-size");
        args.add(Integer.toString(size));
        args.add("-count");
        args.add(Long.toString(count(scale)));
        args.add("-subs");
        args.add(Integer.toString(Math.max(1, subscribers)));
        args.add("-time");
        args.add(capSeconds(maxSeconds) + "s");
        if (clustered()) {
            // bounded in flight: the far server would cut a subscriber that falls 64 MB behind
            args.add("-window");
            args.add("100000");
        }
        return args;
    }

    /** The client's own time cap for one run. */
    int capSeconds(int maxSeconds) {
        return kind == Kind.MEMORY ? Math.max(maxSeconds, MEMORY_CAP_SECONDS) : maxSeconds;
    }

    static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "'; known: " + ids());
    }

    static String ids() {
        List<String> ids = new ArrayList<>();
        for (Scenario s : values()) {
            ids.add(s.id);
        }
        return String.join(",", ids);
    }
}
