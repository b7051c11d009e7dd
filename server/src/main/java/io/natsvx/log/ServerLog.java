package io.natsvx.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server log in nats-server's format: {@code [pid] 2006/01/02 15:04:05.000000 [INF] text}.
 * Callers on event loops only enqueue; one daemon thread writes to stderr or {@code log_file},
 * so a slow disk never blocks a loop. Thread-safe.
 */
public final class ServerLog {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS");
  private static final String STOP = new String("stop");

  private final long pid = ProcessHandle.current().pid();
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(100_000);
  private final Thread writer;
  private volatile boolean logtime;
  private volatile boolean debug;
  private volatile boolean trace;
  private volatile String logFile;
  private volatile boolean reopen;
  private PrintStream out; // writer thread only

  public ServerLog(boolean logtime, boolean debug, boolean trace, String logFile) {
    this.logtime = logtime;
    this.debug = debug;
    this.trace = trace;
    this.logFile = logFile;
    this.writer = new Thread(this::run, "natsvx-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** Applies reloaded logging options; a new file is opened by the writer. */
  public void configure(boolean logtime, boolean debug, boolean trace, String logFile) {
    this.logtime = logtime;
    this.debug = debug;
    this.trace = trace;
    boolean fileChanged = logFile == null ? this.logFile != null : !logFile.equals(this.logFile);
    this.logFile = logFile;
    if (fileChanged) {
      reopen = true;
    }
  }

  /** Reopens the log file (SIGUSR1, for log rotation). */
  public void reopen() {
    reopen = true;
    queue.offer("");
  }

  public boolean isDebug() { return debug; }
  public boolean isTrace() { return trace; }

  public void info(String msg) { log("INF", msg); }
  public void warn(String msg) { log("WRN", msg); }
  public void error(String msg) { log("ERR", msg); }
  public void fatal(String msg) { log("FTL", msg); }

  public void debug(String msg) {
    if (debug) {
      log("DBG", msg);
    }
  }

  public void trace(String msg) {
    if (trace) {
      log("TRC", msg);
    }
  }

  private void log(String level, String msg) {
    StringBuilder sb = new StringBuilder(msg.length() + 48);
    sb.append('[').append(pid).append("] ");
    if (logtime) {
      sb.append(TIME.format(LocalDateTime.now())).append(' ');
    }
    sb.append('[').append(level).append("] ").append(msg);
    // Dropping a line beats blocking an event loop when the disk cannot keep up.
    queue.offer(sb.toString());
  }

  /** Writes out what is queued and stops the writer; waits at most a second. */
  public void close() {
    queue.offer(STOP);
    try {
      writer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<String> batch = new ArrayList<>();
    try {
      while (true) {
        String first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        if (out == null || reopen) {
          openOutput();
        }
        boolean stop = false;
        for (String line : batch) {
          if (line == STOP) {
            stop = true;
            break;
          }
          if (!line.isEmpty()) {
            out.println(line);
          }
        }
        out.flush();
        batch.clear();
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void openOutput() {
    reopen = false;
    if (out != null && out != System.err) {
      out.close();
    }
    String file = logFile;
    if (file == null || file.isEmpty()) {
      out = System.err;
      return;
    }
    try {
      OutputStream os = new FileOutputStream(file, true);
      out = new PrintStream(os, false, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("[" + pid + "] [ERR] cannot open log file " + file + ": " + e.getMessage());
      out = System.err;
    }
  }
}
