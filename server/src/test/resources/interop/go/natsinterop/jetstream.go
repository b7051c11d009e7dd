// JetStream checks for nats.go's js, key-value and object store APIs (natsinterop -jetstream).
package main

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

func checkJetStream() {
	nc := connect("js-connect", "go-js")
	defer nc.Close()
	js, err := nc.JetStream(nats.MaxWait(wait))
	must("js-connect", err, "jetstream context")
	info, err := js.AccountInfo()
	must("js-connect", err, "account info")
	pass("js-connect", "streams %d", info.Streams)

	streamsAndPublishes(js)
	pullConsumers(js)
	pushFlowControl(js)
	orderedConsumer(js)
	keyValue(js)
	objectStore(js)
}

// Publishes are acknowledged with their sequence; Nats-Msg-Id and expected-sequence headers hold.
func streamsAndPublishes(js nats.JetStreamContext) {
	const check = "js-publish"
	_, err := js.AddStream(&nats.StreamConfig{Name: "ORDERS", Subjects: []string{"orders.>"}, Storage: nats.FileStorage})
	must(check, err, "add stream")
	for i := 1; i <= 10; i++ {
		ack, err := js.Publish(fmt.Sprintf("orders.%d", i), []byte(fmt.Sprintf("o%d", i)))
		must(check, err, "publish")
		if ack.Stream != "ORDERS" || ack.Sequence != uint64(i) {
			fail(check, "ack %+v for publish %d", ack, i)
		}
	}
	ack, err := js.Publish("orders.x", []byte("once"), nats.MsgId("m-1"))
	must(check, err, "publish with id")
	dup, err := js.Publish("orders.x", []byte("once"), nats.MsgId("m-1"))
	must(check, err, "publish duplicate")
	if !dup.Duplicate || dup.Sequence != ack.Sequence {
		fail(check, "duplicate ack %+v after %+v", dup, ack)
	}
	_, err = js.Publish("orders.y", []byte("late"), nats.ExpectLastSequence(3))
	var apiErr *nats.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != nats.JSErrCodeStreamWrongLastSequence {
		fail(check, "expected-last-sequence publish gave %v", err)
	}
	si, err := js.StreamInfo("ORDERS")
	must(check, err, "stream info")
	if si.State.Msgs != 11 || si.State.LastSeq != 11 {
		fail(check, "state %+v", si.State)
	}
	pass(check, "11 stored")
}

// A durable pull consumer fetches in batches, acks, and its info shows the floor.
func pullConsumers(js nats.JetStreamContext) {
	const check = "js-pull"
	sub, err := js.PullSubscribe("orders.>", "worker", nats.BindStream("ORDERS"))
	must(check, err, "pull subscribe")
	got := 0
	for got < 11 {
		msgs, err := sub.Fetch(4, nats.MaxWait(wait))
		must(check, err, "fetch")
		for _, m := range msgs {
			got++
			meta, err := m.Metadata()
			must(check, err, "metadata")
			if meta.Sequence.Stream != uint64(got) {
				fail(check, "message %d has stream sequence %d", got, meta.Sequence.Stream)
			}
			must(check, m.AckSync(nats.AckWait(wait)), "ack")
		}
	}
	ci, err := js.ConsumerInfo("ORDERS", "worker")
	must(check, err, "consumer info")
	if ci.AckFloor.Stream != 11 || ci.NumAckPending != 0 || ci.NumPending != 0 {
		fail(check, "consumer info %+v", ci)
	}
	if _, err := sub.Fetch(1, nats.MaxWait(300*time.Millisecond)); err != nats.ErrTimeout {
		fail(check, "an empty fetch gave %v", err)
	}
	pass(check, "%d fetched", got)
}

// A push consumer with flow control and heartbeats delivers far more than its window.
func pushFlowControl(js nats.JetStreamContext) {
	const check = "js-push-flow-control"
	_, err := js.AddStream(&nats.StreamConfig{Name: "BULK", Subjects: []string{"bulk"}, Storage: nats.MemoryStorage})
	must(check, err, "add stream")
	const n = 300
	payload := make([]byte, 32*1024)
	for i := 0; i < n; i++ {
		_, err := js.PublishAsync("bulk", payload)
		must(check, err, "publish async")
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(2 * wait):
		fail(check, "publish acks did not all come")
	}
	sub, err := js.SubscribeSync("bulk", nats.Durable("pusher"), nats.EnableFlowControl(),
		nats.IdleHeartbeat(500*time.Millisecond), nats.AckExplicit())
	must(check, err, "subscribe")
	for i := 1; i <= n; i++ {
		m, err := sub.NextMsg(wait)
		must(check, err, fmt.Sprintf("message %d", i))
		meta, _ := m.Metadata()
		if meta.Sequence.Stream != uint64(i) {
			fail(check, "message %d has stream sequence %d", i, meta.Sequence.Stream)
		}
		must(check, m.Ack(), "ack")
	}
	pass(check, "%d messages of 32 KiB", n)
}

