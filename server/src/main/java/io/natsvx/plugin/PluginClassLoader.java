package io.natsvx.plugin;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * One plugin jar's class loader: the jar's own classes first, so two plugins may bring
 * different versions of a library, except what the plugin shares with the server, which always
 * comes from the server: the JDK, the plugin API and the Vert.x API it is written against.
 */
final class PluginClassLoader extends URLClassLoader {

  private static final String[] PARENT_FIRST = {
      "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.",
      "io.natsvx.plugin.api.", "io.vertx.", "io.netty.", "com.fasterxml.jackson.", "org.slf4j."};

  private final Path jar;

  PluginClassLoader(Path jar, ClassLoader parent) throws java.net.MalformedURLException {
    super("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
    this.jar = jar;
  }

  Path jar() {
    return jar;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        if (parentFirst(name)) {
          try {
            c = getParent().loadClass(name);
          } catch (ClassNotFoundException notInServer) {
            // e.g. a Vert.x module the server does not have, bundled in the plugin's jar
            c = findClass(name);
          }
        } else {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException notInJar) {
            c = getParent().loadClass(name);
          }
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  public URL getResource(String name) {
    // Service files and resources of the jar win too, or ServiceLoader would see the server's.
    URL own = findResource(name);
    return own != null ? own : super.getResource(name);
  }

  private static boolean parentFirst(String name) {
    for (String p : PARENT_FIRST) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
