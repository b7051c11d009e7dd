package io.natsvx.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The control plane's event-bus addresses and message records, in one place. Records travel
 * with a local codec that passes the same immutable object, so nothing is serialized in-process.
 */
public final class EventBusAddresses {

  /** Interest changes ({@link InterestChange}), for routes, gateways and leaf nodes. */
  public static final String INTEREST = "natsvx.interest";
  /** An outbound gateway met its cluster ({@link GatewayGossip}): the route peers are told. */
  public static final String GATEWAY_GOSSIP = "natsvx.gateway.gossip";
  /** A route peer told of another cluster's gateway ({@link GatewayGossip}): the gateways dial it. */
  public static final String GATEWAY_LEARNED = "natsvx.gateway.learned";
  /** A route peer's gateway URL came or went ({@link GatewayUrl}): this cluster's gateway URLs. */
  public static final String GATEWAY_URL = "natsvx.gateway.url";
  /** The cluster's hub URLs changed ({@link LeafUrls}): accepted leaf nodes are told. */
  public static final String LEAF_URLS = "natsvx.leaf.urls";
  /** Lame-duck mode started ({@link LameDuck}): listeners stop accepting and tell their clients. */
  public static final String LAME_DUCK = "natsvx.lame-duck";

  private EventBusAddresses() {}

  /**
   * A subscription appeared ({@code added}) or went away in an account: one of this server's own
   * ({@code from} null), or the far side's of a link; {@code origin} names the leaf cluster it
   * came from when a route said so (nats-server's sub.origin), else null.
   */
  public record InterestChange(String account, String subject, String queue, boolean added,
      io.natsvx.conn.Link from, String origin) {}

  /** Another cluster's gateway name and the URLs of its gateway ports ("host:port"). */
  public record GatewayGossip(String gateway, java.util.List<String> urls) {
    public GatewayGossip {
      urls = java.util.List.copyOf(urls);
    }
  }

  /** A gateway URL ("host:port") of this cluster, from a route peer's INFO. */
  public record GatewayUrl(String url, boolean added) {}

  /**
   * The other servers' leaf node URLs of this cluster ("host:port", from their route INFO) and
   * the cluster's WebSocket URLs.
   */
  public record LeafUrls(java.util.List<String> leafNodeUrls, java.util.List<String> wsConnectUrls) {
    public LeafUrls {
      leafNodeUrls = java.util.List.copyOf(leafNodeUrls);
      wsConnectUrls = java.util.List.copyOf(wsConnectUrls);
    }
  }

  /** Lame-duck mode: clients are told, then closed over the given spread. */
  public record LameDuck(long gracePeriodMillis, long spreadMillis) {}

  /** Registers the local codecs once per Vert.x instance. */
  public static void registerCodecs(Vertx vertx) {
    register(vertx, InterestChange.class);
    register(vertx, LameDuck.class);
    register(vertx, GatewayGossip.class);
    register(vertx, GatewayUrl.class);
    register(vertx, LeafUrls.class);
  }

  private static <T> void register(Vertx vertx, Class<T> type) {
    try {
      vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // A second server in the same Vert.x shares the codecs.
    }
  }

  private static final class LocalCodec<T> implements MessageCodec<T, T> {
    private final Class<T> type;

    LocalCodec(Class<T> type) {
      this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
      throw new IllegalStateException("local only: " + type.getName());
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("local only: " + type.getName());
    }

    @Override
    public T transform(T t) {
      return t;
    }

    @Override
    public String name() {
      return "natsvx-local-" + type.getSimpleName();
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
