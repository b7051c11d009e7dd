package main

import (
	"time"

	"github.com/nats-io/nats.go"
)

const requestSubject = "bench.req"

// runRequestReply measures round trips: one requester sends cfg.count
// requests one after the other to one responder on another connection, so
// each latency is requester → server → responder → server → requester with
// nothing queued in between.
func runRequestReply(cfg config) result {
	res := result{expected: int64(cfg.count)}
	responder, err := connect(cfg, "bench-responder")
	if err != nil {
		res.err = err
		return res
	}
	defer responder.Close()
	payload := make([]byte, cfg.size)
	if _, err := responder.Subscribe(requestSubject, func(m *nats.Msg) {
		_ = m.Respond(payload)
	}); err != nil {
		res.err = err
		return res
	}
	if err := responder.FlushTimeout(remaining(cfg)); err != nil {
		res.err = err
		return res
	}

	requester, err := connect(cfg, "bench-requester")
	if err != nil {
		res.err = err
		return res
	}
	defer requester.Close()

	res.latencies = make([]time.Duration, 0, cfg.count)
	start := time.Now()
	for i := 0; i < cfg.count && time.Now().Before(cfg.deadline); i++ {
		t0 := time.Now()
		if _, err := requester.Request(requestSubject, payload, 2*time.Second); err != nil {
			res.err = err
			break
		}
		res.latencies = append(res.latencies, time.Since(t0))
	}
	res.elapsed = time.Since(start)
	res.sent = int64(len(res.latencies))
	res.received = res.sent
	res.rate = perSecond(res.sent, res.elapsed)
	return res
}
