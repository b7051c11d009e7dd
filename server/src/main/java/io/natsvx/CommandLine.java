package io.natsvx;

import io.natsvx.config.AuthorizationReader;
import io.natsvx.config.ClusterOptions;
import io.natsvx.config.Defaults;
import io.natsvx.config.OptionsReader;
import io.natsvx.config.ServerOptions;
import io.natsvx.config.TlsCiphers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * nats-server's command line (server/opts.go {@code ConfigureOptions}), read the way Go's flag
 * package reads it: {@code -flag value}, {@code -flag=value}, {@code --flag value},
 * {@code --flag=value}; booleans as {@code -D} or {@code -D=false} (so {@code -T false} is not
 * "logtime off" but a stray argument, as in nats-server); flags stop at the first non-flag
 * argument or {@code --}; after them only "version" or "help" may follow. Flags of features
 * natsvx does not have yet are parsed, then rejected. Immutable once parsed.
 */
public final class CommandLine {

  private enum Type { BOOL, STRING, INT }

  @FunctionalInterface
  private interface Action {
    void apply(CommandLine cl, String written, String value) throws CommandLineException;
  }

  private record Spec(Type type, Action action) {}

  private static final Map<String, Spec> FLAGS = new HashMap<>();

  static {
    bool((cl, w, v) -> cl.help = Boolean.parseBoolean(v), "h", "help");
    bool((cl, w, v) -> cl.version = Boolean.parseBoolean(v), "v", "version");
    // -conf is a natsvx alias; nats-server knows only -c and --config.
    string((cl, w, v) -> cl.configFile = v.isEmpty() ? null : Path.of(v), "c", "config", "conf");
    bool((cl, w, v) -> cl.testConfig = Boolean.parseBoolean(v), "t");
    string((cl, w, v) -> cl.signalText = v.isEmpty() ? null : v, "sl", "signal");
    string((cl, w, v) -> cl.override(b -> b.host(v.isEmpty() ? Defaults.HOST : v)),
        "a", "addr", "net");
    integer((cl, w, v) -> {
      int port = cl.port(w, v);
      cl.override(b -> b.port(OptionsReader.clientPort(port)));
    }, "p", "port");
    string((cl, w, v) -> cl.override(b -> b.serverName(v.isEmpty() ? null : v)),
        "n", "name", "server_name");
    string((cl, w, v) -> cl.override(b -> b.pidFile(v.isEmpty() ? null : v)), "P", "pid");
    integer((cl, w, v) -> {
      int port = cl.port(w, v);
      cl.override(b -> b.httpPort(port));
    }, "m", "http_port");
    string((cl, w, v) -> cl.override(b -> b.logFile(v.isEmpty() ? null : v)), "l", "log");
    string((cl, w, v) -> cl.override(b -> b.portsFileDir(v.isEmpty() ? null : v)),
        "ports_file_dir");
    string((cl, w, v) -> cl.override(b -> b.pluginsDir(v.isEmpty() ? null : v)), "plugins_dir");
    bool((cl, w, v) -> cl.override(b -> b.logtime(Boolean.parseBoolean(v))), "T", "logtime");
    bool((cl, w, v) -> cl.override(b -> b.debug(Boolean.parseBoolean(v))), "D", "debug");
    // -VV traces the system account too; there is none yet, so it is plain tracing here.
    bool((cl, w, v) -> cl.override(b -> b.trace(Boolean.parseBoolean(v))), "V", "trace", "VV");
    bool((cl, w, v) -> cl.override(b -> b.debug(Boolean.parseBoolean(v))
        .trace(Boolean.parseBoolean(v))), "DV", "DVV");
    // Kept apart and merged last: together they decide between token and user (see applyTo).
    string((cl, w, v) -> cl.authUser = v, "user");
    string((cl, w, v) -> cl.authPass = v, "pass");
    string((cl, w, v) -> cl.authToken = v, "auth");
    // Also merged last, as nats-server decides on them together (see TlsFlags).
    bool((cl, w, v) -> cl.tls.tls(Boolean.parseBoolean(v)), "tls");
    bool((cl, w, v) -> cl.tls.verify(Boolean.parseBoolean(v)), "tlsverify");
    string((cl, w, v) -> cl.tls.cert(v), "tlscert");
    string((cl, w, v) -> cl.tls.key(v), "tlskey");
    string((cl, w, v) -> cl.tls.caCert(v), "tlscacert");
    // Shows the general help: Main prints usage() for help(); tlsUsage() has the details.
    bool((cl, w, v) -> {
      if (Boolean.parseBoolean(v)) {
        cl.helpTls = true;
        cl.help = true;
      }
    }, "help_tls");

    // Later features: the value is consumed like nats-server does, then the flag is refused.
    Action refuse = (cl, w, v) -> cl.unsupported.add(w);
    Action refuseUnlessFalse = (cl, w, v) -> {
      if (Boolean.parseBoolean(v)) {
        cl.unsupported.add(w); // "-js=false" asks for what natsvx does anyway
      }
    };
    string((cl, w, v) -> cl.override(b -> b.jetStream(b.jetStream().withStoreDir(v.isEmpty() ? null : v))),
        "sd", "store_dir");
    bool((cl, w, v) -> cl.override(b -> b.jetStream(b.jetStream().withEnabled(Boolean.parseBoolean(v)))),
        "js", "jetstream");
    string((cl, w, v) -> {
      java.util.List<java.net.URI> routes = new ArrayList<>();
      for (String r : v.isEmpty() ? new String[0] : v.split(",")) {
        java.net.URI u = ClusterOptions.parseRoute(r.trim());
        if (u == null) {
          throw new CommandLineException("natsvx: error parsing route url [\"" + r.trim() + "\"]", false);
        }
        routes.add(u);
      }
      cl.override(b -> b.cluster(b.cluster().withRoutes(routes)));
    }, "routes");
    string((cl, w, v) -> {
      ClusterOptions listen = clusterListen(v);
      cl.override(b -> b.cluster(b.cluster().withListen(listen.host(), listen.port())
          .withCredentials(listen.user(), listen.password())));
    }, "cluster", "cluster_listen");
    string((cl, w, v) -> cl.override(b -> b.cluster(b.cluster().withName(v.isEmpty() ? null : v))), "cluster_name");
    string((cl, w, v) -> cl.override(b -> b.cluster(b.cluster().withAdvertise(v.isEmpty() ? null : v))),
        "cluster_advertise");
    string((cl, w, v) -> cl.override(b -> b.clientAdvertise(v.isEmpty() ? null : v)), "client_advertise");
    bool((cl, w, v) -> cl.override(b -> b.cluster(b.cluster().withNoAdvertise(Boolean.parseBoolean(v)))),
        "no_advertise");
    integer((cl, w, v) -> cl.override(b -> b.cluster(b.cluster().withConnectRetries(Integer.parseInt(v)))),
        "connect_retries");
    string(refuse, "r", "remote_syslog");
    integer((cl, w, v) -> {
      int port = cl.port(w, v);
      cl.override(b -> b.httpsPort(port));
    }, "ms", "https_port");
    integer(refuse, "profile", "max_traced_msg_len",
        "log_size_limit");
    bool(refuseUnlessFalse, "s", "syslog");
  }

