package io.natsvx.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process this CLI starts (servers, load clients, jcmd), so that each is stopped by its own
 * handle (its PID) on the way out, including on Ctrl-C. Nothing else is ever signalled. Thread-safe.
 */
final class ChildProcesses {
    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();
    private static final long GRACE_SECONDS = 10;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(ChildProcesses::stop),
                "bench-stop-children"));
    }

    private ChildProcesses() {
    }

    static void register(Process process) {
        STARTED.add(process);
    }

    /** SIGTERM, a grace period for a clean shutdown, then SIGKILL. */
    static void stop(Process process) {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            STARTED.remove(process);
        }
    }
}
