package io.natsvx.config;

import java.util.List;
import java.util.Map;

/**
 * JWT operator mode: the trusted operators' tokens (already verified when read), the account
 * resolver and the account tokens stored in it at start ({@code resolver_preload}). Immutable.
 */
public record OperatorOptions(List<String> operatorJwts, ResolverOptions resolver, Map<String, String> preload) {

  public OperatorOptions {
    operatorJwts = List.copyOf(operatorJwts);
    preload = Map.copyOf(preload);
  }
}
