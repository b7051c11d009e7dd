package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * JetStream scenarios run on natsvx and, when installed, on nats-server with the same flags
 * ({@code -js -sd}), each server a child process restartable on its store directory, both held
 * to the same transcript.
 */
abstract class JetStreamSideBySide {

  @TempDir
  Path dir;


  /** One server kind under test, restartable on the same store directory. */
  final class Side implements AutoCloseable {
    final boolean reference;
    final Path store;
    NatsServerProcess server;
    final List<Connection> connections = new ArrayList<>();

    Side(boolean reference) throws Exception {
      this.reference = reference;
      this.store = dir.resolve(reference ? "nats-server" : "natsvx");
      start();
    }

    private void start() throws Exception {
      String[] args = {"-js", "-sd", store.toString()};
      server = reference ? NatsServerProcess.start(args) : NatsServerProcess.natsvx(args);
    }

    Connection connect() throws Exception {
      Connection nc = Nats.connect(Options.builder().server(server.url()).maxReconnects(0)
          .connectionTimeout(Duration.ofSeconds(5)).build());
      connections.add(nc);
      return nc;
    }

    JetStreamManagement jsm() throws Exception {
      return connect().jetStreamManagement();
    }

    /** SIGKILL ({@code kill}) or SIGTERM, then the same server on the same directory. */
    void restart(boolean kill) throws Exception {
      closeConnections();
      if (kill) {
        server.kill();
      } else {
        server.close();
      }
      start();
    }

    private void closeConnections() throws Exception {
      for (Connection c : connections) {
        c.close();
      }
      connections.clear();
    }

    @Override
    public void close() throws Exception {
      closeConnections();
      server.close();
    }
  }

  interface Scenario {
    String run(Side side) throws Exception;
  }

  private final List<Side> sides = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Side s : sides) {
      s.close();
    }
  }

  /** natsvx must tell {@code expected}; so must nats-server, which is what makes it the expectation. */
  void bothTell(String expected, Scenario scenario) throws Exception {
    if (NatsServerProcess.available()) {
      Side reference = new Side(true);
      sides.add(reference);
      assertEquals(expected, scenario.run(reference), "nats-server");
    }
    Side natsvx = new Side(false);
    sides.add(natsvx);
    assertEquals(expected, scenario.run(natsvx), "natsvx");
  }

  static String state(JetStreamManagement jsm, String stream) throws Exception {
    StreamState s = jsm.getStreamInfo(stream).getStreamState();
    return "msgs=" + s.getMsgCount() + " first=" + s.getFirstSequence() + " last=" + s.getLastSequence();
  }

  static String error(JetStreamApiException e) {
    return "error " + e.getErrorCode() + " " + e.getApiErrorCode() + " " + e.getErrorDescription();
  }

  static String publish(Connection nc, String subject, String msgId) throws Exception {
    Headers h = new Headers();
    if (msgId != null) {
      h.add("Nats-Msg-Id", msgId);
    }
    var ack = nc.jetStream().publish(NatsMessage.builder().subject(subject).headers(h).data("x").build());
    return ack.getSeqno() + (ack.isDuplicate() ? "(dup)" : "");
  }

}
