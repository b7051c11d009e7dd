/*
 * Interop checks for the official C client (libnats, cnats) against a NATS
 * server.
 *
 * Build: gcc -std=c11 -O1 -o interop interop.c -lnats -lpthread
 * Usage: interop nats://host:port
 *
 * Prints "ok <check> ..." per passed check and a final "OK"; on the first
 * failure prints "FAIL <check>: <reason>" and exits 1. Every wait is bounded.
 */
#define _POSIX_C_SOURCE 200809L

#include <nats/nats.h>

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 5000 /* upper bound for any single expected event */
#define QUEUE_MSGS 300
#define QUEUE_SUBS 3
#define CONCURRENT 20

static const char *url;
static pthread_mutex_t async_mu = PTHREAD_MUTEX_INITIALIZER;
static char async_errors[4096];

static void fail(const char *check, const char *fmt, ...) {
  va_list ap;
  printf("FAIL %s: ", check);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
  exit(1);
}

static void pass(const char *check, const char *fmt, ...) {
  va_list ap;
  printf("ok %s (", check);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf(")\n");
  fflush(stdout);
}

static void must(const char *check, natsStatus s, const char *what) {
  if (s != NATS_OK) {
    fail(check, "%s: %s (%s)", what, natsStatus_GetText(s), nats_GetLastError(NULL));
  }
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_async_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *closure) {
  (void)nc;
  (void)sub;
  pthread_mutex_lock(&async_mu);
  size_t used = strlen(async_errors);
  snprintf(async_errors + used, sizeof(async_errors) - used, "%s: async error %s; ", (const char *)closure,
           natsStatus_GetText(err));
  pthread_mutex_unlock(&async_mu);
}

static natsConnection *open_conn(const char *check, const char *name, bool old_request_style) {
  natsOptions *opts = NULL;
  natsConnection *nc = NULL;
  must(check, natsOptions_Create(&opts), "options");
  must(check, natsOptions_SetURL(opts, url), "url");
  must(check, natsOptions_SetName(opts, name), "name");
  must(check, natsOptions_SetTimeout(opts, WAIT_MS), "timeout");
  must(check, natsOptions_SetAllowReconnect(opts, false), "no reconnect");
  must(check, natsOptions_SetErrorHandler(opts, on_async_error, (void *)name), "error handler");
  must(check, natsOptions_UseOldRequestStyle(opts, old_request_style), "request style");
  natsStatus s = natsConnection_Connect(&nc, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) {
    fail(check, "connect %s to %s: %s (%s)", name, url, natsStatus_GetText(s), nats_GetLastError(NULL));
  }
  return nc;
}

static void flush(const char *check, natsConnection *nc) {
  must(check, natsConnection_FlushTimeout(nc, WAIT_MS), "flush");
}

static natsMsg *next(const char *check, natsSubscription *sub, const char *what) {
  natsMsg *m = NULL;
  natsStatus s = natsSubscription_NextMsg(&m, sub, WAIT_MS);
  if (s != NATS_OK) {
    fail(check, "waiting for %s: %s", what, natsStatus_GetText(s));
  }
  return m;
}

/* The message payload as a NUL-terminated string in buf. */
static const char *data(const natsMsg *m, char *buf, size_t size) {
  int len = natsMsg_GetDataLength(m);
  if (len < 0 || (size_t)len >= size) {
    len = (int)size - 1;
  }
  memcpy(buf, natsMsg_GetData(m), (size_t)len);
  buf[len] = '\0';
  return buf;
}

static uint64_t in_msgs(const char *check, natsConnection *nc) {
  natsStatistics *st = NULL;
  uint64_t in = 0;
  must(check, natsStatistics_Create(&st), "stats");
  must(check, natsConnection_GetStats(nc, st), "get stats");
  must(check, natsStatistics_GetCounts(st, &in, NULL, NULL, NULL, NULL), "stats counts");
  natsStatistics_Destroy(st);
  return in;
}

static void close_conn(natsConnection *nc) {
  natsConnection_Close(nc);
  natsConnection_Destroy(nc);
}

