package io.natsvx.config;

import io.natsvx.config.LeafNodeOptions.LeafUser;
import io.natsvx.config.LeafNodeOptions.Remote;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code leafnodes} block, with nats-server's keys and words (opts.go parseLeafNodes). */
final class LeafNodeReader {

  private final ValueReader values;
  // The block as read so far.
  private String host;
  private int port;
  private String advertise;
  private boolean noAdvertise;
  private TlsOptions tls;
  private String user;
  private String password;
  private String nkey;
  private String account;
  private List<LeafUser> users;
  private Duration authTimeout;
  private Duration reconnect;
  private List<Remote> remotes;

  LeafNodeReader(ValueReader values) {
    this.values = values;
  }

  LeafNodeOptions read(ConfNode block, String key) {
    LeafNodeOptions n = LeafNodeOptions.NONE;
    if (!block.isMap()) {
      values.error(block, key, "Expected map to define a leafnode, got " + ValueReader.describe(block));
      return n;
    }
    host = n.host();
    port = n.port();
    users = List.of();
    authTimeout = n.authTimeout();
    reconnect = n.reconnect();
    remotes = List.of();
    new ConfKeys(values)
        .on("listen", (v, k) -> ConfKeys.set(values.hostPort(v, k), hp -> {
          host = hp.host().isEmpty() ? host : hp.host();
          port = hp.port();
        }))
        .integer("port", -1, 65535, p -> port = p)
        .string("host net", h -> host = h)
        .string("leafnode_advertise advertise", a -> advertise = a)
        .bool("no_advertise", b -> noAdvertise = b)
        .on("tls", (v, k) -> ConfKeys.set(new TlsReader(values).read(v, k), t -> tls = t))
        .on("authorization", this::authorization)
        .on("remotes", (v, k) -> ConfKeys.set(remotes(v, k), r -> remotes = r))
        .on("reconnect reconnect_delay reconnect_interval", (v, k) -> ConfKeys.set(values.integer(v, k, 0,
            Integer.MAX_VALUE), s -> reconnect = Duration.ofSeconds(s)))
        .on("compression", (v, k) -> {
          if (!(v.isBoolean() && !v.asBoolean()) && !(v.isString() && v.asString().equalsIgnoreCase("off"))) {
            values.warning(v, k, "natsvx does not compress leaf node links yet; compression is off");
          }
        })
        .warning("min_version minimum_version", "not supported yet, ignored")
        .read(block.asMap(), key);
    if (user != null && !users.isEmpty()) {
      values.error(block, key, "can not have a single user/pass and a users array");
    }
    return new LeafNodeOptions(host, port, advertise, noAdvertise, tls, user, password, nkey, account, users,
        authTimeout,
        reconnect, remotes);
  }

  /** nats-server's parseLeafAuthorization: one user or a list, each with its account, and a timeout. */
  private void authorization(ConfNode v, String key) {
    if (!v.isMap()) {
      values.error(v, key, "Expected map to define authorization, got " + ValueReader.describe(v));
      return;
    }
    new ConfKeys(values)
        .string("user username", u -> user = u)
        .string("pass password", p -> password = p)
        .on("nkey", (n, k) -> {
          String key2 = values.string(n, k);
          if (key2 != null && !io.natsvx.internal.NKeys.isUserKey(key2)) {
            values.error(n, k, "Not a valid public nkey for leafnode authorization");
          } else {
            nkey = key2;
          }
        })
        .on("timeout", (n, k) -> ConfKeys.set(values.seconds(n, k), d -> authTimeout = d))
        .string("account", a -> account = a)
        .on("users", (n, k) -> ConfKeys.set(users(n, k), u -> users = u))
        .read(v.asMap(), key);
  }

