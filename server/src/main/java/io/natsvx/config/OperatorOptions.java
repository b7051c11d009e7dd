package io.natsvx.config;

import java.util.List;
import java.util.Map;

/**
 * JWT operator mode: the trusted operators' tokens (already verified when read), the account
 * resolver ({@code MEMORY} for now) and the account tokens it starts with. Immutable.
 */
public record OperatorOptions(List<String> operatorJwts, String resolver, Map<String, String> preload) {

  public OperatorOptions {
    operatorJwts = List.copyOf(operatorJwts);
    preload = Map.copyOf(preload);
  }
}
