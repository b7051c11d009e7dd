package io.natsvx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live heap of a JVM server, measured with the jcmd next to its own java binary: {@code GC.run}
 * then {@code GC.heap_info}. Only used by the memory scenarios, because a forced full GC disturbs
 * the process; it gives the bytes still reachable, which RSS cannot separate from garbage.
 */
final class JvmHeap {
    /** Lines like "garbage-first heap   total 262144K, used 10240K [...]", one per generation. */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final long JCMD_TIMEOUT_SECONDS = 30;

    private JvmHeap() {
    }

    /** The jcmd of the JVM running as {@code pid}, or null when the process is not a JVM. */
    static Path jcmdFor(long pid) {
        try {
            Path exe = ProcFs.executable(pid);
            if (!exe.getFileName().toString().equals("java")) {
                return null;
            }
            Path jcmd = exe.resolveSibling("jcmd");
            return Files.isExecutable(jcmd) ? jcmd : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Heap bytes in use right after a full GC, or empty if jcmd failed or printed an unknown format. */
    static OptionalLong liveBytes(Path jcmd, long pid) {
        try {
            run(jcmd, pid, "GC.run");
            String info = run(jcmd, pid, "GC.heap_info");
            long usedKb = 0;
            boolean found = false;
            for (String line : info.split("\n")) {
                // Metaspace is native memory, not heap.
                if (line.contains("Metaspace") || line.contains("class space")) {
                    continue;
                }
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    usedKb += Long.parseLong(m.group(1));
                    found = true;
                }
            }
            return found ? OptionalLong.of(usedKb * 1024) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private static String run(Path jcmd, long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        ChildProcesses.register(p);
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + command + " failed: " + out.trim());
            }
            return out;
        } finally {
            ChildProcesses.stop(p);
        }
    }
}