  private List<LeafUser> users(ConfNode v, String key) {
    if (!v.isList()) {
      values.error(v, key, "Expected users field to be an array, got " + ValueReader.describe(v));
      return null;
    }
    List<LeafUser> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfNode u : v.asList()) {
      if (!u.isMap()) {
        values.error(u, key, "Expected user entry to be a map/struct, got " + ValueReader.describe(u));
        continue;
      }
      String[] f = new String[3];
      new ConfKeys(values)
          .string("user username", s -> f[0] = s)
          .string("pass password", s -> f[1] = s)
          .string("account", s -> f[2] = s)
          .read(u.asMap(), key);
      if (f[0] != null && !seen.add(f[0])) {
        values.error(u, key, "duplicate user \"" + f[0] + "\" detected in leafnode authorization");
        continue;
      }
      out.add(new LeafUser(f[0], f[1], f[2]));
    }
    return out;
  }

  private List<Remote> remotes(ConfNode v, String key) {
    if (!v.isList()) {
      values.error(v, key, "Expected remotes field to be an array, got " + ValueReader.describe(v));
      return null;
    }
    List<Remote> out = new ArrayList<>();
    for (ConfNode r : v.asList()) {
      if (!r.isMap()) {
        values.error(r, key, "Expected remote leafnode entry to be a map/struct, got " + ValueReader.describe(r));
        continue;
      }
      Remote remote = remote(r, key);
      if (remote != null) {
        out.add(remote);
      }
    }
    return out;
  }

  private Remote remote(ConfNode r, String key) {
    List<URI> urls = new ArrayList<>();
    boolean[] flags = new boolean[4]; // no_randomize, hub, ws_no_masking, ws_compression
    String[] s = new String[3]; // account, credentials, nkey
    TlsOptions[] t = new TlsOptions[1];
    List<List<String>> deny = new ArrayList<>(List.of(List.of(), List.of()));
    Duration[] firstInfo = {LeafNodeOptions.DEFAULT_FIRST_INFO_TIMEOUT};
    PermissionsReader subjects = new PermissionsReader(values);
    new ConfKeys(values)
        .bool("no_randomize dont_randomize", b -> flags[0] = b)
        .on("url urls", (n, k) -> urls.addAll(values.urls(n, k, "leafnode")))
        .string("account local", a -> s[0] = a)
        .string("creds credentials", c -> s[1] = c)
        .on("nkey seed", (n, k) -> {
          String seed = values.string(n, k);
          if (seed == null) {
            return;
          }
          if (!io.natsvx.internal.UserCredentials.isUserSeed(seed)) {
            values.error(n, k, "Remote leafnode nkey is not a valid seed: " + GoQuote.quote(seed));
          } else if (s[1] != null) {
            values.error(n, k, "Remote leafnode can not have both creds and nkey defined");
          } else {
            s[2] = seed;
          }
        })
        .on("tls", (n, k) -> ConfKeys.set(new TlsReader(values).readDialer(n, k), x -> t[0] = x))
        .bool("hub", b -> flags[1] = b)
        .on("deny_imports deny_import", (n, k) -> ConfKeys.set(subjects.subjects(n, k, false), l -> deny.set(0, l)))
        .on("deny_exports deny_export", (n, k) -> ConfKeys.set(subjects.subjects(n, k, false), l -> deny.set(1, l)))
        .duration("first_info_timeout", d -> firstInfo[0] = d)
        .bool("ws_compress ws_compression websocket_compress websocket_compression", b -> flags[3] = b)
        .bool("ws_no_masking websocket_no_masking", b -> flags[2] = b)
        .warning("jetstream_cluster_migrate js_cluster_migrate", "not supported yet, ignored")
        .read(r.asMap(), key);
    // nats-server's validateLeafNode: a remote's URLs are all WebSocket ones or none are.
    for (URI u : urls) {
      if (webSocket(u) != webSocket(urls.get(0))) {
        values.error(r, key, "remote leaf node configuration cannot have a mix of websocket and non-websocket urls: "
            + urls.stream().map(x -> GoQuote.quote(x.toString())).collect(java.util.stream.Collectors.joining(" ", "[", "]")));
        return null;
      }
    }
    return new Remote(urls, flags[0], s[0], s[1], t[0], flags[1], deny.get(0), deny.get(1), firstInfo[0], flags[2],
        flags[3], s[2]);
  }

  private static boolean webSocket(URI u) {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    return scheme.equals("ws") || scheme.equals("wss");
  }


  /**
   * nats-server's validateLeafNode, on the final options: accounts named must exist (outside
   * operator mode), where an operator requires account keys.
   */
  static void check(ValueReader values, ConfNode at, LeafNodeOptions o, ServerOptions server) {
    if (server.operator() == null) {
      Set<String> names = new HashSet<>();
      server.accounts().forEach(a -> names.add(a.name()));
      names.add("$G");
      names.add("");
      if (server.systemAccount() != null) {
        names.add(server.systemAccount());
      }
      names.add("$SYS");
      if (o.account() != null && !names.contains(o.account())) {
        values.error(at, "leafnodes", "cannot find local account \"" + o.account()
            + "\" specified in leafnode authorization");
      }
      for (LeafUser u : o.users()) {
        if (u.account() != null && !names.contains(u.account())) {
          values.error(at, "leafnodes", "cannot find local account \"" + u.account()
              + "\" specified in leafnode authorization");
        }
      }
      for (Remote r : o.remotes()) {
        if (r.account() != null && !names.contains(r.account())) {
          values.error(at, "leafnodes", "cannot find local account \"" + r.account()
              + "\" specified in leafnode remote");
        }
      }
      return;
    }
    if (!o.users().isEmpty()) {
      values.error(at, "leafnodes", "operator mode does not allow specifying user in leafnode config");
    }
    for (Remote r : o.remotes()) {
      if (r.account() == null || io.natsvx.internal.NKeyCodec.decode(r.account(), io.natsvx.internal.NKeyCodec.PREFIX_ACCOUNT) == null) {
        values.error(at, "leafnodes", "operator mode requires account nkeys in remotes. Please add an `account` key "
            + "to each remote in your `leafnodes` section, to assign it to an account. Each account value should be "
            + "a 56 character public key, starting with the letter 'A'");
        break;
      }
    }
  }
}
