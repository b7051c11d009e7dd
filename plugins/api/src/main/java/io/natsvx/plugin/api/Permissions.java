package io.natsvx.plugin.api;

import java.util.List;

/**
 * A user's permissions, as nats-server's {@code permissions} block: allow and deny lists of
 * subjects (wildcards allowed; a subscribe entry may be {@code "subject queue"}); a null list
 * leaves that side unrestricted. {@code allowResponses} lets the user answer requests it
 * received (once each, within two minutes).
 */
public record Permissions(List<String> publishAllow, List<String> publishDeny, List<String> subscribeAllow,
    List<String> subscribeDeny, boolean allowResponses) {}
