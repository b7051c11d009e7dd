// Command natsbench is the load client of the natsvx side-by-side benchmark.
//
// It runs one scenario against one server and prints one machine-readable
// line, "RESULT key=value ...", that the bench CLI (io.natsvx.bench) parses.
// It is written in Go with the nats.go client so that the load generator does
// not compete with the JVM under test for JIT, GC and heap on a small machine.
//
// Every scenario is bounded by -count and by -time: it stops by itself when
// either is reached and then reports what it got (complete=false if the count
// was not reached).
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// config holds the command-line flags; one struct so scenarios stay small.
type config struct {
	url      string
	subURL   string
	scenario string
	size     int
	count    int
	pubs     int
	subs     int
	maxTime  time.Duration
	deadline time.Time
	// window caps messages published but not yet received (0: no cap); received counts them.
	window   int
	received *int64
}

// result is printed as one "RESULT k=v ..." line; zero fields are still
// printed so the parser sees a fixed set of keys for each scenario.
type result struct {
	sent, received, expected int64
	elapsed                  time.Duration
	rate                     float64 // the scenario's headline messages (or requests) per second
	pubRate                  float64
	latencies                []time.Duration
	asyncErrors              int64
	err                      error
}

// asyncErrors counts slow-consumer and other asynchronous client errors, and
// disconnects, on every connection the scenario opens.
var asyncErrors int64

func main() {
	cfg := parseFlags()
	var res result
	switch cfg.scenario {
	case "pub", "pubsub":
		res = runPubSub(cfg, false)
	case "queue":
		res = runPubSub(cfg, true)
	case "reqrep":
		res = runRequestReply(cfg)
	case "conns":
		res = runIdleConnections(cfg)
	case "subs":
		res = runSubscriptions(cfg)
	case "jspubsync":
		res = runJSPublishSync(cfg)
	case "jspubasync":
		res = runJSPublishAsync(cfg)
	case "jsfetch":
		res = runJSFetch(cfg)
	case "jspush":
		res = runJSPush(cfg)
	case "kvput":
		res = runKVPut(cfg)
	case "kvget":
		res = runKVGet(cfg)
	case "kine":
		res = runKine(cfg)
	default:
		fmt.Fprintf(os.Stderr, "unknown scenario %q\n", cfg.scenario)
		os.Exit(2)
	}
	res.asyncErrors = atomic.LoadInt64(&asyncErrors)
	printResult(cfg, res)
	if res.err != nil {
		os.Exit(1)
	}
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.url, "url", "", "server URL, e.g. nats://127.0.0.1:14222 (required)")
	flag.StringVar(&cfg.scenario, "scenario", "pub", "pub | pubsub | queue | reqrep | conns | subs | jspubsync | jspubasync | jsfetch | jspush | kvput | kvget | kine")
	flag.IntVar(&cfg.size, "size", 128, "payload size in bytes")
	flag.IntVar(&cfg.count, "count", 1000000, "messages to publish (requests for reqrep, connections for conns, subscriptions for subs)")
	flag.IntVar(&cfg.pubs, "pubs", 1, "publisher connections (the count is split among them)")
	flag.IntVar(&cfg.subs, "subs", 1, "subscriber connections (pub: ignored; queue: members of one queue group)")
	flag.DurationVar(&cfg.maxTime, "time", 20*time.Second, "hard cap on the run, whatever the count")
	flag.IntVar(&cfg.window, "window", 0, "most messages in flight between publisher and subscribers (0: no limit)")
	flag.StringVar(&cfg.subURL, "suburl", "", "server URL for the subscribers (another node of the publisher's cluster); default -url")
	flag.Parse()
	if cfg.subURL == "" {
		cfg.subURL = cfg.url
	}
	if cfg.url == "" || cfg.count <= 0 || cfg.size < 0 || cfg.pubs <= 0 || cfg.subs <= 0 || cfg.maxTime <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	cfg.deadline = time.Now().Add(cfg.maxTime)
	return cfg
}

// connect opens one connection with reconnects off: a benchmark against a
// server that went away must fail, not silently wait.
func connect(cfg config, name string) (*nats.Conn, error) {
	return connectTo(cfg, cfg.url, name)
}

func connectTo(cfg config, url string, name string) (*nats.Conn, error) {
	return nats.Connect(url,
		nats.Name(name),
		nats.NoReconnect(),
		nats.Timeout(5*time.Second),
		// Idle-connection memory should not include ping traffic.
		nats.PingInterval(10*time.Minute),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, _ error) {
			atomic.AddInt64(&asyncErrors, 1)
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				atomic.AddInt64(&asyncErrors, 1)
			}
		}))
}

func remaining(cfg config) time.Duration {
	d := time.Until(cfg.deadline)
	if d < time.Millisecond {
		return time.Millisecond
	}
	return d
}

func printResult(cfg config, r result) {
	var b strings.Builder
	fmt.Fprintf(&b, "RESULT scenario=%s size=%d pubs=%d subs=%d", cfg.scenario, cfg.size, cfg.pubs, cfg.subs)
	fmt.Fprintf(&b, " sent=%d received=%d expected=%d", r.sent, r.received, r.expected)
	secs := r.elapsed.Seconds()
	fmt.Fprintf(&b, " elapsed_s=%.6f msgs_s=%.1f bytes_s=%.1f pub_msgs_s=%.1f", secs, r.rate, r.rate*float64(cfg.size), r.pubRate)
	p50, p90, p99, max := percentiles(r.latencies)
	fmt.Fprintf(&b, " p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f", p50, p90, p99, max)
	complete := r.err == nil && r.expected > 0 && r.received >= r.expected
	fmt.Fprintf(&b, " complete=%t async_errors=%d", complete, r.asyncErrors)
	if r.err != nil {
		// Keep the line one token per key: no spaces inside the value.
		fmt.Fprintf(&b, " error=%s", strings.ReplaceAll(r.err.Error(), " ", "_"))
	}
	fmt.Println(b.String())
}

func percentiles(lat []time.Duration) (p50, p90, p99, max float64) {
	if len(lat) == 0 {
		return 0, 0, 0, 0
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(q float64) float64 {
		i := int(q * float64(len(lat)-1))
		return float64(lat[i]) / float64(time.Microsecond)
	}
	return at(0.50), at(0.90), at(0.99), at(1.0)
}

func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
