package io.natsvx.it;

import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What a test starts (servers, nats-server processes, clients), closed after it in the reverse
 * order: clients before the servers they talk to.
 */
abstract class Resources {

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    closing.clear();
  }

  <T extends AutoCloseable> T keep(T c) {
    closing.add(c);
    return c;
  }

  Connection connect(String url) throws Exception {
    return keep(Nats.connect(new io.nats.client.Options.Builder().server(url).build()));
  }

  /** A nats-server run with config {@code conf}. */
  NatsServerProcess natsServer(String conf) throws Exception {
    Path file = Files.createTempFile("natsvx-it", ".conf");
    file.toFile().deleteOnExit();
    Files.writeString(file, conf);
    return keep(NatsServerProcess.start("-c", file.toString()));
  }
}