static void check_connect(void) {
  const char *c = "connect";
  natsConnection *nc = open_conn(c, "interop-connect", false);
  if (natsConnection_HasHeaderSupport(nc) != NATS_OK) {
    fail(c, "server does not advertise headers support");
  }
  char id[128];
  must(c, natsConnection_GetConnectedServerId(nc, id, sizeof(id)), "server id");
  int64_t rtt = 0;
  must(c, natsConnection_GetRTT(nc, &rtt), "rtt");
  pass(c, "server %s, max payload %lld, rtt %lldus, libnats %s", id, (long long)natsConnection_GetMaxPayload(nc),
       (long long)(rtt / 1000), nats_GetVersion());
  close_conn(nc);
}

/* Wildcard subscriptions each receive exactly the matching subjects, in order. */
static void check_wildcards(void) {
  const char *c = "pubsub-wildcards";
  static const char *end = "iop.ps.end";
  static const char *published[] = {"iop.ps.a", "iop.ps.b", "iop.ps.a.b", "iop.psx.a", "iop", "iop.ps", "iop.ps.a.b.c"};
  static const struct {
    const char *pattern;
    const char *want[6]; /* NULL-terminated, the sentinel included where it matches */
  } expect[] = {
      {"iop.ps.*", {"iop.ps.a", "iop.ps.b", "iop.ps.end", NULL}},
      {"iop.ps.>", {"iop.ps.a", "iop.ps.b", "iop.ps.a.b", "iop.ps.a.b.c", "iop.ps.end", NULL}},
      {"iop.*.*", {"iop.ps.a", "iop.ps.b", "iop.psx.a", "iop.ps.end", NULL}},
      {"*.ps.*.>", {"iop.ps.a.b", "iop.ps.a.b.c", NULL}},
      {"iop.ps.end", {"iop.ps.end", NULL}},
  };
  const int npat = (int)(sizeof(expect) / sizeof(expect[0]));
  const int npub = (int)(sizeof(published) / sizeof(published[0]));
  natsConnection *sc = open_conn(c, "interop-wild-sub", false);
  natsConnection *pc = open_conn(c, "interop-wild-pub", false);
  natsSubscription *subs[8];
  for (int i = 0; i < npat; i++) {
    must(c, natsConnection_SubscribeSync(&subs[i], sc, expect[i].pattern), expect[i].pattern);
  }
  flush(c, sc);
  char payload[64];
  for (int i = 0; i < npub; i++) {
    snprintf(payload, sizeof(payload), "p:%s", published[i]);
    must(c, natsConnection_PublishString(pc, published[i], payload), "publish");
  }
  snprintf(payload, sizeof(payload), "p:%s", end);
  must(c, natsConnection_PublishString(pc, end, payload), "publish sentinel");
  flush(c, pc);

  /* Sync subscriptions are fed in arrival order: once the sentinel is read
     from "iop.ps.end", everything sent before it is queued on the others. */
  natsMsg *m = next(c, subs[npat - 1], "sentinel");
  natsMsg_Destroy(m);
  uint64_t deliveries = 1;
  for (int i = 0; i < npat - 1; i++) {
    int n = 0;
    for (; expect[i].want[n] != NULL; n++) {
      char what[96];
      snprintf(what, sizeof(what), "message %d on %s", n + 1, expect[i].pattern);
      m = next(c, subs[i], what);
      const char *subj = natsMsg_GetSubject(m);
      char buf[64];
      snprintf(payload, sizeof(payload), "p:%s", subj);
      if (strcmp(subj, expect[i].want[n]) != 0) {
        fail(c, "subscription %s: message %d is on %s, want %s", expect[i].pattern, n + 1, subj, expect[i].want[n]);
      }
      if (strcmp(data(m, buf, sizeof(buf)), payload) != 0) {
        fail(c, "subscription %s: message on %s carries payload %s", expect[i].pattern, subj, buf);
      }
      natsMsg_Destroy(m);
    }
    deliveries += (uint64_t)n;
    int pending = 0;
    must(c, natsSubscription_GetPending(subs[i], &pending, NULL), "pending");
    if (pending != 0) {
      m = next(c, subs[i], "extra message");
      fail(c, "subscription %s received an extra message on %s", expect[i].pattern, natsMsg_GetSubject(m));
    }
  }
  flush(c, sc);
  uint64_t in = in_msgs(c, sc);
  if (in != deliveries) {
    fail(c, "subscriber connection received %llu messages, want %llu", (unsigned long long)in,
         (unsigned long long)deliveries);
  }
  for (int i = 0; i < npat; i++) {
    natsSubscription_Destroy(subs[i]);
  }
  close_conn(sc);
  close_conn(pc);
  pass(c, "%d subjects published, %d patterns, %llu deliveries", npub + 1, npat, (unsigned long long)deliveries);
}

