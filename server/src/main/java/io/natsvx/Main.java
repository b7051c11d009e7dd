package io.natsvx;

import io.natsvx.server.EventBusAddresses;
import io.natsvx.server.ServerContext;
import io.natsvx.server.SystemServices;
import io.natsvx.server.Version;
import io.natsvx.config.ConfigException;
import io.natsvx.config.ConfigLoad;
import io.natsvx.config.OptionsReader;
import io.natsvx.config.ServerOptions;
import io.natsvx.log.ServerLog;
import io.natsvx.monitor.ServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The command line: nats-server's flags, a config file (YAML or nats.conf syntax), signals.
 * {@code java -jar server-fat.jar [flags]}.
 */
public final class Main {

  private final CommandLine commandLine;
  private final ServerLog log;
  private final Vertx vertx;
  private final NatsServerVerticle verticle;
  private final CountDownLatch exited = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final ProcessFiles files = new ProcessFiles();
  private final ServerOptions options;

  private Main(CommandLine commandLine, ServerOptions options) {
    this.commandLine = commandLine;
    this.options = options;
    this.log = new ServerLog(options.logtime(), options.debug(), options.trace(), options.logFile());
    int loops = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
    VertxOptions vertxOptions = new VertxOptions().setEventLoopPoolSize(loops);
    if (options.httpPort() != 0 || options.httpsPort() != 0) {
      // Vert.x reports into the same registry /metrics scrapes.
      PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
      this.vertx = Vertx.builder().with(vertxOptions).withMetrics(new MicrometerMetricsFactory(registry)).build();
      this.verticle = new NatsServerVerticle(options, log, registry);
    } else {
      this.vertx = Vertx.vertx(vertxOptions);
      this.verticle = new NatsServerVerticle(options, log, null);
    }
  }

  public static void main(String[] args) {
    // The standalone server checks its buffer use itself; Netty's per-access reference-count and
    // bounds checks cost measurable time per message. Embedders keep Netty's defaults.
    System.setProperty("io.netty.buffer.checkAccessible", System.getProperty("io.netty.buffer.checkAccessible", "false"));
    System.setProperty("io.netty.buffer.checkBounds", System.getProperty("io.netty.buffer.checkBounds", "false"));
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length > 0 && args[0].equals("passwd")) {
      return PasswdCommand.run(args);
    }
    CommandLine cl;
    try {
      cl = CommandLine.parse(args);
    } catch (CommandLineException e) {
      System.err.println(e.getMessage());
      if (e.showUsage()) {
        System.err.println(CommandLine.usage());
        return 2;
      }
      return 1;
    }
    if (cl.helpTls()) {
      System.out.println(CommandLine.tlsUsage());
      return 0;
    }
    if (cl.help()) {
      System.out.println(CommandLine.usage());
      return 0;
    }
    if (cl.version()) {
      System.out.println("natsvx: v" + Version.natsvx() + " (nats-server " + ServerContext.PROTOCOL_VERSION + " protocol level)");
      return 0;
    }
    if (cl.signal() != null) {
      return SignalSender.send(cl.signal());
    }
    ServerOptions options;
    try {
      options = loadOptions(cl);
    } catch (ConfigException e) {
      for (String w : e.warnings()) {
        System.err.println("natsvx: warning: " + w);
      }
      System.err.println("natsvx: " + e.getMessage());
      return 1;
    }
    if (!options.cluster().enabled() && !options.cluster().routes().isEmpty()) {
      // nats-server's validateOptions, before anything starts
      System.err.println("natsvx: solicited routes require cluster capabilities, e.g. --cluster");
      return 1;
    }
    if (cl.testConfig()) {
      System.err.println("natsvx: configuration file " + cl.configFile() + " is valid");
      return 0;
    }
    return new Main(cl, options).serve();
  }

  /** Defaults, then the config file, then the flags. Prints the file's warnings. */
  static ServerOptions loadOptions(CommandLine cl) throws ConfigException {
    ServerOptions.Builder b = ServerOptions.builder();
    Path file = cl.configFile();
    if (file != null) {
      ConfigLoad load = OptionsReader.load(file);
      for (String w : load.warnings()) {
        System.err.println("natsvx: warning: " + w);
      }
      b = load.options().toBuilder().configFile(file.toString());
    }
    return cl.applyTo(b).build();
  }

  private int serve() {
    try {
      files.writePid(options);
    } catch (Exception e) {
      log.error("Could not write pid file: " + e.getMessage());
    }
    // Before the port opens: whoever sees it may signal us at once.
    installSignals();
    try {
      vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (stopping.get()) {
        awaitExit(); // a signal asked us to stop while starting: that is a clean exit
        return 0;
      }
      log.fatal(String.valueOf(e.getMessage()));
      log.close();
      vertx.close();
      files.remove();
      return 1;
    }
    try {
      files.writePorts(options, verticle.port());
    } catch (Exception e) {
      log.error("Could not write ports file: " + e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "natsvx-shutdown"));
    awaitExit();
    return 0;
  }

  private void awaitExit() {
    try {
      exited.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void installSignals() {
    handle("TERM", s -> { log.info("Trapped \"terminated\" signal"); exit(); });
    handle("INT", s -> { log.info("Trapped \"interrupt\" signal"); exit(); });
    handle("HUP", s -> reload());
    handle("USR1", s -> { log.info("Reopening log file"); log.reopen(); });
    // Not USR2 as nats-server: the JVM suspends threads with it (see SignalSender).
    handle("PWR", s -> vertx.runOnContext(v -> verticle.lameDuck().onComplete(r -> exit())));
  }

  private void handle(String name, sun.misc.SignalHandler h) {
    try {
      Signal.handle(new Signal(name), h);
    } catch (IllegalArgumentException e) {
      log.warn("Cannot handle signal " + name + ": " + e.getMessage());
    }
  }

  private void reload() {
    ServerOptions next;
    try {
      next = loadOptions(commandLine);
    } catch (ConfigException e) {
      log.error("Failed to reload server configuration: " + e.getMessage().replace('\n', ' '));
      return;
    }
    vertx.runOnContext(v -> verticle.reload(next));
  }

  /** Runs the shutdown off the signal thread and lets main return. */
  private void exit() {
    new Thread(() -> {
      shutdown();
      exited.countDown();
    }, "natsvx-exit").start();
  }

  private void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("Shutdown: " + e.getMessage());
    }
    files.remove();
    log.close();
  }
}