  /**
   * nats-server's overrideCluster: {@code nats://[user:pass@]host:port} ({@code :-1} for a random
   * port); empty turns clustering off. Only host, port and the credentials are set.
   */
  private static ClusterOptions clusterListen(String v) throws CommandLineException {
    if (v.isEmpty()) {
      return ClusterOptions.NONE.withListen(ClusterOptions.NONE.host(), 0);
    }
    boolean random = v.endsWith(":-1");
    java.net.URI u;
    try {
      u = new java.net.URI(random ? v.substring(0, v.length() - 3) + ":0" : v);
    } catch (java.net.URISyntaxException e) {
      throw new CommandLineException("natsvx: " + e.getMessage(), false);
    }
    if (u.getHost() == null || u.getPort() < 0) {
      throw new CommandLineException("natsvx: address " + v + ": missing port in address", false);
    }
    String user = null;
    String pass = null;
    if (u.getUserInfo() != null) {
      int colon = u.getUserInfo().indexOf(':');
      if (colon < 0) {
        throw new CommandLineException("natsvx: expected cluster password to be set", false);
      }
      user = u.getUserInfo().substring(0, colon);
      pass = u.getUserInfo().substring(colon + 1);
    }
    return ClusterOptions.NONE.withListen(u.getHost(), random ? -1 : u.getPort()).withCredentials(user, pass);
  }

