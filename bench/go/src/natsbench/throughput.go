package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

const throughputSubject = "bench.load"

// checkEvery is how many publishes go by between clock reads: reading the
// clock per message would cost more than publishing a 16-byte message.
const checkEvery = 1024

// runPubSub covers publish-only ("pub": no subscribers), 1→N ("pubsub": each
// subscriber gets every message) and a queue group ("queue": the subscribers
// share the messages). The headline rate is messages published per second for
// "pub" and messages delivered per second otherwise, measured from the first
// publish until the last expected delivery (or the server's PONG after the
// last publish, for "pub").
func runPubSub(cfg config, queue bool) result {
	var res result
	withSubs := cfg.scenario != "pub"
	res.expected = int64(cfg.count)
	if withSubs && !queue {
		res.expected = int64(cfg.count) * int64(cfg.subs)
	}

	var received int64
	done := make(chan struct{})
	expected := res.expected
	onMsg := func(*nats.Msg) {
		if atomic.AddInt64(&received, 1) == expected {
			close(done)
		}
	}
	if withSubs {
		subConns, err := subscribe(cfg, queue, onMsg)
		defer closeAll(subConns)
		if err != nil {
			res.err = err
			return res
		}
	}

	pubConns := make([]*nats.Conn, cfg.pubs)
	for i := range pubConns {
		nc, err := connect(cfg, fmt.Sprintf("bench-pub-%d", i))
		if err != nil {
			res.err = err
			return res
		}
		pubConns[i] = nc
	}
	defer closeAll(pubConns)
	if withSubs && cfg.subURL != cfg.url {
		if err := awaitRoute(cfg, pubConns[0]); err != nil {
			res.err = err
			return res
		}
	}

	payload := make([]byte, cfg.size)
	for i := range payload {
		payload[i] = 'x'
	}
	cfg.received = &received
	start := time.Now()
	sent, pubElapsed, err := publishAll(cfg, pubConns, payload)
	res.sent = sent
	res.pubRate = perSecond(sent, pubElapsed)
	if err != nil {
		res.err = err
	}
	if !withSubs {
		res.received = sent
		res.expected = int64(cfg.count)
		res.elapsed = pubElapsed
		res.rate = res.pubRate
		return res
	}

	select {
	case <-done:
	case <-time.After(remaining(cfg)):
	}
	res.elapsed = time.Since(start)
	res.received = atomic.LoadInt64(&received)
	res.rate = perSecond(res.received, res.elapsed)
	return res
}

const readySubject = "bench.ready"

// awaitRoute waits until the publisher's server knows of the subscribers'
// interest, which crosses the route after their subscriptions: a responder
// subscribed last, on the subscribers' node, answers once it is reachable.
func awaitRoute(cfg config, pub *nats.Conn) error {
	responder, err := connectTo(cfg, cfg.subURL, "bench-ready")
	if err != nil {
		return err
	}
	defer responder.Close()
	if _, err := responder.Subscribe(readySubject, func(m *nats.Msg) { m.Respond(nil) }); err != nil {
		return err
	}
	if err := responder.FlushTimeout(remaining(cfg)); err != nil {
		return err
	}
	for time.Now().Before(cfg.deadline) {
		if _, err := pub.Request(readySubject, nil, 100*time.Millisecond); err == nil {
			return nil
		}
	}
	return fmt.Errorf("the subscribers' node never became reachable from the publisher's")
}

// subscribe opens cfg.subs subscriber connections and waits (Flush) until the
// server has registered every subscription, so no message is published into
// missing interest.
func subscribe(cfg config, queue bool, onMsg nats.MsgHandler) ([]*nats.Conn, error) {
	conns := make([]*nats.Conn, 0, cfg.subs)
	for i := 0; i < cfg.subs; i++ {
		nc, err := connectTo(cfg, cfg.subURL, fmt.Sprintf("bench-sub-%d", i))
		if err != nil {
			return conns, err
		}
		conns = append(conns, nc)
		var sub *nats.Subscription
		if queue {
			sub, err = nc.QueueSubscribe(throughputSubject, "bench-q", onMsg)
		} else {
			sub, err = nc.Subscribe(throughputSubject, onMsg)
		}
		if err != nil {
			return conns, err
		}
		// The client's own pending limits would drop messages when the
		// callback lags behind a burst; the server is what is measured.
		if err := sub.SetPendingLimits(-1, -1); err != nil {
			return conns, err
		}
		if err := nc.FlushTimeout(remaining(cfg)); err != nil {
			return conns, err
		}
	}
	return conns, nil
}

// publishAll splits cfg.count over the publisher connections, one goroutine
// each, and returns once every publisher has flushed and got the server's
// PONG: the server has then read every published byte.
func publishAll(cfg config, conns []*nats.Conn, payload []byte) (int64, time.Duration, error) {
	var sent int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for i, nc := range conns {
		n := cfg.count / len(conns)
		if i == 0 {
			n += cfg.count % len(conns)
		}
		wg.Add(1)
		go func(nc *nats.Conn, n int) {
			defer wg.Done()
			k, err := publish(cfg, nc, payload, n)
			atomic.AddInt64(&sent, int64(k))
			if err != nil {
				firstErr.CompareAndSwap(nil, err)
			}
		}(nc, n)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, ok := firstErr.Load().(error); ok {
		return sent, elapsed, err
	}
	return sent, elapsed, nil
}

// awaitWindow holds the publisher while more than cfg.window of its messages
// are still on their way: across a route nothing slows a fast publisher down
// before the far server cuts its subscriber as a slow consumer, so the
// scenario measures what the path sustains.
func awaitWindow(cfg config, sent int64) {
	if cfg.window <= 0 || cfg.received == nil {
		return
	}
	for sent-atomic.LoadInt64(cfg.received)/int64(cfg.subs) > int64(cfg.window) && time.Now().Before(cfg.deadline) {
		time.Sleep(50 * time.Microsecond)
	}
}

func publish(cfg config, nc *nats.Conn, payload []byte, n int) (int, error) {
	for i := 0; i < n; i++ {
		if err := nc.Publish(throughputSubject, payload); err != nil {
			return i, err
		}
		if i%checkEvery == 0 {
			if time.Now().After(cfg.deadline) {
				return i + 1, nc.FlushTimeout(time.Second)
			}
			awaitWindow(cfg, int64(i+1))
		}
	}
	return n, nc.FlushTimeout(remaining(cfg))
}

func closeAll(conns []*nats.Conn) {
	for _, nc := range conns {
		if nc != nil {
			nc.Close()
		}
	}
}
