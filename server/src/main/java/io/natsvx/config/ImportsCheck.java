package io.natsvx.config;

import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountsReader.ReadAccount;
import io.natsvx.config.ExportImportReader.ReadExport;
import io.natsvx.config.ExportImportReader.ReadImport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks nats-server makes once every account is read (server/opts.go parseAccounts, then
 * accounts.go AddStreamImport, AddMappedStreamImport, AddServiceImport): exports name
 * configured accounts; an import names a configured account that exports it to the importer;
 * a prefix is literal; a renaming is reversible; imports form no cycle. Imports are added one
 * by one, streams first, as nats-server adds them, and later ones are checked against earlier
 * ones. Messages are nats-server's. One per read.
 */
final class ImportsCheck {

  /** nats-server's MaxAccountCycleSearchDepth. */
  private static final int MAX_CYCLE_SEARCH_DEPTH = 1024;

  /** An import accepted so far: its importer-side and exporter-side subjects (nats-server's). */
  private record Added(String exporter, String from, String to) {}

  private final ValueReader values;
  private final Map<String, ReadAccount> byName = new LinkedHashMap<>();
  private final Map<String, List<Added>> streams = new HashMap<>();
  private final Map<String, List<Added>> services = new HashMap<>();

  ImportsCheck(ValueReader values, List<ReadAccount> accounts) {
    this.values = values;
    accounts.forEach(a -> byName.put(a.name(), a));
  }

  void run() {
    for (ReadAccount a : byName.values()) {
      for (ReadExport e : a.exports()) {
        exportAccounts(e);
      }
    }
    for (ReadAccount a : byName.values()) {
      for (ReadImport i : a.imports()) {
        if (!i.imp().service()) {
          stream(a.name(), i);
        }
      }
    }
    for (ReadAccount a : byName.values()) {
      for (ReadImport i : a.imports()) {
        if (i.imp().service()) {
          service(a.name(), i);
        }
      }
    }
  }

  private void exportAccounts(ReadExport e) {
    if (e.export().accounts() == null) {
      return;
    }
    for (String name : e.export().accounts()) {
      if (!byName.containsKey(name)) {
        values.error(e.accountsAt(), "accounts", GoQuote.quote(name) + " account not defined for "
            + (e.export().service() ? "service" : "stream") + " export");
      }
    }
  }

  // ---- streams ----

  private void stream(String importer, ReadImport ri) {
    Import i = ri.imp();
    if (!byName.containsKey(i.account())) {
      values.error(ri.accountAt(), "account", GoQuote.quote(i.account())
          + " account not defined for stream import");
      return;
    }
    String failure = "Error adding stream import " + GoQuote.quote(i.subject()) + ": ";
    if (!PermissionsReader.isValidSubject(i.subject())
        || !authorized(i.account(), false, importer, i.subject())) {
      values.error(ri.subjectAt(), "subject", failure + "stream import not authorized");
      return;
    }
    String to = i.to() != null ? i.to() : i.subject();
    if (i.prefix() != null) {
      if (!io.natsvx.subject.Subjects.isLiteral(i.prefix())) {
        values.error(ri.prefixAt(), "prefix", failure
            + "stream import prefix can not contain wildcard tokens");
        return;
      }
      to = i.prefix() + "." + i.subject();
    }
    String cycle = streamCycle(i.account(), to, new HashSet<>(Set.of(importer)));
    if (cycle != null) {
      values.error(ri.at(), "imports", failure + cycle);
      return;
    }
    if (!io.natsvx.subject.Subjects.isLiteral(i.subject()) && !to.equals(i.subject())) {
      String problem = ImportSubjects.transformProblem(i.subject(), ImportSubjects.tokenize(to));
      if (problem != null) {
        boolean renamed = ri.toAt() != null;
        values.error(renamed ? ri.toAt() : ri.prefixAt(), renamed ? "to" : "prefix", failure
            + "failed to create mapping transform for stream import subject from "
            + GoQuote.quote(i.subject()) + " to " + GoQuote.quote(to) + ": " + problem);
        return;
      }
      to = ImportSubjects.untokenize(to);
    }
    List<Added> added = streams.computeIfAbsent(importer, k -> new ArrayList<>());
    for (Added a : added) {
      if (a.exporter().equals(i.account()) && a.from().equals(i.subject())) {
        values.error(ri.at(), "imports", failure + "stream import already exists");
        return;
      }
    }
    added.add(new Added(i.account(), i.subject(), to));
  }

