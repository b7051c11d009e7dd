package io.natsvx.monitor;

import io.natsvx.jetstream.JetStream;
import io.natsvx.route.RouteVerticle;
import io.natsvx.server.ServerContext;

/**
 * What monitoring reads: the hub, and the parts the composition root runs (JetStream, the
 * routes, the leaf nodes and the gateways, each null when off). Monitoring only reads them.
 */
public record Monitored(ServerContext server, JetStream jetStream, RouteVerticle routes,
    io.natsvx.leaf.LeafNodeVerticle leafNodes, io.natsvx.gateway.GatewayVerticle gateways) {}
