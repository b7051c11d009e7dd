package main

import (
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

const (
	benchStream  = "BENCH"
	benchSubject = "bench.js"
)

// freshStream opens a connection with its JetStream context and makes an
// empty file stream BENCH on bench.js (an earlier run's is deleted first).
func freshStream(cfg config, name string) (*nats.Conn, nats.JetStreamContext, error) {
	nc, err := connect(cfg, name)
	if err != nil {
		return nil, nil, err
	}
	js, err := nc.JetStream(nats.PublishAsyncMaxPending(4096), nats.MaxWait(10*time.Second))
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	_ = js.DeleteStream(benchStream)
	if _, err := js.AddStream(&nats.StreamConfig{Name: benchStream, Subjects: []string{benchSubject},
		Storage: nats.FileStorage}); err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("add stream: %w", err)
	}
	return nc, js, nil
}

// runJSPublishSync publishes one message at a time and waits for each
// acknowledgement: the latency of a durable store, per message.
func runJSPublishSync(cfg config) result {
	res := result{expected: int64(cfg.count)}
	nc, js, err := freshStream(cfg, "bench-js-sync")
	if err != nil {
		res.err = err
		return res
	}
	defer nc.Close()
	payload := make([]byte, cfg.size)
	res.latencies = make([]time.Duration, 0, cfg.count)
	start := time.Now()
	for i := 0; i < cfg.count && time.Now().Before(cfg.deadline); i++ {
		t0 := time.Now()
		if _, err := js.Publish(benchSubject, payload); err != nil {
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

// fill publishes count messages asynchronously and waits for every
// acknowledgement; it returns how many were acknowledged.
func fill(cfg config, js nats.JetStreamContext, count int) (int64, error) {
	payload := make([]byte, cfg.size)
	for i := 0; i < count && time.Now().Before(cfg.deadline); i++ {
		if _, err := js.PublishAsync(benchSubject, payload); err != nil {
			return 0, err
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(remaining(cfg)):
		return 0, fmt.Errorf("acknowledgements still pending at the time cap")
	}
	return int64(count - js.PublishAsyncPending()), nil
}

// filledStream is a fresh stream holding cfg.count acknowledged messages.
func filledStream(cfg config, name string) (*nats.Conn, nats.JetStreamContext, error) {
	nc, js, err := freshStream(cfg, name)
	if err != nil {
		return nil, nil, err
	}
	if _, err := fill(cfg, js, cfg.count); err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

// runJSPublishAsync publishes with up to 4096 acknowledgements outstanding:
// the throughput of group commits.
func runJSPublishAsync(cfg config) result {
	res := result{expected: int64(cfg.count)}
	nc, js, err := freshStream(cfg, "bench-js-async")
	if err != nil {
		res.err = err
		return res
	}
	defer nc.Close()
	start := time.Now()
	res.sent, res.err = fill(cfg, js, cfg.count)
	res.elapsed = time.Since(start)
	res.received = res.sent
	res.rate = perSecond(res.sent, res.elapsed)
	return res
}

// runJSFetch fills the stream (not timed), then drains it through a durable
// pull consumer in batches of 256, acknowledging each message.
func runJSFetch(cfg config) result {
	res := result{expected: int64(cfg.count)}
	nc, js, err := filledStream(cfg, "bench-js-fetch")
	if err != nil {
		res.err = err
		return res
	}
	defer nc.Close()
	sub, err := js.PullSubscribe(benchSubject, "fetcher", nats.BindStream(benchStream))
	if err != nil {
		res.err = err
		return res
	}
	start := time.Now()
	for res.received < int64(cfg.count) && time.Now().Before(cfg.deadline) {
		msgs, err := sub.Fetch(256, nats.MaxWait(5*time.Second))
		if err != nil {
			res.err = err
			break
		}
		for _, m := range msgs {
			_ = m.Ack()
		}
		res.received += int64(len(msgs))
	}
	res.elapsed = time.Since(start)
	res.sent = res.received
	res.rate = perSecond(res.received, res.elapsed)
	return res
}

// runJSPush fills the stream (not timed), then takes it all from a push
// consumer without acknowledgements.
func runJSPush(cfg config) result {
	res := result{expected: int64(cfg.count)}
	nc, js, err := filledStream(cfg, "bench-js-push")
	if err != nil {
		res.err = err
		return res
	}
	defer nc.Close()
	done := make(chan struct{})
	var got int64
	start := time.Now()
	sub, err := js.Subscribe(benchSubject, func(m *nats.Msg) {
		got++
		if got == int64(cfg.count) {
			close(done)
		}
	}, nats.AckNone(), nats.DeliverAll(), nats.BindStream(benchStream))
	if err != nil {
		res.err = err
		return res
	}
	defer sub.Unsubscribe()
	select {
	case <-done:
	case <-time.After(remaining(cfg)):
	}
	res.elapsed = time.Since(start)
	res.received = got
	res.sent = got
	res.rate = perSecond(got, res.elapsed)
	return res
}
