package io.natsvx.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars for tests: compiles Java sources (against the test class path, which has
 * the plugin API) and packs them with a service file, as a plugin author's build would.
 */
final class PluginJars {

  private PluginJars() {}

  /** {@code sources}: class name to source; {@code services}: the Plugin implementations. */
  static Path build(Path dir, String jarName, Map<String, String> sources, List<String> services) throws IOException {
    Path classes = Files.createTempDirectory(dir, "classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<SimpleJavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      units.add(new SimpleJavaFileObject(URI.create("string:///" + e.getKey().replace('.', '/') + ".java"),
          SimpleJavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return e.getValue();
        }
      });
    }
    List<String> options = List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        "--release", "17", "-proc:none");
    java.io.StringWriter errors = new java.io.StringWriter();
    if (!javac.getTask(errors, null, null, options, null, units).call()) {
      throw new IllegalStateException("plugin did not compile: " + errors);
    }
    Path jar = dir.resolve(jarName);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
         Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry("META-INF/services/io.natsvx.plugin.api.Plugin"));
      j.write(String.join("\n", services).getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }

  /** An authenticator letting in one user, named after itself and the version of its own dependency. */
  static Map<String, String> authenticator(String pkg, String id, String user, String depVersion) {
    return Map.of(
        pkg + ".Auth", """
            package %1$s;
            import io.natsvx.plugin.api.*;
            import io.vertx.core.Future;
            public class Auth implements Authenticator {
              private String password = "";
              public String id() { return "%2$s"; }
              public Future<Void> start(PluginContext ctx) {
                password = ctx.config().getString("password", "");
                ctx.log("started with dependency " + com.example.dep.Dep.VERSION);
                return Future.succeededFuture();
              }
              public Future<AuthResult> authenticate(AuthRequest r) {
                boolean ok = "%3$s".equals(r.connect().getString("user")) && password.equals(r.connect().getString("pass"));
                return Future.succeededFuture(ok
                    ? AuthResult.allow("%3$s@" + com.example.dep.Dep.VERSION, null,
                        new Permissions(null, java.util.List.of("forbidden.>"), null, null, false))
                    : AuthResult.deny());
              }
            }
            """.formatted(pkg, id, user),
        "com.example.dep.Dep", """
            package com.example.dep;
            public class Dep { public static final String VERSION = "%s"; }
            """.formatted(depVersion));
  }
}
