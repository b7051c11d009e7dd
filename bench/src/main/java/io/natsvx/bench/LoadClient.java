package io.natsvx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Go load client (go/src/natsbench) once and returns its RESULT line. The client bounds
 * itself by count and time; a watchdog here kills it anyway if it overruns its cap by a margin,
 * so a wedged server cannot hang the benchmark.
 */
final class LoadClient {
    /** Called when the client prints "STAGE name"; the client waits until this returns. */
    interface StageListener {
        void onStage(String stage) throws IOException, InterruptedException;
    }

    private static final long WATCHDOG_MARGIN_SECONDS = 30;

    private final Path binary;
    private final Path log;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-client-watchdog");
        t.setDaemon(true);
        return t;
    });

    LoadClient(Path binary, Path log) {
        this.binary = binary;
        this.log = log;
    }

    ClientResult run(List<String> args, int capSeconds, StageListener listener)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        Process process = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ChildProcesses.register(process);
        ScheduledFuture<?> kill = watchdog.schedule(process::destroyForcibly,
                capSeconds + WATCHDOG_MARGIN_SECONDS, TimeUnit.SECONDS);
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = process.getOutputStream()) {
            String result = null;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("STAGE ")) {
                    listener.onStage(line.substring("STAGE ".length()).trim());
                    in.write("next\n".getBytes(StandardCharsets.US_ASCII));
                    in.flush();
                } else if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
            process.waitFor();
            if (result == null) {
                throw new IOException("load client exited with status " + process.exitValue()
                        + " and no RESULT line; see " + log);
            }
            return ClientResult.parse(result);
        } finally {
            kill.cancel(false);
            ChildProcesses.stop(process);
        }
    }

    ClientResult run(List<String> args, int capSeconds) throws IOException, InterruptedException {
        return run(args, capSeconds, stage -> { });
    }
}
