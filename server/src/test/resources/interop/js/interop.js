// Interop checks for the official JavaScript client (nats.js v2, npm "nats")
// against a NATS server.
//
// Usage: node interop.js nats://host:port
//
// Prints "ok <check> ..." per passed check and a final "OK"; on the first
// failure prints "FAIL <check>: <reason>" and exits 1. Every wait is bounded.
"use strict";

const { connect, headers, ErrorCode } = require("nats");

const WAIT_MS = 5000; // upper bound for any single expected event
const QUEUE_MSGS = 300;
const QUEUE_SUBS = 3;

const url = process.argv[2];
const te = new TextEncoder();
const td = new TextDecoder();
const enc = (s) => te.encode(s);
const dec = (b) => td.decode(b);
const asyncErrors = [];
const conns = [];

class CheckFailed extends Error {
  constructor(check, reason) {
    super(reason);
    this.check = check;
  }
}

function fail(check, reason) {
  throw new CheckFailed(check, reason);
}

function pass(check, detail) {
  console.log(detail ? `ok ${check} (${detail})` : `ok ${check}`);
}

/** Resolves with p's value or fails the check once ms have passed. */
function bounded(check, p, what, ms = WAIT_MS) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(check, `${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve function, for callbacks to complete. */
function signal() {
  let resolve;
  const p = new Promise((r) => (resolve = r));
  p.resolve = resolve;
  return p;
}

async function open(check, name, extra = {}) {
  let nc;
  try {
    nc = await connect({ servers: url, name, timeout: WAIT_MS, reconnect: false, ...extra });
  } catch (err) {
    fail(check, `connect ${name}: ${err.message}`);
  }
  conns.push(nc);
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === "error" || s.type === "disconnect") {
        asyncErrors.push(`${name}: ${s.type} ${s.data}`);
      }
    }
  })().catch(() => {});
  nc.closed().then((err) => {
    if (err) {
      asyncErrors.push(`${name}: closed with ${err.message}`);
    }
  });
  return nc;
}

async function closeAll(list) {
  await Promise.all(list.map((nc) => nc.close()));
}

async function flush(check, nc) {
  await bounded(check, nc.flush(), "flush");
}

async function checkConnect() {
  const c = "connect";
  const nc = await open(c, "interop-connect");
  const info = nc.info;
  if (!info || info.headers !== true) {
    fail(c, `server does not advertise headers support: ${JSON.stringify(info)}`);
  }
  const rtt = await bounded(c, nc.rtt(), "rtt");
  pass(c, `server ${info.server_id}, version ${info.version}, max payload ${info.max_payload}, rtt ${rtt}ms`);
  await closeAll([nc]);
}

// Wildcard subscriptions each receive exactly the matching subjects, in order.
async function checkWildcards() {
  const c = "pubsub-wildcards";
  const sc = await open(c, "interop-wild-sub");
  const pc = await open(c, "interop-wild-pub");
  const end = "iop.ps.end";
  const published = ["iop.ps.a", "iop.ps.b", "iop.ps.a.b", "iop.psx.a", "iop", "iop.ps", "iop.ps.a.b.c"];
  const expect = {
    "iop.ps.*": ["iop.ps.a", "iop.ps.b", end],
    "iop.ps.>": ["iop.ps.a", "iop.ps.b", "iop.ps.a.b", "iop.ps.a.b.c", end],
    "iop.*.*": ["iop.ps.a", "iop.ps.b", "iop.psx.a", end],
    "*.ps.*.>": ["iop.ps.a.b", "iop.ps.a.b.c"],
    "iop.ps.end": [end],
  };
  const got = {};
  const done = signal();
  for (const pattern of Object.keys(expect)) {
    got[pattern] = [];
    sc.subscribe(pattern, {
      callback: (err, m) => {
        if (err) {
          asyncErrors.push(`${pattern}: ${err.message}`);
          return;
        }
        if (dec(m.data) !== "p:" + m.subject) {
          asyncErrors.push(`${pattern}: message on ${m.subject} carries payload ${dec(m.data)}`);
        }
        got[pattern].push(m.subject);
        if (pattern === end) {
          done.resolve();
        }
      },
    });
  }
  await flush(c, sc);
  for (const s of published) {
    pc.publish(s, enc("p:" + s));
  }
  pc.publish(end, enc("p:" + end));
  await flush(c, pc);
  // Callbacks run in arrival order, so once the sentinel reached its own
  // subscription everything published before it has been dispatched.
  await bounded(c, done, "sentinel");
  await flush(c, sc);
  let deliveries = 0;
  for (const [pattern, want] of Object.entries(expect)) {
    if (JSON.stringify(got[pattern]) !== JSON.stringify(want)) {
      fail(c, `subscription ${pattern} received ${JSON.stringify(got[pattern])}, want ${JSON.stringify(want)}`);
    }
    deliveries += want.length;
  }
  if (sc.stats().inMsgs !== deliveries) {
    fail(c, `subscriber connection received ${sc.stats().inMsgs} messages, want ${deliveries}`);
  }
  if (asyncErrors.length) {
    fail(c, asyncErrors.join("; "));
  }
  pass(c, `${published.length + 1} subjects published, ${Object.keys(expect).length} patterns, ${deliveries} deliveries`);
  await closeAll([sc, pc]);
}

// Each message on a queue subject goes to exactly one member of the group,
// spread over the members; a plain subscriber on the same subject sees all.
async function checkQueueGroup() {
  const c = "queue-group";
  const seen = new Array(QUEUE_MSGS).fill(-1);
  const counts = new Array(QUEUE_SUBS).fill(0);
  const problems = [];
  const members = [];
  const ends = [];
  for (let i = 0; i < QUEUE_SUBS; i++) {
    const nc = await open(c, `interop-queue-${i}`);
    members.push(nc);
    const end = signal();
    ends.push(end);
    nc.subscribe("iop.q", {
      queue: "workers",
      callback: (err, m) => {
        if (err) {
          problems.push(`member ${i}: ${err.message}`);
          return;
        }
        const n = Number(dec(m.data));
        if (!Number.isInteger(n) || n < 0 || n >= QUEUE_MSGS) {
          problems.push(`member ${i}: unexpected payload ${dec(m.data)}`);
        } else if (seen[n] !== -1) {
          problems.push(`message ${n} delivered twice: to member ${seen[n]} and member ${i}`);
        } else {
          seen[n] = i;
          counts[i]++;
        }
      },
    });
    // Same connection, callbacks in arrival order: the sentinel comes after
    // every queue message the server sent this member before it.
    nc.subscribe("iop.q.end", { callback: () => end.resolve() });
    await flush(c, nc);
  }
  const pc = await open(c, "interop-queue-pub");
  const observed = [];
  const observerDone = signal();
  pc.subscribe("iop.q", {
    callback: (err, m) => {
      observed.push(dec(m.data));
    },
  });
  pc.subscribe("iop.q.end", { callback: () => observerDone.resolve() });
  await flush(c, pc);
  for (let i = 0; i < QUEUE_MSGS; i++) {
    pc.publish("iop.q", enc(String(i)));
  }
  pc.publish("iop.q.end");
  await flush(c, pc);
  for (let i = 0; i < QUEUE_SUBS; i++) {
    await bounded(c, ends[i], `sentinel at member ${i} (counts ${counts})`);
  }
  await bounded(c, observerDone, "sentinel at plain subscriber");
  if (problems.length) {
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : "";
    fail(c, problems.slice(0, 5).join("; ") + more);
  }
  const missing = seen.indexOf(-1);
  if (missing !== -1) {
    fail(c, `message ${missing} reached no member of the queue group (counts ${counts})`);
  }
  counts.forEach((n, i) => {
    if (n < QUEUE_MSGS / 10) {
      fail(c, `not spread over members: member ${i} got ${n} of ${QUEUE_MSGS} (counts ${counts})`);
    }
  });
  const want = Array.from({ length: QUEUE_MSGS }, (_, i) => String(i));
  if (JSON.stringify(observed) !== JSON.stringify(want)) {
    fail(c, `plain subscriber got ${observed.length} messages, want all ${QUEUE_MSGS} in order`);
  }
  pass(c, `${QUEUE_MSGS} messages, ${QUEUE_SUBS} members, each once, spread [${counts.join(" ")}]; plain subscriber got all`);
  await closeAll([...members, pc]);
}

// Requests with the muxed inbox and a per-request inbox, sequential and
// concurrent; the responder confirms it saw each request exactly once.
async function checkRequestReply() {
  const c = "request-reply";
  const rc = await open(c, "interop-responder");
  let handled = 0;
  rc.subscribe("iop.svc.*", {
    callback: (err, m) => {
      if (err) {
        return;
      }
      if (m.subject === "iop.svc.count") {
        m.respond(enc(String(handled)));
        return;
      }
      handled++;
      m.respond(enc("re:" + dec(m.data)));
    },
  });
  await flush(c, rc);
  const nc = await open(c, "interop-requester");
  let n = 0;
  for (const noMux of [false, true]) {
    for (let i = 0; i < 20; i++, n++) {
      let m;
      try {
        m = await nc.request("iop.svc.echo", enc(`m${n}`), { timeout: WAIT_MS, noMux });
      } catch (err) {
        fail(c, `request ${n} (noMux ${noMux}): ${err.message}`);
      }
      if (dec(m.data) !== `re:m${n}`) {
        fail(c, `request ${n}: reply ${dec(m.data)}, want re:m${n}`);
      }
    }
  }
  const concurrent = 20;
  const replies = await Promise.allSettled(
    Array.from({ length: concurrent }, (_, i) => nc.request("iop.svc.echo", enc(`c${i}`), { timeout: WAIT_MS })),
  );
  replies.forEach((r, i) => {
    if (r.status !== "fulfilled") {
      fail(c, `concurrent request ${i}: ${r.reason.message}`);
    }
    if (dec(r.value.data) !== `re:c${i}`) {
      fail(c, `concurrent request ${i}: reply ${dec(r.value.data)}`);
    }
  });
  n += concurrent;
  let count;
  try {
    count = await nc.request("iop.svc.count", undefined, { timeout: WAIT_MS });
  } catch (err) {
    fail(c, `count request: ${err.message}`);
  }
  if (dec(count.data) !== String(n)) {
    fail(c, `responder handled ${dec(count.data)} requests, want ${n}`);
  }
  pass(c, `${n} requests (muxed, noMux, concurrent), each handled once`);
  await closeAll([rc, nc]);
}

async function expectNoResponders(c, what, p, timeoutMs) {
  const start = Date.now();
  try {
    const m = await p;
    fail(c, `${what}: got a reply ${JSON.stringify(dec(m.data))}, want no-responders error`);
  } catch (err) {
    if (err instanceof CheckFailed) {
      throw err;
    }
    const elapsed = Date.now() - start;
    if (err.code !== ErrorCode.NoResponders) {
      fail(c, `${what}: got error ${err.code} "${err.message}" after ${elapsed} ms, want ${ErrorCode.NoResponders} no responders`);
    }
    if (elapsed >= timeoutMs / 2) {
      fail(c, `${what}: no-responders took ${elapsed} ms (request timeout ${timeoutMs} ms)`);
    }
    return err;
  }
}

// A request to a subject nobody listens on fails fast with the 503 error.
async function checkNoResponders() {
  const c = "no-responders";
  const timeout = 5000;
  const nc = await open(c, "interop-noresp");
  await expectNoResponders(c, "muxed request", nc.request("iop.nobody.home", enc("anyone?"), { timeout }), timeout);
  await expectNoResponders(c, "noMux request", nc.request("iop.nobody.home", enc("anyone?"), { timeout, noMux: true }), timeout);
  const h = headers();
  h.set("X-Req", "1");
  const err = await expectNoResponders(c, "request with headers",
    nc.request("iop.nobody.home", undefined, { timeout, headers: h }), timeout);
  pass(c, `muxed, noMux and with headers: error code ${err.code}`);
  await closeAll([nc]);
}

function headerMap(h) {
  const out = {};
  if (h) {
    for (const k of h.keys()) {
      out[k] = h.values(k);
    }
  }
  return out;
}

// Headers survive publish/subscribe and request/reply, keys keep their case,
// and messages without headers stay without.
async function checkHeaders() {
  const c = "headers";
  const nc = await open(c, "interop-headers");
  const got = [];
  const three = signal();
  nc.subscribe("iop.hdr", {
    callback: (err, m) => {
      got.push(m);
      if (got.length === 3) {
        three.resolve();
      }
    },
  });
  nc.subscribe("iop.hdr.svc", {
    callback: (err, m) => {
      const h = headers();
      h.set("X-Echo", m.headers ? m.headers.get("X-Req") : "");
      h.set("X-Count", String(m.headers ? m.headers.keys().length : 0));
      m.respond(enc("re:" + dec(m.data)), { headers: h });
    },
  });
  await flush(c, nc);

  const h = headers();
  h.append("X-Trace", "abc-123");
  h.append("X-Multi", "1");
  h.append("X-Multi", "2");
  h.append("x-lower-Case", "Keep Me");
  h.append("X-Spaces", "a b  c");
  nc.publish("iop.hdr", enc("body"), { headers: h });
  const only = headers();
  only.set("X-Only", "header");
  nc.publish("iop.hdr", undefined, { headers: only });
  nc.publish("iop.hdr", enc("plain"));
  await bounded(c, three, `three messages (got ${got.length})`);

  const want = { "X-Trace": ["abc-123"], "X-Multi": ["1", "2"], "x-lower-Case": ["Keep Me"], "X-Spaces": ["a b  c"] };
  if (dec(got[0].data) !== "body") {
    fail(c, `payload ${dec(got[0].data)}, want body`);
  }
  if (JSON.stringify(headerMap(got[0].headers)) !== JSON.stringify(want)) {
    fail(c, `headers ${JSON.stringify(headerMap(got[0].headers))}, want ${JSON.stringify(want)}`);
  }
  if (got[1].data.length !== 0 || JSON.stringify(headerMap(got[1].headers)) !== JSON.stringify({ "X-Only": ["header"] })) {
    fail(c, `header-only message: headers ${JSON.stringify(headerMap(got[1].headers))}, payload ${dec(got[1].data)}`);
  }
  if (dec(got[2].data) !== "plain" || got[2].headers !== undefined) {
    fail(c, `plain message: headers ${JSON.stringify(headerMap(got[2].headers))}, payload ${dec(got[2].data)}`);
  }

  const rh = headers();
  rh.set("X-Req", "r-42");
  let rep;
  try {
    rep = await nc.request("iop.hdr.svc", enc("q"), { timeout: WAIT_MS, headers: rh });
  } catch (err) {
    fail(c, `request with headers: ${err.message}`);
  }
  if (!rep.headers || rep.headers.get("X-Echo") !== "r-42" || rep.headers.get("X-Count") !== "1" || dec(rep.data) !== "re:q") {
    fail(c, `reply headers ${JSON.stringify(headerMap(rep.headers))}, payload ${dec(rep.data)}`);
  }
  pass(c, "multi-value, case, spaces, header-only, request/reply");
  await closeAll([nc]);
}

// A subscription with a maximum gets exactly that many messages from the
// server, after which the server no longer has interest.
async function checkAutoUnsubscribe() {
  const c = "auto-unsubscribe";
  const max = 3;
  const ac = await open(c, "interop-auto");
  const got = [];
  const sub = ac.subscribe("iop.auto", { max, callback: (err, m) => got.push(dec(m.data)) });
  const end = signal();
  ac.subscribe("iop.auto.end", { callback: () => end.resolve() });
  await flush(c, ac);
  // Published on the subscriber's own connection: all ten reach the server
  // before anything the client sends once it has seen the maximum.
  for (let i = 0; i < 10; i++) {
    ac.publish("iop.auto", enc(String(i)));
  }
  ac.publish("iop.auto.end");
  await bounded(c, end, "sentinel");
  // The client stops at the maximum by itself, so count what the server sent.
  const inMsgs = ac.stats().inMsgs;
  if (inMsgs !== max + 1) {
    fail(c, `server delivered ${inMsgs} messages to the subscriber's connection, want ${max + 1} (max ${max} + sentinel)`);
  }
  if (JSON.stringify(got) !== JSON.stringify(["0", "1", "2"])) {
    fail(c, `received ${JSON.stringify(got)}, want ["0","1","2"]`);
  }
  if (!sub.isClosed()) {
    fail(c, `subscription still open after ${max} messages`);
  }
  const pc = await open(c, "interop-auto-req");
  await expectNoResponders(c, "request after the maximum was reached",
    pc.request("iop.auto", undefined, { timeout: 2000 }), 2000);
  pass(c, `max ${max} of 10 delivered, then no interest`);
  await closeAll([ac, pc]);
}

async function main() {
  if (!url) {
    console.log("FAIL usage: node interop.js nats://host:port");
    process.exit(2);
  }
  const watchdog = setTimeout(() => {
    console.log("FAIL watchdog: checks did not finish within 45s");
    process.exit(3);
  }, 45000);
  try {
    await checkConnect();
    await checkWildcards();
    await checkQueueGroup();
    await checkRequestReply();
    await checkNoResponders();
    await checkHeaders();
    await checkAutoUnsubscribe();
    if (asyncErrors.length) {
      fail("async-errors", asyncErrors.join("; "));
    }
  } catch (err) {
    if (err instanceof CheckFailed) {
      console.log(`FAIL ${err.check}: ${err.message}`);
    } else {
      console.log(`FAIL unexpected: ${err && err.stack ? err.stack : err}`);
    }
    process.exit(1);
  }
  clearTimeout(watchdog);
  console.log("OK");
  process.exit(0);
}

main();
