package io.natsvx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jetstream keys as nats-server reads them: the block, store_dir, and an account's limits. */
class JetStreamConfigTest extends ConfigFileTest {

  private ServerOptions load(String conf) throws Exception {
    return OptionsReader.load(write("t.conf", conf)).options();
  }

  @Test
  void theBlockAndItsShortForms() throws Exception {
    JetStreamOptions js = load("jetstream {\n  store_dir: \"/data\"\n  max_memory_store: 1GB\n"
        + "  max_file_store: 10GB\n  domain: hub\n  sync_interval: \"30s\"\n}\n").jetStream();
    assertTrue(js.enabled());
    assertEquals("/data", js.storeDir());
    assertEquals(1024L * 1024 * 1024, js.maxMemory());
    assertEquals(10L * 1024 * 1024 * 1024, js.maxFile());
    assertEquals("hub", js.domain());
    assertFalse(js.syncAlways());
    assertEquals(Duration.ofSeconds(30), js.syncInterval());
    assertTrue(load("jetstream: enabled\n").jetStream().enabled());
    assertTrue(load("jetstream: true\n").jetStream().enabled());
    assertFalse(load("jetstream: disabled\n").jetStream().enabled());
    assertTrue(load("jetstream { sync: always }\n").jetStream().syncAlways(), "durable commits are the default");
    assertTrue(load("jetstream {}\n").jetStream().syncAlways());
    assertEquals("/top", load("store_dir: /top\njetstream: enabled\n").jetStream().storeDir());
  }

  @Test
  void mistakesAreNamed() throws Exception {
    assertEquals(List.of(where(1) + ": jetstream: Expected 'enabled' or 'disabled' for string value, got 'maybe'"),
        errors("jetstream: maybe\n"));
    assertEquals(List.of(where(2) + ": store_dir: Duplicate 'store_dir' configuration"),
        errors("store_dir: /a\njetstream { store_dir: /b }\n"));
    assertEquals(List.of(where(1) + ": unknown field \"color\" in jetstream (ignored)"),
        warnings("jetstream { color: red }\n"));
  }

  @Test
  void accountsHaveTheirOwnLimits() throws Exception {
    ServerOptions o = load("jetstream: enabled\naccounts {\n  A: { jetstream: { max_mem: 1MB, max_file: 2MB,"
        + " max_streams: 3, max_consumers: 4 } }\n  B: { jetstream: enabled }\n  C: {}\n}\n");
    assertEquals(new JetStreamOptions.AccountLimits(1024 * 1024, 2 * 1024 * 1024, 3, 4), account(o, "A").jetStream());
    assertEquals(JetStreamOptions.AccountLimits.UNLIMITED, account(o, "B").jetStream());
    assertNull(account(o, "C").jetStream(), "an account without a jetstream block has none");
  }

  private static AccountOptions account(ServerOptions o, String name) {
    return o.accounts().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }
}