/* Each message on a queue subject goes to exactly one member of the group,
   spread over the members; a plain subscriber on the same subject sees all. */
static void check_queue_group(void) {
  const char *c = "queue-group";
  natsConnection *members[QUEUE_SUBS];
  natsSubscription *qsubs[QUEUE_SUBS];
  natsSubscription *ends[QUEUE_SUBS];
  for (int i = 0; i < QUEUE_SUBS; i++) {
    char name[32];
    snprintf(name, sizeof(name), "interop-queue-%d", i);
    members[i] = open_conn(c, strdup(name), false);
    must(c, natsConnection_QueueSubscribeSync(&qsubs[i], members[i], "iop.q", "workers"), "queue subscribe");
    must(c, natsConnection_SubscribeSync(&ends[i], members[i], "iop.q.end"), "subscribe sentinel");
    flush(c, members[i]);
  }
  natsConnection *pc = open_conn(c, "interop-queue-pub", false);
  natsSubscription *observer = NULL;
  must(c, natsConnection_SubscribeSync(&observer, pc, "iop.q"), "plain subscribe");
  flush(c, pc);

  char buf[32];
  for (int i = 0; i < QUEUE_MSGS; i++) {
    snprintf(buf, sizeof(buf), "%d", i);
    must(c, natsConnection_PublishString(pc, "iop.q", buf), "publish");
  }
  must(c, natsConnection_Publish(pc, "iop.q.end", NULL, 0), "publish sentinel");
  flush(c, pc);

  int seen[QUEUE_MSGS];
  int counts[QUEUE_SUBS] = {0};
  for (int n = 0; n < QUEUE_MSGS; n++) {
    seen[n] = -1;
  }
  for (int i = 0; i < QUEUE_SUBS; i++) {
    /* The sentinel follows every queue message this member was sent, so
       after it the member's pending count is exactly what the server sent. */
    natsMsg_Destroy(next(c, ends[i], "sentinel"));
    int pending = 0;
    must(c, natsSubscription_GetPending(qsubs[i], &pending, NULL), "pending");
    for (int k = 0; k < pending; k++) {
      natsMsg *m = next(c, qsubs[i], "queued message");
      char *endp = NULL;
      long n = strtol(data(m, buf, sizeof(buf)), &endp, 10);
      if (*endp != '\0' || n < 0 || n >= QUEUE_MSGS) {
        fail(c, "member %d: unexpected payload %s", i, buf);
      }
      if (seen[n] != -1) {
        fail(c, "message %ld delivered twice: to member %d and member %d", n, seen[n], i);
      }
      seen[n] = i;
      counts[i]++;
      natsMsg_Destroy(m);
    }
  }
  for (int n = 0; n < QUEUE_MSGS; n++) {
    if (seen[n] == -1) {
      fail(c, "message %d reached no member of the queue group (counts %d/%d/%d)", n, counts[0], counts[1], counts[2]);
    }
  }
  for (int i = 0; i < QUEUE_SUBS; i++) {
    if (counts[i] < QUEUE_MSGS / 10) {
      fail(c, "not spread over members: member %d got %d of %d (counts %d/%d/%d)", i, counts[i], QUEUE_MSGS,
           counts[0], counts[1], counts[2]);
    }
  }
  for (int n = 0; n < QUEUE_MSGS; n++) {
    natsMsg *m = next(c, observer, "plain subscriber message");
    char want[32];
    snprintf(want, sizeof(want), "%d", n);
    if (strcmp(data(m, buf, sizeof(buf)), want) != 0) {
      fail(c, "plain subscriber: message %d is %s", n, buf);
    }
    natsMsg_Destroy(m);
  }
  flush(c, pc);
  int extra = 0;
  must(c, natsSubscription_GetPending(observer, &extra, NULL), "pending");
  if (extra != 0) {
    fail(c, "plain subscriber got %d extra messages", extra);
  }
  natsSubscription_Destroy(observer);
  close_conn(pc);
  for (int i = 0; i < QUEUE_SUBS; i++) {
    natsSubscription_Destroy(qsubs[i]);
    natsSubscription_Destroy(ends[i]);
    close_conn(members[i]);
  }
  pass(c, "%d messages, %d members, each once, spread %d/%d/%d; plain subscriber got all", QUEUE_MSGS, QUEUE_SUBS,
       counts[0], counts[1], counts[2]);
}

