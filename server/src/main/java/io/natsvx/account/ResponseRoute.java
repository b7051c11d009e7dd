package io.natsvx.account;

import io.natsvx.config.AccountOptions.ResponseType;

/**
 * Where a response to an imported service request goes: the requesting account and the reply
 * subject its client gave. Singleton routes are used once; the others until they expire.
 */
public record ResponseRoute(Account requester, String reply, ResponseType type, long expiresAtNanos) {}
