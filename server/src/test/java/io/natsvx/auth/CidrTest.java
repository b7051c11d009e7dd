package io.natsvx.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void blocksAndSingleAddresses() {
    assertTrue(Cidr.anyContains(List.of("127.0.0.0/8"), "127.0.0.1"));
    assertTrue(Cidr.anyContains(List.of("10.1.2.0/24", "192.168.1.7"), "192.168.1.7"));
    assertTrue(Cidr.anyContains(List.of("10.1.2.128/25"), "10.1.2.200"));
    assertFalse(Cidr.anyContains(List.of("10.1.2.128/25"), "10.1.2.127"));
    assertTrue(Cidr.anyContains(List.of("0.0.0.0/0"), "8.8.8.8"));
    assertTrue(Cidr.anyContains(List.of("::1/128"), "0:0:0:0:0:0:0:1"));
    assertFalse(Cidr.anyContains(List.of("::1/128"), "127.0.0.1"), "families do not mix");
  }

  @Test
  void malformedBlocksHoldNothing() {
    assertFalse(Cidr.anyContains(List.of("10.0.0.0/33", "10.0.0.0/x", "example.com", ""), "10.0.0.1"));
    assertFalse(Cidr.anyContains(List.of("10.0.0.0/8"), "not-an-address"));
  }
}