static int handled; /* only touched by the responder subscription's thread */

static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
  (void)sub;
  (void)closure;
  const char *reply = natsMsg_GetReply(msg);
  char buf[64], out[80];
  if (reply != NULL) {
    if (strcmp(natsMsg_GetSubject(msg), "iop.svc.count") == 0) {
      snprintf(out, sizeof(out), "%d", handled);
    } else {
      handled++;
      snprintf(out, sizeof(out), "re:%s", data(msg, buf, sizeof(buf)));
    }
    natsConnection_PublishString(nc, reply, out);
  }
  natsMsg_Destroy(msg);
}

struct concurrent_req {
  natsConnection *nc;
  int index;
  char error[160];
};

static void *concurrent_request(void *arg) {
  struct concurrent_req *r = arg;
  char payload[32], want[40], buf[64];
  snprintf(payload, sizeof(payload), "c%d", r->index);
  snprintf(want, sizeof(want), "re:c%d", r->index);
  natsMsg *reply = NULL;
  natsStatus s = natsConnection_RequestString(&reply, r->nc, "iop.svc.echo", payload, WAIT_MS);
  if (s != NATS_OK) {
    snprintf(r->error, sizeof(r->error), "concurrent request %d: %s", r->index, natsStatus_GetText(s));
  } else {
    if (strcmp(data(reply, buf, sizeof(buf)), want) != 0) {
      snprintf(r->error, sizeof(r->error), "concurrent request %d: reply %s", r->index, buf);
    }
    natsMsg_Destroy(reply);
  }
  return NULL;
}

/* Requests with the muxed inbox and the old per-request inbox, sequential and
   concurrent; the responder confirms it saw each request exactly once. */
static void check_request_reply(void) {
  const char *c = "request-reply";
  natsConnection *rc = open_conn(c, "interop-responder", false);
  natsSubscription *rsub = NULL;
  must(c, natsConnection_Subscribe(&rsub, rc, "iop.svc.*", on_request, NULL), "subscribe responder");
  flush(c, rc);
  natsConnection *conns[2] = {open_conn(c, "interop-requester", false), open_conn(c, "interop-requester-old", true)};
  int n = 0;
  char payload[32], want[40], buf[64];
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < 20; i++, n++) {
      snprintf(payload, sizeof(payload), "m%d", n);
      snprintf(want, sizeof(want), "re:m%d", n);
      natsMsg *reply = NULL;
      natsStatus s = natsConnection_RequestString(&reply, conns[k], "iop.svc.echo", payload, WAIT_MS);
      if (s != NATS_OK) {
        fail(c, "request %d (%s style): %s", n, k ? "old" : "muxed", natsStatus_GetText(s));
      }
      if (strcmp(data(reply, buf, sizeof(buf)), want) != 0) {
        fail(c, "request %d: reply %s, want %s", n, buf, want);
      }
      natsMsg_Destroy(reply);
    }
  }
  pthread_t threads[CONCURRENT];
  struct concurrent_req reqs[CONCURRENT];
  for (int i = 0; i < CONCURRENT; i++) {
    reqs[i].nc = conns[0];
    reqs[i].index = i;
    reqs[i].error[0] = '\0';
    if (pthread_create(&threads[i], NULL, concurrent_request, &reqs[i]) != 0) {
      fail(c, "pthread_create failed");
    }
  }
  for (int i = 0; i < CONCURRENT; i++) {
    pthread_join(threads[i], NULL);
  }
  for (int i = 0; i < CONCURRENT; i++) {
    if (reqs[i].error[0] != '\0') {
      fail(c, "%s", reqs[i].error);
    }
  }
  n += CONCURRENT;
  natsMsg *count = NULL;
  must(c, natsConnection_RequestString(&count, conns[0], "iop.svc.count", "", WAIT_MS), "count request");
  snprintf(want, sizeof(want), "%d", n);
  if (strcmp(data(count, buf, sizeof(buf)), want) != 0) {
    fail(c, "responder handled %s requests, want %d", buf, n);
  }
  natsMsg_Destroy(count);
  natsSubscription_Destroy(rsub);
  close_conn(conns[0]);
  close_conn(conns[1]);
  close_conn(rc);
  pass(c, "%d requests (muxed, old-style, concurrent), each handled once", n);
}

