package io.natsvx.monitor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory and CPU use, as /varz reports them. Reads /proc: worker only. */
public final class ProcessStats {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessStats() {}

  /** Resident set size in bytes (VmRSS), or the heap in use where /proc is missing. */
  public static long rss() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Recent CPU use in percent of one core, like ps (may exceed 100 on many cores). */
  public static double cpuPercent() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      if (load >= 0) {
        return Math.round(load * 100 * Runtime.getRuntime().availableProcessors() * 10) / 10.0;
      }
    }
    return 0;
  }
}
