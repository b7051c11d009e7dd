package io.natsvx.plugin;

import io.natsvx.plugin.api.Plugin;
import java.nio.file.Path;

/** A plugin instance with the jar it came from. */
public record LoadedPlugin(Plugin plugin, Path jar) {}
