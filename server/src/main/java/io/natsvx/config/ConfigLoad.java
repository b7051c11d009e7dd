package io.natsvx.config;

import java.util.List;

/**
 * The result of reading a configuration: the options and the warnings found on the way (unknown
 * keys, deprecated forms). Warnings do not stop the server; the caller logs them.
 */
public record ConfigLoad(ServerOptions options, List<String> warnings) {
  public ConfigLoad {
    warnings = List.copyOf(warnings);
  }
}
