package io.natsvx.jetstream.api;

import io.natsvx.jetstream.JetStream;
import io.natsvx.jetstream.JsAccount;
import io.natsvx.server.ServerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code $JS.API} of every JetStream account, started once JetStream has restored its
 * streams and stopped before it closes them. The API sits on top of JetStream: JetStream does
 * not know it. Started and stopped by the root verticle.
 */
public final class JsApis {

  private final List<JsApi> apis = new ArrayList<>();

  private JsApis() {}

  /** Subscribes each JetStream account's API. */
  public static JsApis start(ServerContext server, JetStream jetStream) {
    JsApis all = new JsApis();
    for (JsAccount jsa : jetStream.accounts()) {
      JsApi api = new JsApi(server, jetStream, jsa);
      api.start();
      all.apis.add(api);
    }
    return all;
  }

  public void stop() {
    apis.forEach(JsApi::stop);
  }
}
