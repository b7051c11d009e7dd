package io.natsvx.it;

import io.natsvx.NatsServerVerticle;
import io.natsvx.config.ServerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A natsvx server in this JVM on an ephemeral port, through the public embedding API. */
final class TestServer implements AutoCloseable {

  final Vertx vertx;
  final NatsServerVerticle verticle;

  private TestServer(ServerOptions options) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    verticle = new NatsServerVerticle(options);
    vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static TestServer start() throws Exception {
    return start(b -> b);
  }

  static TestServer start(UnaryOperator<ServerOptions.Builder> customize) throws Exception {
    return new TestServer(customize.apply(ServerOptions.builder().port(0).host("127.0.0.1").logtime(false)).build());
  }

  /** A server configured by nats.conf {@code text} (on ephemeral client and monitoring ports). */
  static TestServer fromConf(String text) throws Exception {
    ServerOptions.Builder b = ServerOptions.builder().port(0).host("127.0.0.1").logtime(false);
    ServerOptions o = io.natsvx.config.OptionsReader.read(io.natsvx.config.ConfParser.parseString(text, "test.conf"), b)
        .options();
    return new TestServer(o);
  }

  int port() {
    return verticle.port();
  }

  String url() {
    return "nats://127.0.0.1:" + port();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
