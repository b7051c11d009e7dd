// Interop checks for the official Go client (nats.go) against a NATS server.
//
// Usage: natsinterop [-jetstream] nats://host:port
//
// With -jetstream it runs the JetStream checks (jetstream.go) instead of the core ones.
//
// Prints "ok <check> ..." per passed check and a final "OK"; on the first
// failure prints "FAIL <check>: <reason>" and exits 1. Every wait is bounded.
package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

const (
	wait      = 5 * time.Second // upper bound for any single expected event
	queueMsgs = 300
	queueSubs = 3
)

var (
	url       string
	asyncMu   sync.Mutex
	asyncErrs []string
)

func fail(check, format string, args ...interface{}) {
	fmt.Printf("FAIL %s: %s\n", check, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func pass(check, format string, args ...interface{}) {
	line := "ok " + check
	if format != "" {
		line += " (" + fmt.Sprintf(format, args...) + ")"
	}
	fmt.Println(line)
}

func connect(check, name string, extra ...nats.Option) *nats.Conn {
	opts := []nats.Option{
		nats.Name(name),
		nats.Timeout(wait),
		nats.NoReconnect(),
		nats.ErrorHandler(func(_ *nats.Conn, s *nats.Subscription, err error) {
			subj := ""
			if s != nil {
				subj = s.Subject
			}
			asyncMu.Lock()
			asyncErrs = append(asyncErrs, fmt.Sprintf("%s: async error on %q: %v", name, subj, err))
			asyncMu.Unlock()
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				asyncMu.Lock()
				asyncErrs = append(asyncErrs, fmt.Sprintf("%s: disconnected: %v", name, err))
				asyncMu.Unlock()
			}
		}),
	}
	nc, err := nats.Connect(url, append(opts, extra...)...)
	if err != nil {
		fail(check, "connect %s: %v", name, err)
	}
	return nc
}

func must(check string, err error, what string) {
	if err != nil {
		fail(check, "%s: %v", what, err)
	}
}

func flush(check string, nc *nats.Conn) {
	must(check, nc.FlushTimeout(wait), "flush")
}

func next(check string, s *nats.Subscription, what string) *nats.Msg {
	m, err := s.NextMsg(wait)
	if err != nil {
		fail(check, "waiting for %s on %q: %v", what, s.Subject, err)
	}
	return m
}

func checkConnect() {
	const c = "connect"
	nc := connect(c, "interop-connect")
	defer nc.Close()
	if !nc.HeadersSupported() {
		fail(c, "server does not advertise headers support")
	}
	flush(c, nc)
	rtt, err := nc.RTT()
	must(c, err, "rtt")
	pass(c, "server %s, version %s, max payload %d, rtt %v", nc.ConnectedServerId(), nc.ConnectedServerVersion(), nc.MaxPayload(), rtt.Round(time.Microsecond))
}

// Wildcard subscriptions each receive exactly the matching subjects, in order.
func checkWildcards() {
	const c = "pubsub-wildcards"
	sc := connect(c, "interop-wild-sub")
	defer sc.Close()
	pc := connect(c, "interop-wild-pub")
	defer pc.Close()

	const end = "iop.ps.end"
	published := []string{"iop.ps.a", "iop.ps.b", "iop.ps.a.b", "iop.psx.a", "iop", "iop.ps", "iop.ps.a.b.c"}
	expect := map[string][]string{
		"iop.ps.*":   {"iop.ps.a", "iop.ps.b"},
		"iop.ps.>":   {"iop.ps.a", "iop.ps.b", "iop.ps.a.b", "iop.ps.a.b.c"},
		"iop.*.*":    {"iop.ps.a", "iop.ps.b", "iop.psx.a"},
		"*.ps.*.>":   {"iop.ps.a.b", "iop.ps.a.b.c"},
		"iop.ps.end": {},
	}
	subs := map[string]*nats.Subscription{}
	for pattern := range expect {
		s, err := sc.SubscribeSync(pattern)
		must(c, err, "subscribe "+pattern)
		subs[pattern] = s
	}
	flush(c, sc)
	for _, subj := range published {
		must(c, pc.Publish(subj, []byte("p:"+subj)), "publish "+subj)
	}
	must(c, pc.Publish(end, []byte("p:"+end)), "publish "+end)
	flush(c, pc)

	patterns := make([]string, 0, len(expect))
	for p := range expect {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	// "*.ps.*.>" does not match the sentinel: it needs at least four tokens.
	for _, pattern := range patterns {
		s := subs[pattern]
		var got []string
		want := expect[pattern]
		for {
			if pattern == "*.ps.*.>" && len(got) == len(want) {
				break
			}
			m := next(c, s, fmt.Sprintf("message %d", len(got)+1))
			if string(m.Data) != "p:"+m.Subject {
				fail(c, "subscription %q: message on %q carries payload %q", pattern, m.Subject, m.Data)
			}
			if m.Subject == end {
				break
			}
			got = append(got, m.Subject)
			if len(got) > len(want) {
				fail(c, "subscription %q received %v, want exactly %v", pattern, got, want)
			}
		}
		if !reflect.DeepEqual(append([]string{}, got...), append([]string{}, want...)) {
			fail(c, "subscription %q received %v, want %v", pattern, got, want)
		}
	}
	// Nothing beyond what was expected reached the subscriber's connection.
	flush(c, sc)
	total := len(published) + 1
	wantIn := 0
	for _, w := range expect {
		wantIn += len(w)
	}
	wantIn += 4 // the sentinel matches every pattern but "*.ps.*.>"
	if in := sc.Stats().InMsgs; in != uint64(wantIn) {
		fail(c, "subscriber connection received %d messages, want %d", in, wantIn)
	}
	pass(c, "%d subjects published, %d patterns, %d deliveries", total, len(expect), wantIn)
}

// Each message on a queue subject goes to exactly one member of the group,
// spread over the members; a plain subscriber on the same subject sees all.
func checkQueueGroup() {
	const c = "queue-group"
	type member struct {
		nc *nats.Conn
		ch chan *nats.Msg
	}
	members := make([]member, queueSubs)
	for i := range members {
		nc := connect(c, fmt.Sprintf("interop-queue-%d", i))
		defer nc.Close()
		ch := make(chan *nats.Msg, queueMsgs+16)
		_, err := nc.ChanQueueSubscribe("iop.q", "workers", ch)
		must(c, err, "queue subscribe")
		// The sentinel comes through the same channel, after every queue
		// message the server sent this connection before it.
		_, err = nc.ChanSubscribe("iop.q.end", ch)
		must(c, err, "subscribe sentinel")
		flush(c, nc)
		members[i] = member{nc, ch}
	}
	pc := connect(c, "interop-queue-pub")
	defer pc.Close()
	observer, err := pc.SubscribeSync("iop.q")
	must(c, err, "plain subscribe")
	flush(c, pc)

	for i := 0; i < queueMsgs; i++ {
		must(c, pc.Publish("iop.q", []byte(strconv.Itoa(i))), "publish")
	}
	must(c, pc.Publish("iop.q.end", nil), "publish sentinel")
	flush(c, pc)

	seen := make([]int, queueMsgs) // member index + 1 that received message i
	counts := make([]int, queueSubs)
	for idx, mb := range members {
		timer := time.NewTimer(wait)
	loop:
		for {
			select {
			case m := <-mb.ch:
				if m.Subject == "iop.q.end" {
					break loop
				}
				n, err := strconv.Atoi(string(m.Data))
				if err != nil || n < 0 || n >= queueMsgs {
					fail(c, "member %d: unexpected payload %q", idx, m.Data)
				}
				if seen[n] != 0 {
					fail(c, "message %d delivered twice: to member %d and member %d", n, seen[n]-1, idx)
				}
				seen[n] = idx + 1
				counts[idx]++
			case <-timer.C:
				fail(c, "member %d: no sentinel within %v (got %d queue messages)", idx, wait, counts[idx])
			}
		}
		timer.Stop()
		if len(mb.ch) != 0 {
			fail(c, "member %d: %d messages after the sentinel", idx, len(mb.ch))
		}
	}
	for n, who := range seen {
		if who == 0 {
			fail(c, "message %d reached no member of the queue group (counts %v)", n, counts)
		}
	}
	for idx, n := range counts {
		if n < queueMsgs/10 {
			fail(c, "not spread over members: member %d got %d of %d (counts %v)", idx, n, queueMsgs, counts)
		}
	}
	for i := 0; i < queueMsgs; i++ {
		m := next(c, observer, "plain subscriber message "+strconv.Itoa(i))
		if string(m.Data) != strconv.Itoa(i) {
			fail(c, "plain subscriber: message %d is %q", i, m.Data)
		}
	}
	if p, _, _ := observer.Pending(); p != 0 {
		fail(c, "plain subscriber got %d extra messages", p)
	}
	pass(c, "%d messages, %d members, each once, spread %v; plain subscriber got all", queueMsgs, queueSubs, counts)
}

// Requests with the muxed inbox and the old per-request inbox, sequential and
// concurrent; the responder confirms it saw each request exactly once.
func checkRequestReply() {
	const c = "request-reply"
	rc := connect(c, "interop-responder")
	defer rc.Close()
	handled := 0 // only touched by the one subscription's callback goroutine
	_, err := rc.Subscribe("iop.svc.*", func(m *nats.Msg) {
		if m.Subject == "iop.svc.count" {
			m.Respond([]byte(strconv.Itoa(handled)))
			return
		}
		handled++
		m.Respond([]byte("re:" + string(m.Data)))
	})
	must(c, err, "subscribe responder")
	flush(c, rc)

	nc := connect(c, "interop-requester")
	defer nc.Close()
	old := connect(c, "interop-requester-old", nats.UseOldRequestStyle())
	defer old.Close()

	n := 0
	for _, conn := range []*nats.Conn{nc, old} {
		for i := 0; i < 20; i++ {
			want := fmt.Sprintf("re:m%d", n)
			m, err := conn.Request("iop.svc.echo", []byte(fmt.Sprintf("m%d", n)), wait)
			must(c, err, fmt.Sprintf("request %d", n))
			if string(m.Data) != want {
				fail(c, "request %d: reply %q, want %q", n, m.Data, want)
			}
			n++
		}
	}
	const concurrent = 20
	var wg sync.WaitGroup
	errs := make(chan string, concurrent)
	for i := 0; i < concurrent; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m, err := nc.Request("iop.svc.echo", []byte(fmt.Sprintf("c%d", i)), wait)
			if err != nil {
				errs <- fmt.Sprintf("concurrent request %d: %v", i, err)
			} else if string(m.Data) != fmt.Sprintf("re:c%d", i) {
				errs <- fmt.Sprintf("concurrent request %d: reply %q", i, m.Data)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		fail(c, "%s", e)
	}
	n += concurrent
	m, err := nc.Request("iop.svc.count", nil, wait)
	must(c, err, "count request")
	if string(m.Data) != strconv.Itoa(n) {
		fail(c, "responder handled %s requests, want %d", m.Data, n)
	}
	pass(c, "%d requests (muxed, old-style, concurrent), each handled once", n)
}

// A request to a subject nobody listens on fails fast with ErrNoResponders.
func checkNoResponders() {
	const c = "no-responders"
	timeout := 5 * time.Second
	nc := connect(c, "interop-noresp")
	defer nc.Close()
	old := connect(c, "interop-noresp-old", nats.UseOldRequestStyle())
	defer old.Close()
	for _, conn := range []*nats.Conn{nc, old} {
		start := time.Now()
		_, err := conn.Request("iop.nobody.home", []byte("anyone?"), timeout)
		elapsed := time.Since(start)
		if !errors.Is(err, nats.ErrNoResponders) {
			fail(c, "request to subject without subscribers: got %v after %v, want %v", err, elapsed, nats.ErrNoResponders)
		}
		if elapsed >= timeout/2 {
			fail(c, "no-responders took %v (request timeout %v)", elapsed, timeout)
		}
	}
	// With headers on the request too.
	start := time.Now()
	req := nats.NewMsg("iop.nobody.home")
	req.Header.Set("X-Req", "1")
	_, err := nc.RequestMsg(req, timeout)
	if !errors.Is(err, nats.ErrNoResponders) {
		fail(c, "request with headers: got %v after %v, want %v", err, time.Since(start), nats.ErrNoResponders)
	}
	pass(c, "muxed, old-style and with headers: %v", nats.ErrNoResponders)
}

// Headers survive publish/subscribe and request/reply byte for byte, keys
// keep their case, and messages without headers stay without.
func checkHeaders() {
	const c = "headers"
	nc := connect(c, "interop-headers")
	defer nc.Close()
	sub, err := nc.SubscribeSync("iop.hdr")
	must(c, err, "subscribe")
	_, err = nc.Subscribe("iop.hdr.svc", func(m *nats.Msg) {
		r := nats.NewMsg(m.Reply)
		r.Header.Set("X-Echo", m.Header.Get("X-Req"))
		r.Header.Set("X-Count", strconv.Itoa(len(m.Header)))
		r.Data = append([]byte("re:"), m.Data...)
		m.RespondMsg(r)
	})
	must(c, err, "subscribe responder")
	flush(c, nc)

	m := nats.NewMsg("iop.hdr")
	m.Header.Add("X-Trace", "abc-123")
	m.Header.Add("X-Multi", "1")
	m.Header.Add("X-Multi", "2")
	m.Header.Add("x-lower-Case", "Keep Me")
	m.Header.Add("X-Spaces", "a b  c")
	m.Data = []byte("body")
	must(c, nc.PublishMsg(m), "publish with headers")

	empty := nats.NewMsg("iop.hdr")
	empty.Header.Set("X-Only", "header")
	must(c, nc.PublishMsg(empty), "publish headers without body")

	must(c, nc.Publish("iop.hdr", []byte("plain")), "publish without headers")

	got := next(c, sub, "message with headers")
	if string(got.Data) != "body" {
		fail(c, "payload %q, want %q", got.Data, "body")
	}
	if !reflect.DeepEqual(got.Header, m.Header) {
		fail(c, "headers %v, want %v", got.Header, m.Header)
	}
	got = next(c, sub, "header-only message")
	if len(got.Data) != 0 || got.Header.Get("X-Only") != "header" || len(got.Header) != 1 {
		fail(c, "header-only message: headers %v, payload %q", got.Header, got.Data)
	}
	got = next(c, sub, "plain message")
	if string(got.Data) != "plain" || len(got.Header) != 0 {
		fail(c, "plain message: headers %v, payload %q", got.Header, got.Data)
	}

	req := nats.NewMsg("iop.hdr.svc")
	req.Header.Set("X-Req", "r-42")
	req.Data = []byte("q")
	rep, err := nc.RequestMsg(req, wait)
	must(c, err, "request with headers")
	if rep.Header.Get("X-Echo") != "r-42" || rep.Header.Get("X-Count") != "1" || string(rep.Data) != "re:q" {
		fail(c, "reply headers %v, payload %q", rep.Header, rep.Data)
	}
	pass(c, "multi-value, case, spaces, header-only, request/reply")
}

// A subscription with a maximum gets exactly that many messages from the
// server, after which the server no longer has interest.
func checkAutoUnsubscribe() {
	const c = "auto-unsubscribe"
	const max = 3
	ac := connect(c, "interop-auto-sub")
	defer ac.Close()
	pc := connect(c, "interop-auto-pub")
	defer pc.Close()

	s, err := ac.SubscribeSync("iop.auto")
	must(c, err, "subscribe")
	must(c, s.AutoUnsubscribe(max), "auto-unsubscribe")
	end, err := ac.SubscribeSync("iop.auto.end")
	must(c, err, "subscribe sentinel")
	flush(c, ac)

	for i := 0; i < 10; i++ {
		must(c, pc.Publish("iop.auto", []byte(strconv.Itoa(i))), "publish")
	}
	must(c, pc.Publish("iop.auto.end", nil), "publish sentinel")
	flush(c, pc)
	next(c, end, "sentinel")
	// The client stops at the maximum by itself, so count what the server sent.
	if in := ac.Stats().InMsgs; in != max+1 {
		fail(c, "server delivered %d messages to the subscriber's connection, want %d (max %d + sentinel)", in, max+1, max)
	}
	for i := 0; i < max; i++ {
		m := next(c, s, "message "+strconv.Itoa(i))
		if string(m.Data) != strconv.Itoa(i) {
			fail(c, "message %d is %q", i, m.Data)
		}
	}
	if s.IsValid() {
		fail(c, "subscription still valid after %d messages", max)
	}
	// The server dropped the interest: a request now finds no responders.
	_, err = pc.Request("iop.auto", nil, 2*time.Second)
	if !errors.Is(err, nats.ErrNoResponders) {
		fail(c, "request after the maximum was reached: got %v, want %v (server kept the subscription)", err, nats.ErrNoResponders)
	}
	pass(c, "max %d of 10 delivered, then no interest", max)
}

func main() {
	args := os.Args[1:]
	jetstream := len(args) == 2 && args[0] == "-jetstream"
	if jetstream {
		args = args[1:]
	}
	if len(args) != 1 {
		fmt.Println("FAIL usage: natsinterop [-jetstream] nats://host:port")
		os.Exit(2)
	}
	url = args[0]
	time.AfterFunc(45*time.Second, func() {
		fmt.Println("FAIL watchdog: checks did not finish within 45s")
		os.Exit(3)
	})

	if jetstream {
		checkJetStream()
	} else {
		checkConnect()
		checkWildcards()
		checkQueueGroup()
		checkRequestReply()
		checkNoResponders()
		checkHeaders()
		checkAutoUnsubscribe()
	}

	asyncMu.Lock()
	defer asyncMu.Unlock()
	if len(asyncErrs) > 0 {
		fail("async-errors", "%s", strings.Join(asyncErrs, "; "))
	}
	fmt.Println("OK")
}