// An ordered consumer sees a subject's messages in order, then new ones.
func orderedConsumer(js nats.JetStreamContext) {
	const check = "js-ordered"
	sub, err := js.SubscribeSync("orders.5", nats.OrderedConsumer())
	must(check, err, "subscribe")
	m, err := sub.NextMsg(wait)
	must(check, err, "first")
	if string(m.Data) != "o5" {
		fail(check, "first %q", m.Data)
	}
	_, err = js.Publish("orders.5", []byte("o5b"))
	must(check, err, "publish")
	m, err = sub.NextMsg(wait)
	must(check, err, "next")
	if string(m.Data) != "o5b" {
		fail(check, "next %q", m.Data)
	}
	pass(check, "")
}

// Key-value: put, get, compare-and-set, history, watch, delete, keys.
func keyValue(js nats.JetStreamContext) {
	const check = "js-kv"
	kv, err := js.CreateKeyValue(&nats.KeyValueConfig{Bucket: "settings", History: 5})
	must(check, err, "create bucket")
	r1, err := kv.Put("color", []byte("red"))
	must(check, err, "put")
	r2, err := kv.Update("color", []byte("blue"), r1)
	must(check, err, "update")
	if _, err := kv.Update("color", []byte("green"), r1); err == nil {
		fail(check, "an update with a stale revision succeeded")
	}
	e, err := kv.Get("color")
	must(check, err, "get")
	if string(e.Value()) != "blue" || e.Revision() != r2 {
		fail(check, "get %q at %d", e.Value(), e.Revision())
	}
	w, err := kv.Watch("color")
	must(check, err, "watch")
	defer w.Stop()
	first := <-w.Updates()
	if first == nil || string(first.Value()) != "blue" {
		fail(check, "watch began with %v", first)
	}
	if nilMarker := <-w.Updates(); nilMarker != nil {
		fail(check, "watch did not mark the end of the initial values")
	}
	_, err = kv.Put("color", []byte("green"))
	must(check, err, "put")
	select {
	case u := <-w.Updates():
		if u == nil || string(u.Value()) != "green" {
			fail(check, "watch update %v", u)
		}
	case <-time.After(wait):
		fail(check, "watch saw no update")
	}
	h, err := kv.History("color")
	must(check, err, "history")
	if len(h) != 3 {
		fail(check, "history of %d", len(h))
	}
	_, err = kv.Put("size", []byte("xl"))
	must(check, err, "put")
	must(check, kv.Delete("size"), "delete")
	if _, err := kv.Get("size"); err != nats.ErrKeyNotFound {
		fail(check, "get after delete gave %v", err)
	}
	keys, err := kv.Keys()
	must(check, err, "keys")
	if len(keys) != 1 || keys[0] != "color" {
		fail(check, "keys %v", keys)
	}
	pass(check, "")
}

// Object store: a multi-chunk object goes in and comes back whole.
func objectStore(js nats.JetStreamContext) {
	const check = "js-object-store"
	obs, err := js.CreateObjectStore(&nats.ObjectStoreConfig{Bucket: "files"})
	must(check, err, "create bucket")
	data := make([]byte, 1_000_000)
	for i := range data {
		data[i] = byte(i % 251)
	}
	info, err := obs.PutBytes("blob", data)
	must(check, err, "put")
	if info.Size != uint64(len(data)) || info.Chunks < 2 {
		fail(check, "info %+v", info)
	}
	back, err := obs.GetBytes("blob")
	must(check, err, "get")
	if !bytes.Equal(back, data) {
		fail(check, "%d bytes came back, not the %d put", len(back), len(data))
	}
	_, err = obs.PutBytes("blob", []byte("small now"))
	must(check, err, "replace")
	back, err = obs.GetBytes("blob")
	must(check, err, "get replaced")
	if string(back) != "small now" {
		fail(check, "replaced object reads %q", back)
	}
	_, err = obs.PutString("notes", "some notes")
	must(check, err, "put notes")
	listed(check, obs, "blob notes")
	must(check, obs.Delete("notes"), "delete notes")
	listed(check, obs, "blob")
	listed(check, obs, "blob notes", nats.ListObjectsShowDeleted())
	pass(check, "%d chunks", info.Chunks)
}

// The object store lists what it holds (the last meta message of every name, through an ordered consumer).
func listed(check string, obs nats.ObjectStore, want string, opts ...nats.ListObjectsOpt) {
	objs, err := obs.List(opts...)
	must(check, err, "list")
	names := ""
	for _, o := range objs {
		if names != "" {
			names += " "
		}
		names += o.Name
	}
	if names != want {
		fail(check, "list gives %q, not %q", names, want)
	}
}