  private static final List<String> SIGNALS =
      List.of("ldm", "stop", "quit", "term", "reopen", "reload");

  private Path configFile;
  private boolean testConfig;
  private String signalText;
  private SignalRequest signal;
  private boolean help;
  private boolean version;
  private boolean helpTls;
  private final TlsFlags tls = new TlsFlags();
  private final List<Consumer<ServerOptions.Builder>> overrides = new ArrayList<>();
  private final List<String> unsupported = new ArrayList<>();
  private String authUser;
  private String authPass;
  private String authToken;

  private CommandLine() {}

  /**
   * Parses the arguments (without the program name).
   *
   * @throws CommandLineException for a malformed flag ({@link CommandLineException#showUsage()}
   *     true: print the usage after the message, as nats-server does) or an unusable request
   */
  public static CommandLine parse(String[] args) throws CommandLineException {
    CommandLine cl = new CommandLine();
    int i = 0;
    while (i < args.length) {
      String s = args[i];
      if (s.length() < 2 || s.charAt(0) != '-') {
        break; // the first non-flag argument ends the flags
      }
      int minuses = 1;
      if (s.charAt(1) == '-') {
        minuses = 2;
        if (s.length() == 2) {
          i++; // "--" ends the flags
          break;
        }
      }
      String name = s.substring(minuses);
      if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
        throw new CommandLineException("bad flag syntax: " + s, true);
      }
      i++;
      String value = null;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Spec spec = FLAGS.get(name);
      if (spec == null) {
        throw new CommandLineException("flag provided but not defined: -" + name, true);
      }
      if (spec.type() == Type.BOOL) {
        value = value == null ? "true" : goBool(name, value);
      } else if (value == null) {
        if (i >= args.length) {
          throw new CommandLineException("flag needs an argument: -" + name, true);
        }
        value = args[i++]; // as in Go, even a value that starts with '-'
      }
      if (spec.type() == Type.INT) {
        value = Long.toString(goInt(name, value));
      }
      spec.action().apply(cl, "-".repeat(minuses) + name, value);
    }
    if (cl.help || cl.version) {
      return cl; // nats-server answers these before looking at anything else
    }
    if (i < args.length) {
      String command = args[i];
      switch (command.toLowerCase(Locale.ROOT)) {
        case "version":
          cl.version = true;
          return cl;
        case "help":
          cl.help = true;
          return cl;
        default:
          throw new CommandLineException("natsvx: unrecognized command: \"" + command + "\"", false);
      }
    }
    if (!cl.unsupported.isEmpty()) {
      throw new CommandLineException("natsvx: " + String.join(", ", cl.unsupported)
          + (cl.unsupported.size() == 1 ? " is" : " are") + " not supported yet", false);
    }
    if (cl.signalText != null) {
      cl.signal = signalRequest(cl.signalText);
      return cl; // nats-server sends the signal without looking at the other flags
    }
    if (cl.testConfig && cl.configFile == null) {
      throw new CommandLineException(
          "natsvx: must specify [-c, --config] option to check configuration file syntax", false);
    }
    // nats-server skips this with -t; checking it too tells the whole truth about the flags.
    cl.tls.validate();
    return cl;
  }

  /** The config file of -c/--config/-conf, or null. Read it with {@link OptionsReader#load}. */
  public Path configFile() {
    return configFile;
  }

  /** -t: check the config file and exit. */
  public boolean testConfig() {
    return testConfig;
  }

  /** -sl/--signal, or null. When set, nats-server sends it and exits without starting. */
  public SignalRequest signal() {
    return signal;
  }

  /** -h/--help or "help": print {@link #usage()} and exit. */
  public boolean help() {
    return help;
  }

  /** --help_tls: print {@link #tlsUsage()} and exit ({@link #help()} is true as well). */
  public boolean helpTls() {
    return helpTls;
  }

  /** -v/--version or "version": print the version and exit. */
  public boolean version() {
    return version;
  }

  /**
   * Applies the option flags, in the order given, on top of {@code b} (flags beat the file).
   * {@code --user}, {@code --pass} and {@code --auth} replace the file's single user, password and
   * token; as in nats-server, a {@code users} list in the file (or an account's) takes precedence
   * over them, and a token over a user. The TLS flags replace the file's {@code tls} block as
   * described in {@link TlsFlags}; {@code --tls=false} removes it.
   */
  public ServerOptions.Builder applyTo(ServerOptions.Builder b) {
    for (Consumer<ServerOptions.Builder> o : overrides) {
      o.accept(b);
    }
    if (authUser != null || authPass != null || authToken != null) {
      b.authorization(AuthorizationReader.withFlags(b.build(), authUser, authPass,
          authToken));
    }
    tls.applyTo(b);
    return b;
  }

  /** The help text, in the layout of {@code nats-server --help}, listing what natsvx supports. */
  public static String usage() {
    return USAGE;
  }

  /** The {@code --help_tls} text: the tls block, and the cipher suites and curves it knows. */
  public static String tlsUsage() {
    StringBuilder sb = new StringBuilder(TLS_USAGE);
    TlsCiphers.names().forEach(n -> sb.append("    ").append(n)
        .append(TlsCiphers.isInsecure(n) ? "  (insecure: needs allow_insecure_cipher_suites)" : "")
        .append('\n'));
    sb.append("\nAvailable curve preferences include (accepted, not applied yet):\n");
    TlsCiphers.CURVES.forEach(n -> sb.append("    ").append(n).append('\n'));
    return sb.toString();
  }

  // ---- helpers ----

  private void override(Consumer<ServerOptions.Builder> o) {
    overrides.add(o);
  }

  private int port(String written, String value) throws CommandLineException {
    long port = Long.parseLong(value);
    if (port < -1 || port > 65535) {
      throw new CommandLineException("natsvx: " + written + " " + value
          + " is not a port (0 to 65535, or -1 for a random port)", false);
    }
    return (int) port;
  }

  private static SignalRequest signalRequest(String text) throws CommandLineException {
    String[] parts = text.split("=", -1);
    if (parts.length > 2) {
      List<String> extra = List.of(parts).subList(2, parts.length);
      throw new CommandLineException("natsvx: invalid signal parameters: ["
          + String.join(" ", extra) + "]", false);
    }
    if (!SIGNALS.contains(parts[0])) {
      throw new CommandLineException("natsvx: unknown signal \"" + parts[0] + "\"", false);
    }
    String pid = parts.length == 2 && !parts[1].isEmpty() ? parts[1] : null;
    return new SignalRequest(parts[0], pid);
  }

  /** Go's strconv.ParseBool, as the flag package uses it. */
  private static String goBool(String name, String value) throws CommandLineException {
    switch (value) {
      case "1": case "t": case "T": case "TRUE": case "true": case "True":
        return "true";
      case "0": case "f": case "F": case "FALSE": case "false": case "False":
        return "false";
      default:
        throw new CommandLineException("invalid boolean value \"" + value + "\" for -" + name
            + ": parse error", true);
    }
  }

  /** Go's strconv.ParseInt(s, 0, 64): decimal, 0x…, 0o…, 0b…, 0… octal, '_' between digits. */
  static long goInt(String name, String value) throws CommandLineException {
    String s = value;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    int radix = 10;
    boolean prefixed = false;
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x") || lower.startsWith("0o") || lower.startsWith("0b")) {
      radix = lower.charAt(1) == 'x' ? 16 : lower.charAt(1) == 'o' ? 8 : 2;
      s = s.substring(2);
      prefixed = true;
    } else if (s.length() > 1 && s.startsWith("0")) {
      radix = 8;
      s = s.substring(1);
      prefixed = true;
    }
    if (prefixed && s.startsWith("_")) {
      s = s.substring(1); // Go allows "0x_1F"
    }
    boolean badUnderscore = s.contains("__") || s.startsWith("_") || s.endsWith("_")
        || (!prefixed && s.contains("_"));
    if (s.isEmpty() || badUnderscore) {
      throw badInt(name, value, "parse error");
    }
    try {
      java.math.BigInteger v = new java.math.BigInteger(s.replace("_", ""), radix);
      return (negative ? v.negate() : v).longValueExact();
    } catch (NumberFormatException e) {
      throw badInt(name, value, "parse error");
    } catch (ArithmeticException e) {
      throw badInt(name, value, "value out of range");
    }
  }

  private static CommandLineException badInt(String name, String value, String why) {
    return new CommandLineException("invalid value \"" + value + "\" for flag -" + name + ": "
        + why, true);
  }

  private static void bool(Action a, String... names) {
    define(Type.BOOL, a, names);
  }

  private static void string(Action a, String... names) {
    define(Type.STRING, a, names);
  }

  private static void integer(Action a, String... names) {
    define(Type.INT, a, names);
  }

  private static void define(Type type, Action a, String... names) {
    for (String n : names) {
      if (FLAGS.put(n, new Spec(type, a)) != null) {
        throw new IllegalStateException("flag defined twice: " + n);
      }
    }
  }

  private static final String USAGE = """

      Usage: natsvx [options]

      Server Options:
          -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
          -p, --port <port>                Use port for clients (default: 4222)
          -n, --name
              --server_name <server_name>  Server name (default: auto)
          -P, --pid <file>                 File to store PID
          -m, --http_port <port>           Use port for http monitoring
          -ms,--https_port <port>          Use port for https monitoring
          -c, --config <file>              Configuration file (.yaml/.yml: YAML, else nats.conf)
          -t                               Test configuration and exit
              --plugins_dir <dir>          Load plugin jars from this directory
          -js,--jetstream                  Enable JetStream functionality
          -sd,--store_dir <dir>            Set the storage directory
          -sl,--signal <signal>[=<pid>]    Send signal to natsvx process (ldm, stop, quit, term, reopen, reload)
                                           pid> can be either a PID (e.g. 1) or the path to a PID file (e.g. /var/run/natsvx.pid)
              --ports_file_dir <dir>       Creates a ports file in the specified directory (<executable_name>_<pid>.ports).

      Logging Options:
          -l, --log <file>                 File to redirect log output
          -T, --logtime                    Timestamp log entries (default: true; -T=false to turn off)
          -D, --debug                      Enable debugging output
          -V, --trace                      Trace the raw protocol
          -VV                              Verbose trace (same as -V: there is no system account yet)
          -DV                              Debug and trace
          -DVV                             Debug and verbose trace

      Authorization Options:
              --user <user>                User required for connections
              --pass <password>            Password required for connections
              --auth <token>               Authorization token required for connections
                                           (a users list in the config file takes precedence)

      TLS Options:
              --tls                        Enable TLS, do not verify clients (default: false)
              --tlscert <file>             Server certificate file
              --tlskey <file>              Private key for server certificate
              --tlsverify                  Enable TLS, verify client certificates
              --tlscacert <file>           Client certificate CA for verification
                                           (any of them replaces the file's tls block and needs
                                           --tlscert and --tlskey; --tls=false turns TLS off)

      Cluster Options:
              --routes <rurl-1, rurl-2>    Routes to solicit and connect
              --cluster <cluster-url>      Cluster URL for solicited routes
              --cluster_listen <url>       Same as --cluster
              --cluster_name <string>      Cluster Name, if not set one will be dynamically generated
              --no_advertise <bool>        Do not advertise known cluster information to clients
              --cluster_advertise <str>    Cluster URL to advertise to other servers
              --connect_retries <number>   For implicit routes, number of connect retries
              --client_advertise <str>     Client URL to advertise to other servers

      Not supported yet (accepted by nats-server; natsvx refuses them with an error):
          -s, --syslog, -r, --remote_syslog,
          --log_size_limit, --max_traced_msg_len, --profile

      Common Options:
          -h, --help                       Show this message
          -v, --version                    Show version
              --help_tls                   TLS help
      """;

  private static final String TLS_USAGE = """

      TLS configuration is specified in the tls section of a configuration file:

      e.g.

          tls {
              cert_file:      "./certs/server-cert.pem"
              key_file:       "./certs/server-key.pem"
              ca_file:        "./certs/ca.pem"
              verify:         true
              timeout:        2

              cipher_suites: [
                  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
              ]
          }

      Also: verify_and_map, min_version ("1.2" or "1.3"), handshake_first,
      allow_insecure_cipher_suites. See conf/tls.conf for how to make certificates.

      Available cipher suites include:
      """;
}
