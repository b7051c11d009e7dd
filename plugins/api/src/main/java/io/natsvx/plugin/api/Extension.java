package io.natsvx.plugin.api;

/**
 * A plugin that only starts and stops with the server: background work next to it (a bridge, an
 * exporter), using the Vert.x instance its {@link PluginContext} gives it.
 */
public interface Extension extends Plugin {}
