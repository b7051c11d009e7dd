package io.natsvx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A server process this CLI started, on a loopback port. Used from the main thread only. */
final class RunningServer {
    private static final int NATS_DEFAULT_PORT = 4222;
    private static final long READY_TIMEOUT_MILLIS = 60_000;

    final String name;
    final int port;
    private final Process process;
    private final Path jcmd;
    /** The other node of a two-node cluster (the subscribers' one); null for a lone server. */
    private RunningServer peer;
    /** The WebSocket port clients use instead of the NATS port; 0 for none. */
    private int webSocketPort;

    RunningServer(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.jcmd = JvmHeap.jcmdFor(process.pid());
    }

    String url() {
        return webSocketPort > 0 ? "ws://127.0.0.1:" + webSocketPort : "nats://127.0.0.1:" + port;
    }

    /** Makes clients connect over WebSocket to {@code wsPort}. */
    RunningServer withWebSocket(int wsPort) {
        webSocketPort = wsPort;
        return this;
    }

    /** Where subscribers connect: the peer node when clustered, else this server. */
    String subscriberUrl() {
        return peer == null ? url() : peer.url();
    }

    /** Makes this the publisher's node of a pair; CPU, liveness and stop then cover both. */
    RunningServer withPeer(RunningServer other) {
        peer = other;
        return this;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive() && (peer == null || peer.isAlive());
    }

    /**
     * Waits until the port accepts a connection and sends the NATS INFO line: a bare TCP accept
     * could come from a listener that is bound but not serving yet.
     */
    void awaitReady() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " before it was ready");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(2000);
                if (readLine(socket.getInputStream()).startsWith("INFO ")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " did not accept NATS connections on port " + port + ": " + last);
    }

    /** Waits until {@code otherPort} (a second listener, e.g. WebSocket) accepts connections. */
    void awaitPort(int otherPort) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        IOException last = null;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", otherPort), 1000);
                return;
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " did not listen on port " + otherPort + ": " + last);
    }

    double cpuSeconds() throws IOException {
        return ProcFs.cpuSeconds(pid()) + (peer == null ? 0 : peer.cpuSeconds());
    }

    long rssBytes() throws IOException {
        return ProcFs.rssBytes(pid());
    }

    /** Live heap after a forced GC when the server is a JVM; empty for nats-server. */
    OptionalLong liveHeapBytes() {
        return jcmd == null ? OptionalLong.empty() : JvmHeap.liveBytes(jcmd, pid());
    }

    void stop() {
        ChildProcesses.stop(process);
        if (peer != null) {
            peer.stop();
        }
    }

    /**
     * A free loopback port other than 4222, so a nats-server already running on this machine is
     * never touched. The port is released before the server binds it; a clash is unlikely and then
     * shows up as a start-up failure.
     */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                if (socket.getLocalPort() != NATS_DEFAULT_PORT) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 64 * 1024) {
            line.append((char) c);
        }
        return line.toString();
    }
}
