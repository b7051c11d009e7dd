package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// kvWriters is how many goroutines share one connection in the key-value
// scenarios, as kine's concurrent API-server requests do.
const kvWriters = 8

// freshBucket opens a connection and makes an empty file-storage bucket
// BENCH (an earlier run's is deleted first) with the given history.
func freshBucket(cfg config, name string, history uint8) (*nats.Conn, nats.KeyValue, error) {
	nc, err := connect(cfg, name)
	if err != nil {
		return nil, nil, err
	}
	js, err := nc.JetStream(nats.MaxWait(10 * time.Second))
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	_ = js.DeleteKeyValue("BENCH")
	kv, err := js.CreateKeyValue(&nats.KeyValueConfig{Bucket: "BENCH", History: history, Storage: nats.FileStorage})
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("create bucket: %w", err)
	}
	return nc, kv, nil
}

// inParallel runs op on kvWriters goroutines until count calls succeeded in
// total or the time cap; it returns the successes, the time and the first error.
func inParallel(cfg config, op func(worker int, i int64) (bool, error)) (int64, time.Duration, error) {
	var done, next int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < kvWriters; w++ {
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			for time.Now().Before(cfg.deadline) {
				i := atomic.AddInt64(&next, 1)
				if atomic.LoadInt64(&done) >= int64(cfg.count) {
					return
				}
				ok, err := op(worker, i)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				if ok {
					atomic.AddInt64(&done, 1)
				}
			}
		}(w)
	}
	wg.Wait()
	var err error
	if e, ok := firstErr.Load().(error); ok {
		err = e
	}
	return atomic.LoadInt64(&done), time.Since(start), err
}

func kvResult(cfg config, done int64, elapsed time.Duration, err error) result {
	return result{expected: int64(cfg.count), sent: done, received: done, elapsed: elapsed,
		rate: perSecond(done, elapsed), err: err}
}

// runKVPut: 8 writers put values on 1,000 keys, each put waiting for its
// acknowledgement.
func runKVPut(cfg config) result {
	nc, kv, err := freshBucket(cfg, "bench-kv-put", 1)
	if err != nil {
		return result{err: err}
	}
	defer nc.Close()
	payload := make([]byte, cfg.size)
	done, elapsed, err := inParallel(cfg, func(_ int, i int64) (bool, error) {
		_, err := kv.Put(fmt.Sprintf("k%d", i%1000), payload)
		return err == nil, err
	})
	return kvResult(cfg, done, elapsed, err)
}

// runKVGet fills 1,000 keys (not timed), then 8 readers get them.
func runKVGet(cfg config) result {
	nc, kv, err := freshBucket(cfg, "bench-kv-get", 1)
	if err != nil {
		return result{err: err}
	}
	defer nc.Close()
	payload := make([]byte, cfg.size)
	for i := 0; i < 1000; i++ {
		if _, err := kv.Put(fmt.Sprintf("k%d", i), payload); err != nil {
			return result{err: err}
		}
	}
	done, elapsed, err := inParallel(cfg, func(_ int, i int64) (bool, error) {
		_, err := kv.Get(fmt.Sprintf("k%d", i%1000))
		return err == nil, err
	})
	return kvResult(cfg, done, elapsed, err)
}

// runKine is kine's write path: 8 writers on 64 shared keys, each reading the
// key's last revision and updating it with that revision expected
// (compare-and-set); a conflict reads again. The figure is successful writes.
func runKine(cfg config) result {
	nc, kv, err := freshBucket(cfg, "bench-kine", 10)
	if err != nil {
		return result{err: err}
	}
	defer nc.Close()
	payload := make([]byte, cfg.size)
	done, elapsed, err := inParallel(cfg, func(_ int, i int64) (bool, error) {
		key := fmt.Sprintf("registry.pods.k%d", i%64)
		var last uint64
		entry, err := kv.Get(key)
		if err == nil {
			last = entry.Revision()
		} else if !errors.Is(err, nats.ErrKeyNotFound) {
			return false, err
		}
		if last == 0 {
			_, err = kv.Create(key, payload)
		} else {
			_, err = kv.Update(key, payload, last)
		}
		var apiErr *nats.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == nats.JSErrCodeStreamWrongLastSequence {
			return false, nil // another writer was first: read again
		}
		if errors.Is(err, nats.ErrKeyExists) {
			return false, nil
		}
		return err == nil, err
	})
	return kvResult(cfg, done, elapsed, err)
}
