package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

// The memory scenarios hand control to the caller twice so that it can read
// the server's memory at the right moments:
//
//	STAGE base    nothing of the measured kind is open yet
//	STAGE ready   everything is open and acknowledged by the server (PONG)
//
// After each STAGE line the client waits for one line on stdin (or EOF, or
// the -time cap) before going on. After "ready" it closes everything.

var stdinLines = readLines()

func readLines() <-chan string {
	ch := make(chan string)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	return ch
}

func stage(cfg config, name string) {
	fmt.Printf("STAGE %s\n", name)
	_ = os.Stdout.Sync()
	select {
	case <-stdinLines:
	case <-time.After(remaining(cfg)):
	}
}

// runIdleConnections opens cfg.count connections that then stay idle. One
// extra connection is opened before "base" so that one-time setup in the
// server (class loading, buffer pools) is not charged to the measured ones.
func runIdleConnections(cfg config) result {
	res := result{expected: int64(cfg.count)}
	primer, err := connect(cfg, "bench-idle-primer")
	if err != nil {
		res.err = err
		return res
	}
	defer primer.Close()
	stage(cfg, "base")
	conns := make([]*nats.Conn, 0, cfg.count)
	defer func() { closeAll(conns) }()
	start := time.Now()
	for i := 0; i < cfg.count && time.Now().Before(cfg.deadline); i++ {
		// nats.Connect returns after the server answered the handshake's
		// PING, so the server has fully set up the connection.
		nc, err := connect(cfg, "bench-idle-"+strconv.Itoa(i))
		if err != nil {
			res.err = err
			break
		}
		conns = append(conns, nc)
	}
	res.elapsed = time.Since(start)
	res.sent = int64(len(conns))
	res.received = res.sent
	res.rate = perSecond(res.sent, res.elapsed)
	stage(cfg, "ready")
	return res
}

// runSubscriptions registers cfg.count subscriptions on distinct literal
// subjects over one connection. The connection and one primer subscription
// exist before the "base" stage so the difference is the subscriptions alone.
func runSubscriptions(cfg config) result {
	res := result{expected: int64(cfg.count)}
	nc, err := connect(cfg, "bench-subs")
	if err != nil {
		res.err = err
		return res
	}
	defer nc.Close()
	// One shared channel: nats.go starts no goroutine for channel
	// subscriptions, so 100,000 of them stay cheap in the client. Nothing is
	// published on these subjects.
	sink := make(chan *nats.Msg, 1)
	if _, err := nc.ChanSubscribe("bench.subs.primer", sink); err != nil {
		res.err = err
		return res
	}
	if err := nc.FlushTimeout(remaining(cfg)); err != nil {
		res.err = err
		return res
	}
	stage(cfg, "base")
	start := time.Now()
	for i := 0; i < cfg.count && time.Now().Before(cfg.deadline); i++ {
		if _, err := nc.ChanSubscribe("bench.subs."+strconv.Itoa(i), sink); err != nil {
			res.err = err
			break
		}
		res.sent++
	}
	if err := nc.FlushTimeout(remaining(cfg)); err != nil && res.err == nil {
		res.err = err
	}
	res.elapsed = time.Since(start)
	res.received = res.sent
	if res.err != nil {
		res.received = 0
	}
	res.rate = perSecond(res.sent, res.elapsed)
	stage(cfg, "ready")
	return res
}
