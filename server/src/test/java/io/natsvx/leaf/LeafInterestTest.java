package io.natsvx.leaf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.natsvx.conn.Link;
import io.natsvx.conn.MsgFrame;
import io.natsvx.conn.Producer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeafInterestTest {

  /** A link of a role and cluster, as the interest table sees it; records what it is told. */
  private static final class Fake implements Link, LeafInterest.Audience {
    final Role role;
    final String cluster;
    final List<String> told = new ArrayList<>();

    Fake(Role role, String cluster) {
      this.role = role;
      this.cluster = cluster;
    }

    @Override public long id() { return System.identityHashCode(this); }
    @Override public Role role() { return role; }
    @Override public String remoteCluster() { return cluster; }
    @Override public boolean accepts(Link from) { return true; }
    @Override public boolean forward(Producer p, byte[] a, MsgFrame f, String[] q, int n) { return true; }
    @Override public Link link() { return this; }
    @Override public String account() { return "$G"; }
    @Override public boolean mayHear(String subject) { return !subject.startsWith("denied."); }

    @Override
    public void tell(LeafInterest.Key key, int count) {
      told.add((count > 0 ? "+" : "-") + key.text() + (key.queue() != null && count > 0 ? " " + count : ""));
    }
  }

  @Test
  void plainSubjectsAreNewsAtFirstAndLastQueueGroupsAtEveryChange() {
    LeafInterest table = new LeafInterest();
    Fake leaf = new Fake(Link.Role.LEAF_HUB, null);
    table.join(leaf, List.of(new LeafInterest.Key("$LDS.x", null)));
    table.changed("$G", "foo", null, true, null, null);
    table.changed("$G", "foo", null, true, null, null);
    table.changed("$G", "work", "q", true, null, null);
    table.changed("$G", "work", "q", true, null, null);
    table.changed("$G", "foo", null, false, null, null);
    table.changed("$G", "foo", null, false, null, null);
    table.changed("$G", "work", "q", false, null, null);
    table.changed("$G", "other", null, true, null, null);
    table.changed("$G", "denied.x", null, true, null, null);
    assertEquals(List.of("+$LDS.x", "+foo", "+work q 1", "+work q 2", "-foo", "+work q 1", "+other"), leaf.told);
    assertEquals(Map.of("$LDS.x", 1, "work q", 1, "other", 1), table.toldTo(leaf));
  }

  @Test
  void eachRoleHearsWhatNatsServerTellsIt() {
    LeafInterest table = new LeafInterest();
    Fake route = new Fake(Link.Role.ROUTE, null);
    Fake ourLeaf = new Fake(Link.Role.LEAF_HUB, null);
    Fake ourHub = new Fake(Link.Role.LEAF_SPOKE, null);
    Fake otherHub = new Fake(Link.Role.LEAF_SPOKE, null);
    table.join(ourLeaf, List.of());
    table.join(ourHub, List.of());
    table.join(otherHub, List.of());
    table.changed("$G", "from.route", null, true, route, null);
    table.changed("$G", "from.leaf", null, true, ourLeaf, null);
    table.changed("$G", "from.hub", null, true, ourHub, null);
    table.changed("$G", "local", null, true, null, null);
    // a leaf of ours hears the routes' and the hub's, never its own
    assertEquals(List.of("+from.route", "+from.hub", "+local"), ourLeaf.told);
    // a hub hears our own and our leafs', not the routes' nor another hub's
    assertEquals(List.of("+from.leaf", "+local"), ourHub.told);
    assertEquals(List.of("+from.leaf", "+local"), otherHub.told);
  }

  @Test
  void linksToOneClusterDoNotHearEachOtherButLoopDetectionCrosses() {
    LeafInterest table = new LeafInterest();
    Fake a = new Fake(Link.Role.LEAF_HUB, "edge");
    Fake b = new Fake(Link.Role.LEAF_HUB, "edge");
    table.join(b, List.of());
    table.changed("$G", "foo", null, true, a, null);
    table.changed("$G", "$LDS.abc", null, true, a, null);
    assertEquals(List.of("+$LDS.abc"), b.told);
  }

  @Test
  void aLateJoinerIsToldTheSumOfWhatItMayHear() {
    LeafInterest table = new LeafInterest();
    Fake route = new Fake(Link.Role.ROUTE, null);
    table.changed("$G", "work", "q", true, null, null);
    table.changed("$G", "work", "q", true, route, null);
    table.changed("$G", "plain", null, true, route, null);
    Fake spoke = new Fake(Link.Role.LEAF_SPOKE, null);
    Fake hub = new Fake(Link.Role.LEAF_HUB, null);
    table.join(spoke, List.of());
    table.join(hub, List.of());
    assertEquals(List.of("+work q 1"), spoke.told);
    assertEquals(Map.of("work q", 2, "plain", 1), table.toldTo(hub));
  }
}
