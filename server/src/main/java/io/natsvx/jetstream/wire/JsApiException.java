package io.natsvx.jetstream.wire;

/** An API request failed with one of nats-server's errors; the answer carries it as {@code error}. */
public final class JsApiException extends RuntimeException {

  private final transient JsError error;
  private final String fill;

  JsApiException(JsError error, String fill) {
    super(error.name() + (fill == null ? "" : ": " + fill), null, false, false);
    this.error = error;
    this.fill = fill;
  }

  public JsError error() {
    return error;
  }

  public io.vertx.core.json.JsonObject json() {
    return error.json(fill);
  }
}