static void expect_no_responders(const char *c, const char *what, natsConnection *nc, natsMsg *req, int64_t timeout) {
  natsMsg *reply = NULL;
  int64_t start = now_ms();
  natsStatus s = req != NULL ? natsConnection_RequestMsg(&reply, nc, req, timeout)
                             : natsConnection_RequestString(&reply, nc, "iop.nobody.home", "anyone?", timeout);
  int64_t elapsed = now_ms() - start;
  if (s == NATS_OK) {
    fail(c, "%s: got a reply, want NATS_NO_RESPONDERS", what);
  }
  if (s != NATS_NO_RESPONDERS) {
    fail(c, "%s: got %s after %lld ms, want %s", what, natsStatus_GetText(s), (long long)elapsed,
         natsStatus_GetText(NATS_NO_RESPONDERS));
  }
  if (elapsed >= timeout / 2) {
    fail(c, "%s: no-responders took %lld ms (request timeout %lld ms)", what, (long long)elapsed, (long long)timeout);
  }
}

/* A request to a subject nobody listens on fails fast with NATS_NO_RESPONDERS. */
static void check_no_responders(void) {
  const char *c = "no-responders";
  const int64_t timeout = 5000;
  natsConnection *nc = open_conn(c, "interop-noresp", false);
  natsConnection *old = open_conn(c, "interop-noresp-old", true);
  expect_no_responders(c, "muxed request", nc, NULL, timeout);
  expect_no_responders(c, "old-style request", old, NULL, timeout);
  natsMsg *req = NULL;
  must(c, natsMsg_Create(&req, "iop.nobody.home", NULL, NULL, 0), "create message");
  must(c, natsMsgHeader_Set(req, "X-Req", "1"), "set header");
  expect_no_responders(c, "request with headers", nc, req, timeout);
  natsMsg_Destroy(req);
  close_conn(nc);
  close_conn(old);
  pass(c, "muxed, old-style and with headers: %s", natsStatus_GetText(NATS_NO_RESPONDERS));
}

static void on_header_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
  (void)sub;
  (void)closure;
  const char *req = "";
  const char **keys = NULL;
  int nkeys = 0;
  char count[16], buf[64], body[80];
  natsMsgHeader_Get(msg, "X-Req", &req);
  if (natsMsgHeader_Keys(msg, &keys, &nkeys) == NATS_OK) {
    free((void *)keys);
  }
  snprintf(count, sizeof(count), "%d", nkeys);
  snprintf(body, sizeof(body), "re:%s", data(msg, buf, sizeof(buf)));
  natsMsg *r = NULL;
  if (natsMsg_Create(&r, natsMsg_GetReply(msg), NULL, body, (int)strlen(body)) == NATS_OK) {
    natsMsgHeader_Set(r, "X-Echo", req);
    natsMsgHeader_Set(r, "X-Count", count);
    natsConnection_PublishMsg(nc, r);
    natsMsg_Destroy(r);
  }
  natsMsg_Destroy(msg);
}

