package io.natsvx.it;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The core protocol checks every client program runs: pub/sub, queues, request/reply, headers. */
abstract class ClientInteropBase extends InteropChecks {

  /** The checks every program runs, in this order. */
  static final List<String> CHECKS = List.of("connect", "pubsub-wildcards", "queue-group", "request-reply",
      "no-responders", "headers", "auto-unsubscribe");

  @Override
  List<String> checks() {
    return CHECKS;
  }

  @Test
  void connectsAndSeesHeaderSupport() {
    assertCheck("connect");
  }

  /** Subscriptions with * and > (and both) receive exactly the subjects they match, in order. */
  @Test
  void wildcardSubscriptionsReceiveExactlyTheMatchingSubjects() {
    assertCheck("pubsub-wildcards");
  }

  /** 300 messages over 3 queue members: each message once, every member some; a plain subscriber gets all. */
  @Test
  void queueGroupDeliversEachMessageToExactlyOneMemberSpreadOverMembers() {
    assertCheck("queue-group");
  }

  /** Muxed and per-request inboxes, sequential and concurrent; the responder saw each request once. */
  @Test
  void requestReply() {
    assertCheck("request-reply");
  }

  /** A request to a subject without subscribers fails with the client's no-responders error, fast. */
  @Test
  void requestWithoutSubscribersFailsFastWithNoResponders() {
    assertCheck("no-responders");
  }

  /** Multi-value, case-preserving headers, header-only and header-less messages, headers in request/reply. */
  @Test
  void headersRoundTrip() {
    assertCheck("headers");
  }

  /** UNSUB with a maximum: the server sends exactly that many, then has no interest left. */
  @Test
  void autoUnsubscribeStopsAtTheMaximum() {
    assertCheck("auto-unsubscribe");
  }
}
