package io.natsvx.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What a connection does with each parsed operation. Arguments passed as (bytes, offset, length)
 * point into parser-owned buffers and are valid only during the call.
 */
public interface ProtocolHandler {

  void onConnect(byte[] json, int off, int len);

  void onInfo(byte[] json, int off, int len);

  void onPing();

  void onPong();

  /** A complete PUB/HPUB: the payload is {@code pa.size} bytes of {@code payload} from {@code index}. */
  void onPub(PubArgs pa, ByteBuf payload, int index);

  /** SUB arguments, unsplit: {@code subject [queue] sid}. */
  void onSub(byte[] args, int off, int len);

  /** UNSUB arguments, unsplit: {@code sid [max]}. */
  void onUnsub(byte[] args, int off, int len);

  void onOk();

  void onErr(String text);

  /**
   * An operation other than CONNECT arrived while CONNECT is required first; true lets it
   * through (e.g. a no_auth_user), false stops the parser (the handler has answered).
   */
  default boolean onOperationBeforeConnect() {
    return true;
  }

  /** The parser stopped on bad input; it parses nothing more. {@code detail} is for the log. */
  void onProtocolError(ProtocolError error, String detail);
}