static void expect_values(const char *c, natsMsg *m, const char *key, int want_count, const char *v1, const char *v2) {
  const char **values = NULL;
  int count = 0;
  natsStatus s = natsMsgHeader_Values(m, key, &values, &count);
  if (s != NATS_OK) {
    fail(c, "header %s: %s", key, natsStatus_GetText(s));
  }
  if (count != want_count || strcmp(values[0], v1) != 0 || (want_count > 1 && strcmp(values[1], v2) != 0)) {
    fail(c, "header %s: %d values, first \"%s\"", key, count, values[0]);
  }
  free((void *)values);
}

static int header_keys(natsMsg *m) {
  const char **keys = NULL;
  int n = 0;
  if (natsMsgHeader_Keys(m, &keys, &n) != NATS_OK) {
    return 0;
  }
  free((void *)keys);
  return n;
}

/* Headers survive publish/subscribe and request/reply, keys keep their case,
   and messages without headers stay without. */
static void check_headers(void) {
  const char *c = "headers";
  natsConnection *nc = open_conn(c, "interop-headers", false);
  natsSubscription *sub = NULL, *svc = NULL;
  must(c, natsConnection_SubscribeSync(&sub, nc, "iop.hdr"), "subscribe");
  must(c, natsConnection_Subscribe(&svc, nc, "iop.hdr.svc", on_header_request, NULL), "subscribe responder");
  flush(c, nc);

  natsMsg *m = NULL;
  must(c, natsMsg_Create(&m, "iop.hdr", NULL, "body", 4), "create message");
  must(c, natsMsgHeader_Add(m, "X-Trace", "abc-123"), "add header");
  must(c, natsMsgHeader_Add(m, "X-Multi", "1"), "add header");
  must(c, natsMsgHeader_Add(m, "X-Multi", "2"), "add header");
  must(c, natsMsgHeader_Add(m, "x-lower-Case", "Keep Me"), "add header");
  must(c, natsMsgHeader_Add(m, "X-Spaces", "a b  c"), "add header");
  must(c, natsConnection_PublishMsg(nc, m), "publish with headers");
  natsMsg_Destroy(m);
  must(c, natsMsg_Create(&m, "iop.hdr", NULL, NULL, 0), "create message");
  must(c, natsMsgHeader_Set(m, "X-Only", "header"), "set header");
  must(c, natsConnection_PublishMsg(nc, m), "publish headers without body");
  natsMsg_Destroy(m);
  must(c, natsConnection_PublishString(nc, "iop.hdr", "plain"), "publish without headers");

  char buf[64];
  m = next(c, sub, "message with headers");
  if (strcmp(data(m, buf, sizeof(buf)), "body") != 0) {
    fail(c, "payload %s, want body", buf);
  }
  if (header_keys(m) != 4) {
    fail(c, "%d header keys, want 4", header_keys(m));
  }
  expect_values(c, m, "X-Trace", 1, "abc-123", NULL);
  expect_values(c, m, "X-Multi", 2, "1", "2");
  expect_values(c, m, "x-lower-Case", 1, "Keep Me", NULL);
  expect_values(c, m, "X-Spaces", 1, "a b  c", NULL);
  natsMsg_Destroy(m);

  m = next(c, sub, "header-only message");
  if (natsMsg_GetDataLength(m) != 0 || header_keys(m) != 1) {
    fail(c, "header-only message: %d header keys, payload length %d", header_keys(m), natsMsg_GetDataLength(m));
  }
  expect_values(c, m, "X-Only", 1, "header", NULL);
  natsMsg_Destroy(m);

  m = next(c, sub, "plain message");
  if (strcmp(data(m, buf, sizeof(buf)), "plain") != 0 || header_keys(m) != 0) {
    fail(c, "plain message: %d header keys, payload %s", header_keys(m), buf);
  }
  natsMsg_Destroy(m);

  natsMsg *req = NULL, *rep = NULL;
  must(c, natsMsg_Create(&req, "iop.hdr.svc", NULL, "q", 1), "create request");
  must(c, natsMsgHeader_Set(req, "X-Req", "r-42"), "set header");
  must(c, natsConnection_RequestMsg(&rep, nc, req, WAIT_MS), "request with headers");
  const char *echo = NULL, *count = NULL;
  if (natsMsgHeader_Get(rep, "X-Echo", &echo) != NATS_OK || natsMsgHeader_Get(rep, "X-Count", &count) != NATS_OK ||
      strcmp(echo, "r-42") != 0 || strcmp(count, "1") != 0 || strcmp(data(rep, buf, sizeof(buf)), "re:q") != 0) {
    fail(c, "reply: X-Echo %s, X-Count %s, payload %s", echo ? echo : "(none)", count ? count : "(none)",
         data(rep, buf, sizeof(buf)));
  }
  natsMsg_Destroy(req);
  natsMsg_Destroy(rep);
  natsSubscription_Destroy(sub);
  natsSubscription_Destroy(svc);
  close_conn(nc);
  pass(c, "multi-value, case, spaces, header-only, request/reply");
}

