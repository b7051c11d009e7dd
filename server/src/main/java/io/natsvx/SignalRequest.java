package io.natsvx;

/**
 * A {@code -sl/--signal CMD[=PID|PIDFILE]} request: {@code command} is one of ldm, stop, quit,
 * term, reopen, reload; {@code pidOrFile} is what followed '=' (a pid or the path of a pid file,
 * nats-server tries it as a file first), or null when the caller must find the one running server.
 */
public record SignalRequest(String command, String pidOrFile) {}
