package io.natsvx.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level state machine for the client protocol (nats-server's parser.go behaviour): accepts
 * any split of the stream, several operations per read and payloads across reads. Operation
 * names are checked byte by byte so garbage is refused at once; argument lines are found with a
 * bulk scan and copied once into a reused buffer; a payload that is whole in the read buffer is
 * handed over in place. Event-loop confined.
 */
public final class ProtocolParser {

  // Operation keywords, upper case; state KEYWORD walks them byte by byte.
  private static final byte[] KW_PUB = ascii("PUB");
  private static final byte[] KW_HPUB = ascii("HPUB");
  private static final byte[] KW_SUB = ascii("SUB");
  private static final byte[] KW_UNSUB = ascii("UNSUB");
  private static final byte[] KW_PING = ascii("PING");
  private static final byte[] KW_PONG = ascii("PONG");
  private static final byte[] KW_CONNECT = ascii("CONNECT");
  private static final byte[] KW_INFO = ascii("INFO");
  private static final byte[] KW_OK = ascii("+OK");
  private static final byte[] KW_ERR = ascii("-ERR");
  // The route dialect (nats-server's ROUTER kind).
  private static final byte[] KW_RS_PLUS = ascii("RS+");
  private static final byte[] KW_RS_MINUS = ascii("RS-");
  private static final byte[] KW_RMSG = ascii("RMSG");
  private static final byte[] KW_HMSG = ascii("HMSG");
  // The leaf node dialect (nats-server's LEAF kind); HMSG without an account.
  private static final byte[] KW_LS_PLUS = ascii("LS+");
  private static final byte[] KW_LS_MINUS = ascii("LS-");
  private static final byte[] KW_LMSG = ascii("LMSG");
  // The gateway dialect (nats-server's GATEWAY kind): the route dialect plus A+ and A-.
  private static final byte[] KW_A_PLUS = ascii("A+");
  private static final byte[] KW_A_MINUS = ascii("A-");

  private static final int OP_START = 0;
  private static final int OP_P = 1;
  private static final int KEYWORD = 2;
  /** After a keyword that takes arguments: one blank is required. */
  private static final int KW_SPACE = 3;
  /** Blanks before the arguments. */
  private static final int ARG_SPACE = 4;
  private static final int ARG = 5;
  /** PING, PONG, +OK: everything up to the line feed is ignored, as nats-server does. */
  private static final int TO_LF = 6;
  private static final int PAYLOAD = 7;
  private static final int PAYLOAD_CR = 8;
  private static final int PAYLOAD_LF = 9;
  private static final int CLOSED = 10;
  /** Route and leaf dialects: after 'R' or 'L', then after "RS" or "LS". */
  private static final int OP_LINK = 11;
  private static final int OP_LINK_S = 12;
  /** Gateway dialect: after 'A'. */
  private static final int OP_A = 13;

  private static final int MAX_SIZE_DIGITS = 9;
  /** Split payloads up to this size reuse one buffer; larger ones get their own, dropped after. */
  private static final int KEEP_PAYLOAD_BUFFER = 64 * 1024;

  private final ProtocolHandler handler;
  private final PubArgs pa = new PubArgs();

  private int maxControlLine;
  private int maxPayload;
  private boolean headersSupported;
  /** Set for route connections, which speak RS+, RS-, RMSG and HMSG instead of SUB, UNSUB, PUB and HPUB. */
  private RouteProtocolHandler routes;
  /** Set for leaf node connections, which speak LS+, LS-, LMSG and HMSG. */
  private LeafProtocolHandler leafs;
  /** Set for gateway connections, which speak the route dialect and A+, A-. */
  private GatewayProtocolHandler gateways;

  private int state = OP_START;
  /** Set until CONNECT is in: any other operation first asks the handler (auth servers). */
  private boolean connectFirst;
  /** Set by the handler while it waits for something (an asynchronous auth check). */
  private boolean suspended;
  private byte[] keyword;
  private int keywordPos;
  /** The operation whose arguments or payload are being read (one of the KW_ arrays). */
  private byte[] op;

  private byte[] line;
  private int lineLen;

  /** A payload split across reads is gathered here. */
  private byte[] payload;
  private int payloadLen;
  private ByteBuf payloadView;

  public ProtocolParser(ProtocolHandler handler, int maxControlLine, int maxPayload) {
    this.handler = handler;
    this.maxControlLine = maxControlLine;
    this.maxPayload = maxPayload;
    this.line = new byte[Math.min(maxControlLine, 1024) + 2];
    pa.line = line;
  }

  public void limits(int maxControlLine, int maxPayload) {
    this.maxControlLine = maxControlLine;
    this.maxPayload = maxPayload;
  }

  /** Whether this connection may send HPUB (its CONNECT said headers and the server allows them). */
  public void headersSupported(boolean value) {
    headersSupported = value;
  }

  /** A parser of the route dialect (RS+, RS-, RMSG, HMSG instead of SUB, UNSUB, PUB, HPUB). */
  public static ProtocolParser forRoute(RouteProtocolHandler handler) {
    ProtocolParser p = new ProtocolParser(handler, 0, 0);
    p.routes = handler;
    p.headersSupported = true;
    return p;
  }

  /** A parser of the gateway dialect (the route dialect and A+, A-). */
  public static ProtocolParser forGateway(GatewayProtocolHandler handler) {
    ProtocolParser p = forRoute(handler);
    p.gateways = handler;
    return p;
  }

  /** A parser of the leaf node dialect (LS+, LS-, LMSG, HMSG instead of SUB, UNSUB, PUB, HPUB). */
  public static ProtocolParser forLeaf(LeafProtocolHandler handler) {
    ProtocolParser p = new ProtocolParser(handler, 0, 0);
    p.leafs = handler;
    p.headersSupported = true;
    return p;
  }

  public boolean isClosed() {
    return state == CLOSED;
  }

  /** Requires CONNECT before any other operation (servers with authorization). */
  public void connectFirst(boolean value) {
    connectFirst = value;
  }

  /** Stops after the operation being handled; {@link #parse} returns where it stopped. */
  public void suspend() {
    suspended = true;
  }

  public boolean isSuspended() {
    return suspended;
  }

  public void resume() {
    suspended = false;
  }

  /**
   * Parses the readable bytes of {@code buf} (does not move its reader index nor release it).
   * Returns the index it stopped at: the end, or where a {@link #suspend} left off, so the
   * caller can keep the rest for {@link #resume}.
   */
  public int parse(ByteBuf buf) {
    int i = buf.readerIndex();
    final int end = buf.writerIndex();
    while (i < end) {
      if (suspended) {
        return i;
      }
      switch (state) {
        case OP_START: {
          byte b = buf.getByte(i);
          if (connectFirst && b != 'C' && b != 'c' && !handler.onOperationBeforeConnect()) {
            state = CLOSED;
            return end;
          }
          i++;
          switch (b) {
            case 'P': case 'p': state = OP_P; break;
            case 'H': case 'h': startKeyword(routes != null || leafs != null ? KW_HMSG : KW_HPUB); break;
            case 'L': case 'l':
              // Leaf links, and routes for leaf-origin interest and messages (nats-server's lnoc).
              if (leafs == null && (routes == null || gateways != null)) {
                fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
                return end;
              }
              linkOps(KW_LS_PLUS, KW_LS_MINUS, KW_LMSG);
              break;
            case 'R': case 'r':
              if (routes == null) {
                fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
                return end;
              }
              linkOps(KW_RS_PLUS, KW_RS_MINUS, KW_RMSG);
              break;
            case 'A': case 'a':
              if (gateways == null) {
                fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
                return end;
              }
              state = OP_A;
              break;
            case 'S': case 's': startKeyword(KW_SUB); break;
            case 'U': case 'u': startKeyword(KW_UNSUB); break;
            case 'C': case 'c': startKeyword(KW_CONNECT); break;
            case 'I': case 'i': startKeyword(KW_INFO); break;
            case '+': startKeyword(KW_OK); break;
            case '-': startKeyword(KW_ERR); break;
            default: fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end); return end;
          }
          break;
        }
        case OP_P: {
          byte b = (byte) (buf.getByte(i++) & 0xDF);
          byte[] kw = b == 'U' ? KW_PUB : b == 'I' ? KW_PING : b == 'O' ? KW_PONG : null;
          if (kw == null) {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          keyword = kw;
          keywordPos = 2;
          state = KEYWORD;
          break;
        }
        case OP_LINK: {
          byte b = (byte) (buf.getByte(i++) & 0xDF);
          if (b == 'S') {
            state = OP_LINK_S;
          } else if (b == 'M') {
            keyword = linkMsg;
            keywordPos = 2;
            state = KEYWORD;
          } else {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          break;
        }
        case OP_LINK_S: {
          byte b = buf.getByte(i++);
          if (b != '+' && b != '-') {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          op = b == '+' ? linkPlus : linkMinus;
          state = KW_SPACE;
          break;
        }
        case OP_A: {
          byte b = buf.getByte(i++);
          if (b != '+' && b != '-') {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          op = b == '+' ? KW_A_PLUS : KW_A_MINUS;
          state = KW_SPACE;
          break;
        }
        case KEYWORD: {
          byte b = buf.getByte(i++);
          if ((b & 0xDF) != keyword[keywordPos] && b != keyword[keywordPos]) {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          if (++keywordPos == keyword.length) {
            op = keyword;
            if (op == KW_PING || op == KW_PONG || op == KW_OK) {
              state = TO_LF;
            } else if (op == KW_CONNECT || op == KW_INFO) {
              state = ARG_SPACE; // nats-server lets the JSON follow the name directly
            } else {
              state = KW_SPACE;
            }
          }
          break;
        }
        case KW_SPACE: {
          byte b = buf.getByte(i++);
          if (b != ' ' && b != '\t') {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          state = ARG_SPACE;
          break;
        }
        case ARG_SPACE: {
          byte b = buf.getByte(i);
          if (b == ' ' || b == '\t') {
            i++;
          } else {
            lineLen = 0;
            state = ARG;
          }
          break;
        }
        case ARG: {
          int lf = buf.indexOf(i, end, (byte) '\n');
          int n = (lf < 0 ? end : lf) - i;
          if (!appendLine(buf, i, n)) {
            fail(ProtocolError.MAX_CONTROL_LINE, buf, i, end);
            return end;
          }
          if (lf < 0) {
            return end;
          }
          i = lf + 1;
          int len = lineLen;
          if (len > 0 && line[len - 1] == '\r') {
            len--;
          }
          if (maxControlLine > 0 && len > maxControlLine) {
            fail(ProtocolError.MAX_CONTROL_LINE, buf, i, end);
            return end;
          }
          state = OP_START;
          if (!dispatchLine(len)) {
            return end;
          }
          if (state == PAYLOAD) {
            i = payloadInPlace(buf, i, end);
            if (state == CLOSED) {
              return end;
            }
          }
          break;
        }
        case TO_LF: {
          int lf = buf.indexOf(i, end, (byte) '\n');
          if (lf < 0) {
            return end;
          }
          i = lf + 1;
          state = OP_START;
          if (op == KW_PING) {
            handler.onPing();
          } else if (op == KW_PONG) {
            handler.onPong();
          } else {
            handler.onOk();
          }
          if (state == CLOSED) {
            return end;
          }
          break;
        }
        case PAYLOAD: {
          int n = Math.min(pa.size - payloadLen, end - i);
          buf.getBytes(i, payload, payloadLen, n);
          payloadLen += n;
          i += n;
          if (payloadLen == pa.size) {
            state = PAYLOAD_CR;
          }
          break;
        }
        case PAYLOAD_CR: {
          if (buf.getByte(i++) != '\r') {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          state = PAYLOAD_LF;
          break;
        }
        case PAYLOAD_LF: {
          if (buf.getByte(i++) != '\n') {
            fail(ProtocolError.UNKNOWN_OPERATION, buf, i - 1, end);
            return end;
          }
          state = OP_START;
          if (payloadView == null || payloadView.array() != payload) {
            payloadView = Unpooled.wrappedBuffer(payload);
          }
          dispatchPayload(payloadView, 0);
          if (payload.length > KEEP_PAYLOAD_BUFFER) {
            // One large message must not pin its size in memory for the connection's lifetime.
            payload = null;
            payloadView = null;
          }
          break;
        }
        case CLOSED:
        default:
          return end;
      }
    }
    return end;
  }

  /** The link dialect's interest and message keywords for the 'R' or 'L' just read. */
  private void linkOps(byte[] plus, byte[] minus, byte[] msg) {
    linkPlus = plus;
    linkMinus = minus;
    linkMsg = msg;
    state = OP_LINK;
  }

  private byte[] linkPlus;
  private byte[] linkMinus;
  private byte[] linkMsg;

  private void startKeyword(byte[] kw) {
    keyword = kw;
    keywordPos = 1;
    state = KEYWORD;
  }

  /**
   * Hands over a payload that is whole in this read; otherwise starts gathering it. Returns the
   * index after what was consumed.
   */
  private int payloadInPlace(ByteBuf buf, int i, int end) {
    int size = pa.size;
    if (end - i >= size + 2) {
      if (buf.getByte(i + size) != '\r' || buf.getByte(i + size + 1) != '\n') {
        fail(ProtocolError.UNKNOWN_OPERATION, buf, i + size, end);
        return end;
      }
      state = OP_START;
      dispatchPayload(buf, i);
      return i + size + 2;
    }
    // The control line lives in `line`, which the next read must not overwrite: it is not
    // reused until this payload is dispatched, because no other op is parsed before that.
    if (payload == null || payload.length < size) {
      payload = new byte[Math.max(size, 512)];
    }
    payloadLen = 0;
    state = size == 0 ? PAYLOAD_CR : PAYLOAD;
    return i;
  }

  private boolean appendLine(ByteBuf buf, int from, int n) {
    int need = lineLen + n;
    // Allow the CR plus one byte of slack so a line of exactly max_control_line passes.
    if (need > maxControlLine + 2 && maxControlLine > 0) {
      return false;
    }
    if (need > line.length) {
      int grown = line.length * 2;
      if (maxControlLine > 0) {
        grown = Math.min(grown, maxControlLine + 2);
      }
      byte[] bigger = new byte[Math.max(need, grown)];
      System.arraycopy(line, 0, bigger, 0, lineLen);
      line = bigger;
      pa.line = bigger;
    }
    buf.getBytes(from, line, lineLen, n);
    lineLen = need;
    return true;
  }

  private void dispatchPayload(ByteBuf buf, int index) {
    if (routes != null) {
      routes.onRoutedMsg(pa, buf, index);
    } else if (leafs != null) {
      leafs.onLeafMsg(pa, buf, index);
    } else {
      handler.onPub(pa, buf, index);
    }
  }

  /** Returns false when the parser closed. */
  private boolean dispatchLine(int len) {
    byte[] o = op;
    if (o == KW_LMSG && leafs == null) {
      return parseRoutedMsg(len, true, true, true);
    } else if (o == KW_RMSG || o == KW_HMSG || o == KW_LMSG) {
      return parseRoutedMsg(len, o == KW_HMSG, leafs == null, false);
    } else if (o == KW_RS_PLUS || o == KW_RS_MINUS) {
      routes.onRemoteSub(line, 0, len, o == KW_RS_PLUS);
    } else if (o == KW_A_PLUS || o == KW_A_MINUS) {
      gateways.onAccountSub(line, 0, len, o == KW_A_PLUS);
    } else if (o == KW_LS_PLUS || o == KW_LS_MINUS) {
      if (leafs != null) {
        leafs.onLeafSub(line, 0, len, o == KW_LS_PLUS);
      } else {
        routes.onLeafOriginSub(line, 0, len, o == KW_LS_PLUS);
      }
    } else if (o == KW_PUB) {
      return parsePub(len, false);
    } else if (o == KW_HPUB) {
      if (!headersSupported) {
        fail(ProtocolError.HEADERS_NOT_SUPPORTED, "HPUB without headers support");
        return false;
      }
      return parsePub(len, true);
    } else if (o == KW_SUB) {
      handler.onSub(line, 0, len);
    } else if (o == KW_UNSUB) {
      handler.onUnsub(line, 0, len);
    } else if (o == KW_CONNECT) {
      handler.onConnect(line, 0, len);
    } else if (o == KW_INFO) {
      handler.onInfo(line, 0, len);
    } else if (o == KW_ERR) {
      handler.onErr(stripQuotes(new String(line, 0, len, StandardCharsets.UTF_8)));
    }
    return state != CLOSED;
  }

  private boolean parsePub(int len, boolean headers) {
    int[] starts = argStarts;
    int[] ends = argEnds;
    int n = 0;
    int start = -1;
    for (int i = 0; i < len; i++) {
      byte b = line[i];
      if (b == ' ' || b == '\t') {
        if (start >= 0) {
          if (n < starts.length) {
            starts[n] = start;
            ends[n] = i;
          }
          n++;
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      if (n < starts.length) {
        starts[n] = start;
        ends[n] = len;
      }
      n++;
    }
    PubArgs p = pa;
    int sizeArg;
    if (!headers) {
      if (n != 2 && n != 3) {
        fail(ProtocolError.BAD_PUB_ARGS, "processPub Parse Error");
        return false;
      }
      p.headerSize = -1;
      sizeArg = n - 1;
    } else {
      if (n != 3 && n != 4) {
        fail(ProtocolError.BAD_HPUB_ARGS, "processHeaderPub Parse Error");
        return false;
      }
      p.headerSizeOff = starts[n - 2];
      p.headerSizeLen = ends[n - 2] - starts[n - 2];
      p.headerSize = parseSize(line, starts[n - 2], ends[n - 2]);
      if (p.headerSize < 0) {
        fail(ProtocolError.BAD_HPUB_ARGS, "processHeaderPub Bad or Missing Header Size");
        return false;
      }
      sizeArg = n - 1;
    }
    p.subjectOff = starts[0];
    p.subjectLen = ends[0] - starts[0];
    boolean hasReply = headers ? n == 4 : n == 3;
    if (hasReply) {
      p.replyOff = starts[1];
      p.replyLen = ends[1] - starts[1];
    } else {
      p.replyOff = -1;
      p.replyLen = 0;
    }
    p.sizeOff = starts[sizeArg];
    p.sizeLen = ends[sizeArg] - starts[sizeArg];
    p.size = parseSize(line, p.sizeOff, ends[sizeArg]);
    if (p.size < 0) {
      fail(headers ? ProtocolError.BAD_HPUB_ARGS : ProtocolError.BAD_PUB_ARGS, "Bad or Missing Size");
      return false;
    }
    if (headers && p.headerSize > p.size) {
      fail(ProtocolError.BAD_HPUB_ARGS, "processHeaderPub Header Size larger then TotalSize");
      return false;
    }
    if (maxPayload > 0 && p.size > maxPayload) {
      fail(ProtocolError.MAX_PAYLOAD, "payload " + p.size + " > " + maxPayload);
      return false;
    }
    state = PAYLOAD;
    return true;
  }

  /**
   * nats-server's processRoutedMsgArgs and processRoutedHeaderMsgArgs: {@code account subject
   * [reply] [hdr] size}, or with queue groups {@code account subject + reply queue... [hdr] size}
   * and {@code account subject | queue... [hdr] size}; without the account on a leaf node link
   * (processLeafMsgArgs, processLeafHeaderMsgArgs); with the leaf cluster first and always a
   * header size on a route's LMSG (processRoutedOriginClusterMsgArgs).
   */
  private boolean parseRoutedMsg(int len, boolean headers, boolean withAccount, boolean withOrigin) {
    int n = splitArgs(len);
    int[] starts = routeStarts;
    int[] ends = routeEnds;
    PubArgs p = pa;
    int o = withOrigin ? 1 : 0;
    int a = o + (withAccount ? 1 : 0);
    int min = (headers ? 3 : 2) + a;
    String where = withOrigin ? "processRoutedOriginClusterMsgArgs"
        : withAccount ? (headers ? "processRoutedHeaderMsgArgs" : "processRoutedMsgArgs")
        : (headers ? "processLeafHeaderMsgArgs" : "processLeafMsgArgs");
    if (n < min) {
      fail(ProtocolError.BAD_ROUTED_MSG_ARGS, where + " Parse Error");
      return false;
    }
    if (withOrigin) {
      p.originOff = starts[0];
      p.originLen = ends[0] - starts[0];
    } else {
      p.originOff = -1;
      p.originLen = 0;
    }
    if (withAccount) {
      p.accountOff = starts[o];
      p.accountLen = ends[o] - starts[o];
    } else {
      p.accountOff = -1;
      p.accountLen = 0;
    }
    p.subjectOff = starts[a];
    p.subjectLen = ends[a] - starts[a];
    p.replyOff = -1;
    p.replyLen = 0;
    p.queueCount = 0;
    int fixed = headers ? 2 : 1; // [hdr] size at the end
    if (n == min + 1) {
      p.replyOff = starts[a + 1];
      p.replyLen = ends[a + 1] - starts[a + 1];
    } else if (n > min + 1) {
      byte marker = line[starts[a + 1]];
      int firstQueue;
      if (marker == '+' && ends[a + 1] - starts[a + 1] == 1) {
        p.replyOff = starts[a + 2];
        p.replyLen = ends[a + 2] - starts[a + 2];
        firstQueue = a + 3;
      } else if (marker == '|' && ends[a + 1] - starts[a + 1] == 1) {
        firstQueue = a + 2;
      } else {
        fail(ProtocolError.BAD_ROUTED_MSG_ARGS, where + " Bad or Missing Reply Indicator");
        return false;
      }
      p.queues(firstQueue, n - fixed, starts, ends);
    }
    if (headers) {
      p.headerSizeOff = starts[n - 2];
      p.headerSizeLen = ends[n - 2] - starts[n - 2];
      p.headerSize = parseSize(line, starts[n - 2], ends[n - 2]);
      if (p.headerSize < 0) {
        fail(ProtocolError.BAD_ROUTED_MSG_ARGS, where + " Bad or Missing Header Size");
        return false;
      }
    } else {
      p.headerSize = -1;
    }
    p.sizeOff = starts[n - 1];
    p.sizeLen = ends[n - 1] - starts[n - 1];
    p.size = parseSize(line, p.sizeOff, ends[n - 1]);
    if (p.size < 0 || (headers && p.headerSize > p.size)) {
      fail(ProtocolError.BAD_ROUTED_MSG_ARGS, where + " Bad or Missing Size");
      return false;
    }
    if (withOrigin && p.headerSize == 0) {
      p.headerSize = -1; // a route's LMSG always names a header size; 0 is none
    }
    state = PAYLOAD;
    return true;
  }

  private int[] routeStarts = new int[8];
  private int[] routeEnds = new int[8];

  /** Splits the control line on blanks into routeStarts/routeEnds, growing them; returns the count. */
  private int splitArgs(int len) {
    int n = 0;
    int start = -1;
    for (int i = 0; i <= len; i++) {
      boolean blank = i == len || line[i] == ' ' || line[i] == '\t';
      if (blank) {
        if (start >= 0) {
          if (n == routeStarts.length) {
            routeStarts = java.util.Arrays.copyOf(routeStarts, n * 2);
            routeEnds = java.util.Arrays.copyOf(routeEnds, n * 2);
          }
          routeStarts[n] = start;
          routeEnds[n] = i;
          n++;
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    return n;
  }

  private final int[] argStarts = new int[4];
  private final int[] argEnds = new int[4];

  /** nats-server's parseSize: 1 to 9 decimal digits, anything else is -1. */
  static int parseSize(byte[] b, int from, int to) {
    int len = to - from;
    if (len == 0 || len > MAX_SIZE_DIGITS) {
      return -1;
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      n = n * 10 + d;
    }
    return n;
  }

  private static String stripQuotes(String s) {
    s = s.trim();
    if (s.length() >= 2 && s.charAt(0) == '\'' && s.charAt(s.length() - 1) == '\'') {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private void fail(ProtocolError error, ByteBuf buf, int at, int end) {
    int n = Math.min(end - at, 32);
    String snippet = n <= 0 ? "" : buf.toString(at, n, StandardCharsets.UTF_8);
    fail(error, "state=" + state + " proto='" + snippet.replace("\r", "\\r").replace("\n", "\\n") + "...'");
  }

  private void fail(ProtocolError error, String detail) {
    state = CLOSED;
    handler.onProtocolError(error, detail);
  }

  /** Stops parsing, e.g. when the connection closes for a reason of its own. */
  public void close() {
    state = CLOSED;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
