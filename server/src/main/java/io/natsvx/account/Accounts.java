package io.natsvx.account;

import io.natsvx.config.AccountOptions;
import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountOptions.ResponseType;
import io.natsvx.config.ServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounts of a server: the global account, the system account and those configured,
 * wired to each other by their imports. Reconfiguring keeps an account (and its subscriptions)
 * by name and rewires its imports. Thread-safe.
 */
public final class Accounts {

  private static final Duration DEFAULT_RESPONSE_THRESHOLD = Duration.ofMinutes(2);

  private volatile Map<String, Account> byName = Map.of();
  private volatile String systemAccount = "$SYS";
  private List<AccountOptions> configured = List.of();
  private final Map<String, AccountOptions> resolved = new LinkedHashMap<>();
  private String systemName = "$SYS";

  public Accounts(ServerOptions options) {
    configure(options);
  }

  public synchronized void configure(ServerOptions options) {
    configured = options.accounts();
    systemName = options.systemAccount();
    rebuild();
  }

  /**
   * Adds or updates an account resolved at run time (operator mode); a no-op when it is
   * unchanged, so every connection of the account may call it.
   */
  public synchronized Account register(AccountOptions account) {
    if (!account.equals(resolved.get(account.name()))) {
      resolved.put(account.name(), account);
      rebuild();
    }
    return byName.get(account.name());
  }

  private void rebuild() {
    List<AccountOptions> accounts = new ArrayList<>(configured);
    accounts.addAll(resolved.values());
    Map<String, Account> old = byName;
    Map<String, Account> next = new LinkedHashMap<>();
    next.put(Account.GLOBAL, old.getOrDefault(Account.GLOBAL, newAccount(Account.GLOBAL)));
    for (AccountOptions a : accounts) {
      next.put(a.name(), old.getOrDefault(a.name(), newAccount(a.name())));
    }
    String sys = systemName;
    next.putIfAbsent(sys, old.getOrDefault(sys, newAccount(sys)));
    Map<String, List<StreamImport>> importers = new HashMap<>();
    Map<String, List<StreamImport>> streams = new HashMap<>();
    Map<String, List<ServiceImport>> services = new HashMap<>();
    for (AccountOptions a : accounts) {
      Account importer = next.get(a.name());
      for (Import i : a.imports()) {
        Account exporter = next.get(i.account());
        if (exporter == null) {
          continue; // the config reader refuses this; a stale reload must not break the rest
        }
        if (i.service()) {
          Export e = export(accounts, i.account(), i.subject(), true);
          ResponseType type = e == null || e.responseType() == null ? ResponseType.SINGLETON : e.responseType();
          Duration threshold = e == null || e.responseThreshold() == null ? DEFAULT_RESPONSE_THRESHOLD : e.responseThreshold();
          // A `to` with $1 or {{wildcard(1)}} is subscribed on the `*` form, as nats-server does.
          String local = i.to() != null ? i.to().replaceAll("\\$\\d+|\\{\\{\\s*wildcard\\(\\s*\\d+\\s*\\)\\s*}}", "*")
              : i.subject();
          services.computeIfAbsent(a.name(), k -> new ArrayList<>())
              .add(new ServiceImport(exporter, local, i.subject(), type, threshold));
        } else {
          StreamImport si = new StreamImport(exporter, importer, i.subject(), i.prefix(), i.to());
          importers.computeIfAbsent(i.account(), k -> new ArrayList<>()).add(si);
          streams.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(si);
        }
      }
    }
    for (AccountOptions a : accounts) {
      next.get(a.name()).limits(a.limits());
    }
    for (Account acc : next.values()) {
      acc.wire(importers.getOrDefault(acc.name(), List.of()), streams.getOrDefault(acc.name(), List.of()),
          services.getOrDefault(acc.name(), List.of()));
    }
    byName = java.util.Collections.unmodifiableMap(next); // keeps $G first, then the file's order
    systemAccount = sys;
    exporters.clear();
    services.values().forEach(list -> list.forEach(si -> exporters.add(si.exporter())));
    if (linksListening) {
      announceResponses();
    }
  }

  private static Export export(List<AccountOptions> accounts, String account, String subject, boolean service) {
    for (AccountOptions a : accounts) {
      if (a.name().equals(account)) {
        for (Export e : a.exports()) {
          if (e.service() == service && io.natsvx.subject.Subjects.matches(e.subject(), subject)) {
            return e;
          }
        }
      }
    }
    return null;
  }

  /** Accounts whose services others import (their responses are routed back through here). */
  private final java.util.Set<Account> exporters = new java.util.HashSet<>();
  private boolean linksListening;

  /** The links hear interest from now on: the exporters' response subjects are announced. */
  public synchronized void linksListening() {
    linksListening = true;
    announceResponses();
  }

  private void announceResponses() {
    for (Account a : byName.values()) {
      a.announceResponses(exporters.contains(a));
    }
  }

  /** Where this server's own interest changes go (the links); set before any subscription. */
  private volatile InterestSink interest = InterestSink.NONE;
  private final InterestSink forward = (account, subject, queue, added) ->
      interest.changed(account, subject, queue, added);

  public void interestSink(InterestSink sink) {
    interest = sink;
  }

  private Account newAccount(String name) {
    return new Account(name, forward);
  }

  public Account global() {
    return byName.get(Account.GLOBAL);
  }

  public Account system() {
    return byName.get(systemAccount);
  }

  /** The account of that name, or null. */
  public Account get(String name) {
    return byName.get(name);
  }

  public List<Account> all() {
    return new ArrayList<>(byName.values());
  }
}
