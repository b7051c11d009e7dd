package io.natsvx.jetstream.store;

/** A store could not do what was asked; the message names the stream's directory when there is one. */
public final class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
