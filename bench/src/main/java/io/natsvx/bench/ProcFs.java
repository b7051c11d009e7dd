package io.natsvx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a process's CPU time and resident memory from Linux /proc. Reading /proc needs no agent
 * in the server and works the same for a JVM and a Go binary, which keeps the comparison fair.
 */
final class ProcFs {
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private ProcFs() {
    }

    /** User plus system CPU seconds the process has used so far (/proc/pid/stat utime + stime). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may contain spaces: split after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are 11 and 12.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return (double) ticks / CLOCK_TICKS_PER_SECOND;
    }

    /** Resident set size in bytes (/proc/pid/status VmRSS). */
    static long rssBytes(long pid) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                return Long.parseLong(kb) * 1024;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    /** The process's executable, e.g. /usr/lib/jvm/.../bin/java; used to spot a JVM. */
    static Path executable(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
    }

    /** USER_HZ: almost always 100, but asking getconf costs one fork at start-up. */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
