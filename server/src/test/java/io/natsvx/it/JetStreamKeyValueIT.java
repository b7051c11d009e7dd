package io.natsvx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** jnats' KeyValue API, which stands on streams, direct gets, headers and ordered consumers. */
class JetStreamKeyValueIT extends JetStreamTests {

  @Test
  void keyValueBucketsWork() throws Exception {
    try (TestServer server = start(); Connection nc = Nats.connect(server.url())) {
      nc.keyValueManagement().create(KeyValueConfiguration.builder().name("config").maxHistoryPerKey(3)
          .storageType(StorageType.File).build());
      KeyValue kv = nc.keyValue("config");
      long rev1 = kv.put("db.host", "alpha");
      assertEquals("alpha", kv.get("db.host").getValueAsString());
      long rev2 = kv.update("db.host", "beta".getBytes(), rev1);
      assertTrue(rev2 > rev1);
      JetStreamApiException stale = assertThrows(JetStreamApiException.class,
          () -> kv.update("db.host", "gamma".getBytes(), rev1));
      assertEquals(10071, stale.getApiErrorCode(), "an update on an old revision is refused");
      assertThrows(JetStreamApiException.class, () -> kv.create("db.host", "x".getBytes()));
      kv.create("db.port", "5432".getBytes());
      kv.put("db.host", "delta");
      kv.put("db.host", "epsilon");
      List<String> history = kv.history("db.host").stream().map(KeyValueEntry::getValueAsString).toList();
      assertEquals(List.of("beta", "delta", "epsilon"), history, "three kept per key");
      assertEquals(Set.of("db.host", "db.port"), Set.copyOf(kv.keys()));
      kv.delete("db.port");
      assertNull(kv.get("db.port"), "a deleted key reads as absent");
      assertEquals(Set.of("db.host"), Set.copyOf(kv.keys()));

      Message direct = nc.request("$JS.API.DIRECT.GET.KV_config.$KV.config.db.host", new byte[0], Duration.ofSeconds(5));
      assertEquals("epsilon", new String(direct.getData()));
      assertEquals("KV_config", direct.getHeaders().getFirst("Nats-Stream"));
      Message missing = nc.request("$JS.API.DIRECT.GET.KV_config", "{\"seq\":999}".getBytes(), Duration.ofSeconds(5));
      assertEquals(404, missing.getStatus().getCode());

      var watcher = new java.util.concurrent.LinkedBlockingQueue<KeyValueEntry>();
      kv.watchAll(new io.nats.client.api.KeyValueWatcher() {
        public void watch(KeyValueEntry e) {
          watcher.add(e);
        }

        public void endOfData() { }
      });
      kv.put("db.user", "admin");
      KeyValueEntry seen = null;
      for (int i = 0; i < 10 && (seen == null || !seen.getKey().equals("db.user")); i++) {
        seen = watcher.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      }
      assertEquals("admin", seen.getValueAsString());
      assertEquals(KeyValueOperation.PUT, seen.getOperation());
      assertEquals(Set.of("config"), nc.keyValueManagement().getBucketNames().stream().collect(Collectors.toSet()));
    }
  }
}
