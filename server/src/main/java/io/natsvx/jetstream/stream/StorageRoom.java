package io.natsvx.jetstream.stream;

/**
 * How many more bytes a stream's account may store in memory or in files, given its own
 * JetStream limits and the server's ({@link Long#MAX_VALUE} for no limit). Worker only.
 */
public interface StorageRoom {

  StorageRoom UNLIMITED = memory -> Long.MAX_VALUE;

  long room(boolean memory);
}