/* A subscription with a maximum gets exactly that many messages from the
   server, after which the server no longer has interest. */
static void check_auto_unsubscribe(void) {
  const char *c = "auto-unsubscribe";
  const int max = 3;
  natsConnection *ac = open_conn(c, "interop-auto", false);
  natsSubscription *sub = NULL, *end = NULL;
  must(c, natsConnection_SubscribeSync(&sub, ac, "iop.auto"), "subscribe");
  must(c, natsSubscription_AutoUnsubscribe(sub, max), "auto-unsubscribe");
  must(c, natsConnection_SubscribeSync(&end, ac, "iop.auto.end"), "subscribe sentinel");
  flush(c, ac);
  /* Published on the subscriber's own connection: all ten reach the server
     before anything the client might send once it has seen the maximum. */
  char buf[32];
  for (int i = 0; i < 10; i++) {
    snprintf(buf, sizeof(buf), "%d", i);
    must(c, natsConnection_PublishString(ac, "iop.auto", buf), "publish");
  }
  must(c, natsConnection_Publish(ac, "iop.auto.end", NULL, 0), "publish sentinel");
  flush(c, ac);
  natsMsg_Destroy(next(c, end, "sentinel"));
  /* The client stops at the maximum by itself, so count what the server sent. */
  uint64_t in = in_msgs(c, ac);
  if (in != (uint64_t)max + 1) {
    fail(c, "server delivered %llu messages to the subscriber's connection, want %d (max %d + sentinel)",
         (unsigned long long)in, max + 1, max);
  }
  for (int i = 0; i < max; i++) {
    natsMsg *m = next(c, sub, "message below the maximum");
    char want[16];
    snprintf(want, sizeof(want), "%d", i);
    if (strcmp(data(m, buf, sizeof(buf)), want) != 0) {
      fail(c, "message %d is %s", i, buf);
    }
    natsMsg_Destroy(m);
  }
  if (natsSubscription_IsValid(sub)) {
    fail(c, "subscription still valid after %d messages", max);
  }
  natsConnection *pc = open_conn(c, "interop-auto-req", false);
  natsMsg *reply = NULL;
  natsStatus s = natsConnection_RequestString(&reply, pc, "iop.auto", "", 2000);
  if (s != NATS_NO_RESPONDERS) {
    fail(c, "request after the maximum was reached: got %s, want %s (server kept the subscription)",
         natsStatus_GetText(s), natsStatus_GetText(NATS_NO_RESPONDERS));
  }
  natsSubscription_Destroy(sub);
  natsSubscription_Destroy(end);
  close_conn(ac);
  close_conn(pc);
  pass(c, "max %d of 10 delivered, then no interest", max);
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char msg[] = "FAIL watchdog: checks did not finish within 45s\n";
  ssize_t ignored = write(STDOUT_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
  _exit(3);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    printf("FAIL usage: interop nats://host:port\n");
    return 2;
  }
  url = argv[1];
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGALRM, on_watchdog);
  alarm(45);

  check_connect();
  check_wildcards();
  check_queue_group();
  check_request_reply();
  check_no_responders();
  check_headers();
  check_auto_unsubscribe();

  pthread_mutex_lock(&async_mu);
  if (async_errors[0] != '\0') {
    fail("async-errors", "%s", async_errors);
  }
  pthread_mutex_unlock(&async_mu);
  nats_Close();
  printf("OK\n");
  return 0;
}
