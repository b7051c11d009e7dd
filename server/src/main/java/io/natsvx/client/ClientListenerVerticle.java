package io.natsvx.client;

import io.natsvx.server.EventBusAddresses;
import io.natsvx.server.ServerContext;
import io.natsvx.conn.SocketAdapter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * Accepts client connections. Deployed once per event loop on the same port; Vert.x spreads
 * accepted sockets over the instances. Each socket becomes a {@link ClientConnection} on this
 * instance's event loop, at once (TCP) or once its {@link Acceptor} has set the socket up (the
 * WebSocket listener's HTTP upgrade).
 */
public final class ClientListenerVerticle extends VerticleBase {

  /** Turns an accepted socket into a client connection. */
  public interface Acceptor {
    /** {@code overConnectionLimit}: the connection is to be told so and closed once it started. */
    void accept(NetSocket socket, boolean overConnectionLimit);
  }

  private final ServerContext server;
  private final String host;
  private final int port;
  private final Acceptor acceptor;
  /** Whether this listener's instances tell the clients of lame-duck mode (one listener does). */
  private final boolean main;
  private NetServer netServer;
  private MessageConsumer<EventBusAddresses.LameDuck> lameDuckConsumer;

  /** The client port: NATS over TCP. */
  public ClientListenerVerticle(ServerContext server, int port) {
    this(server, server.options().host(), port, (socket, over) -> SocketAdapter.install(socket,
        ctx -> new ClientConnection(server, ctx)).start(over), true);
  }

  /** Another listener for clients (WebSocket), on its own host and port. */
  public ClientListenerVerticle(ServerContext server, String host, int port, Acceptor acceptor, boolean main) {
    this.server = server;
    this.host = host;
    this.port = port;
    this.acceptor = acceptor;
    this.main = main;
  }

  /** The port actually bound (useful when 0 was asked). */
  public int actualPort() {
    return netServer.actualPort();
  }

  @Override
  public Future<?> start() {
    NetServerOptions netOptions = new NetServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setAcceptBacklog(1024);
    netServer = vertx.createNetServer(netOptions).connectHandler(this::accept);
    lameDuckConsumer = vertx.eventBus().localConsumer(EventBusAddresses.LAME_DUCK, m -> enterLameDuck(m.body()));
    return lameDuckConsumer.completion().compose(v -> netServer.listen());
  }

  private void accept(NetSocket socket) {
    if (server.isLameDuck() || server.isShuttingDown()) {
      socket.close();
      return;
    }
    int max = server.options().maxConnections();
    boolean over = max > 0 && server.connectionCount() >= max;
    acceptor.accept(socket, over);
  }

  /** Stops accepting; connected clients hear of it through an INFO with "ldm". */
  private void enterLameDuck(EventBusAddresses.LameDuck ldm) {
    if (netServer != null) {
      // A graceful shutdown unbinds the port at once but leaves the connections to the root
      // verticle, which closes them over the lame-duck duration; Vert.x only cuts stragglers.
      long keep = ldm.gracePeriodMillis() + ldm.spreadMillis() + 5_000;
      netServer.shutdown(keep, TimeUnit.MILLISECONDS);
    }
    for (var c : server.connections()) {
      if (main && c.eventLoop().inEventLoop()) {
        c.lameDuck();
      }
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = lameDuckConsumer == null ? Future.succeededFuture() : lameDuckConsumer.unregister();
    return unregistered.compose(v -> netServer == null ? Future.succeededFuture() : netServer.close());
  }
}
