/**
 * The natsvx plugin SPI: the interfaces and value types plugin jars implement (authenticators,
 * account resolvers, extensions). It depends on nothing of the server; the server depends on
 * it. The SPI itself is defined with the plugin support.
 */
package io.natsvx.plugin.api;
