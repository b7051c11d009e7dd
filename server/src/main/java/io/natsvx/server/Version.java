package io.natsvx.server;

import java.io.InputStream;
import java.util.Properties;

/** natsvx's own version (logs, -v, /varz) and the runtime it reports where nats-server says "go". */
public final class Version {

  private static final String VERSION = load();

  private Version() {}

  public static String natsvx() {
    return VERSION;
  }

  public static String runtime() {
    Runtime.Version v = Runtime.version();
    return "java" + v.feature() + "." + v.interim() + "." + v.update();
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/natsvx-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("natsvx.version");
        if (v != null && !v.startsWith("$")) {
          return v;
        }
      }
    } catch (Exception ignored) {
      // fall through to the development marker
    }
    return "dev";
  }
}