  /** nats-server's checkStreamImportsForCycles, from {@code account} on. */
  private String streamCycle(String account, String to, Set<String> visited) {
    if (visited.size() >= MAX_CYCLE_SEARCH_DEPTH) {
      return "search cycle depth exhausted";
    }
    boolean exported = false;
    for (ReadExport e : byName.get(account).exports()) {
      exported |= !e.export().service() && io.natsvx.subject.Subjects.isSubsetMatch(to, e.export().subject());
    }
    if (!exported) {
      return null;
    }
    for (Added si : streams.getOrDefault(account, List.of())) {
      if (ImportSubjects.collide(to, si.to())) {
        if (visited.contains(si.exporter())) {
          return "import forms a cycle";
        }
        visited.add(account);
        if (io.natsvx.subject.Subjects.isSubsetMatch(si.to(), to)) {
          to = si.to();
        }
        String r = streamCycle(si.exporter(), to, visited);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  // ---- services ----

  private void service(String importer, ReadImport ri) {
    Import i = ri.imp();
    if (!byName.containsKey(i.account())) {
      values.error(ri.accountAt(), "account", GoQuote.quote(i.account())
          + " account not defined for service import");
      return;
    }
    String failure = "Error adding service import " + GoQuote.quote(i.subject()) + ": ";
    String local = i.to() != null ? i.to() : i.subject();
    String remote = i.subject();
    if (!PermissionsReader.isValidSubject(local) || !PermissionsReader.isValidSubject(remote)) {
      boolean localBad = !PermissionsReader.isValidSubject(local) && ri.toAt() != null;
      values.error(localBad ? ri.toAt() : ri.subjectAt(), localBad ? "to" : "subject",
          failure + "sublist: invalid subject");
      return;
    }
    if (!authorized(i.account(), true, importer, remote)) {
      values.error(ri.subjectAt(), "subject", failure + "service import not authorized");
      return;
    }
    Set<String> visited = new HashSet<>(Set.of(importer));
    String cycle = serviceCycle(i.account(), local, visited);
    if (cycle != null) {
      values.error(ri.at(), "imports", failure + cycle);
      return;
    }
    if (!io.natsvx.subject.Subjects.isLiteral(remote) && !remote.equals(local)) {
      String source = ImportSubjects.untokenize(remote);
      String problem = ImportSubjects.transformProblem(source, ImportSubjects.tokenize(local));
      if (problem != null) {
        values.error(ri.toAt(), "to", failure + "failed to create mapping transform for service "
            + "import subject from " + GoQuote.quote(local) + " to " + GoQuote.quote(source) + ": "
            + problem);
        return;
      }
      remote = source;
    }
    services.computeIfAbsent(importer, k -> new ArrayList<>())
        .add(new Added(i.account(), local, remote));
  }

  /**
   * nats-server's checkServiceImportsForCycles, from {@code account} on: it compares the
   * importer's local subject with the exporter-side subjects of the account's own imports.
   */
  private String serviceCycle(String account, String from, Set<String> visited) {
    if (visited.size() >= MAX_CYCLE_SEARCH_DEPTH) {
      return "search cycle depth exhausted";
    }
    for (Added si : services.getOrDefault(account, List.of())) {
      if (ImportSubjects.collide(from, si.to())) {
        if (visited.contains(si.exporter())) {
          return "import forms a cycle";
        }
        visited.add(account);
        if (io.natsvx.subject.Subjects.isSubsetMatch(si.from(), from)) {
          from = si.from();
        }
        String r = serviceCycle(si.exporter(), from, visited);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  // ---- authorization ----

  /**
   * Whether {@code exporter} lets {@code importer} import {@code subject} (nats-server's
   * checkStreamExportApproved / checkServiceExportApproved): an export of exactly that subject
   * decides; otherwise one whose subject contains it.
   */
  private boolean authorized(String exporter, boolean service, String importer, String subject) {
    List<Export> exact = new ArrayList<>();
    List<Export> wider = new ArrayList<>();
    for (ReadExport re : byName.get(exporter).exports()) {
      Export e = re.export();
      if (e.service() != service) {
        continue;
      }
      if (e.subject().equals(subject)) {
        exact.add(e);
      } else if (io.natsvx.subject.Subjects.isSubsetMatch(subject, e.subject())) {
        wider.add(e);
      }
    }
    List<Export> deciding = exact.isEmpty() ? wider : exact;
    for (Export e : deciding) {
      if (e.accounts() == null || e.accounts().contains(importer)) {
        return true;
      }
    }
    return false;
  }
}
