package io.natsvx.plugin;

import io.natsvx.plugin.api.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds the plugins in a directory: every {@code *.jar} gets its own {@link PluginClassLoader}
 * and is searched with {@link ServiceLoader}. A jar that cannot be read, whose service cannot be
 * instantiated, or that throws, is reported by file name and left out; the others load. Reads
 * files: worker only.
 */
public final class PluginLoader {

  /** What a scan found: plugins, the class loaders to close later, and what failed. */
  public record Result(List<LoadedPlugin> plugins, List<AutoCloseable> loaders, List<String> failures) {}

  private PluginLoader() {}

  public static Result load(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return loadJars(s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList());
    } catch (IOException e) {
      return new Result(List.of(), List.of(), List.of(dir + ": " + e.getMessage()));
    }
  }

  /** Loads these jars, each with its own class loader. */
  public static Result loadJars(List<Path> jars) {
    List<LoadedPlugin> plugins = new ArrayList<>();
    List<AutoCloseable> loaders = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    ClassLoader parent = PluginLoader.class.getClassLoader();
    for (Path jar : jars) {
      PluginClassLoader loader = null;
      try {
        loader = new PluginClassLoader(jar, parent);
        int before = plugins.size();
        for (Plugin p : ServiceLoader.load(Plugin.class, loader)) {
          plugins.add(new LoadedPlugin(p, jar));
        }
        if (plugins.size() == before) {
          failures.add(jar.getFileName() + ": no plugin in it (META-INF/services/" + Plugin.class.getName() + ")");
        }
        loaders.add(loader);
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        failures.add(jar.getFileName() + ": " + describe(e));
        close(loader);
      } catch (IOException e) {
        failures.add(jar.getFileName() + ": " + e.getMessage());
        close(loader);
      }
    }
    return new Result(plugins, loaders, failures);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return e.getMessage() + (root != e ? " (" + root + ")" : "");
  }

  private static void close(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // nothing to keep
      }
    }
  }
}
