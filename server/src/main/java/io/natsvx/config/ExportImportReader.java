package io.natsvx.config;

import io.natsvx.config.AccountOptions.Export;
import io.natsvx.config.AccountOptions.Import;
import io.natsvx.config.AccountOptions.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an account's {@code exports} and {@code imports} lists with nats-server's keys, forms
 * and messages (server/opts.go parseAccountExports, parseAccountImports,
 * parseExportStreamOrService, parseImportStreamOrService, parseAccount). Each entry keeps where
 * its parts were written, for the checks across accounts in {@link ImportsCheck}. Not
 * thread-safe; one per read.
 */
final class ExportImportReader {

  /** An export and where it was written ({@code accountsAt}: its {@code accounts}, or null). */
  record ReadExport(Export export, ConfNode at, ConfNode accountsAt) {}

  /** An import and where its parts were written; parts not given are null. */
  record ReadImport(Import imp, ConfNode at, ConfNode accountAt, ConfNode subjectAt,
      ConfNode prefixAt, ConfNode toAt) {}

  private final ValueReader values;

  ExportImportReader(ValueReader values) {
    this.values = values;
  }

  // ---- exports ----

  List<ReadExport> exports(ConfNode v, String key) {
    List<ReadExport> out = new ArrayList<>();
    if (!v.isList()) {
      values.error(v, key, "Exports should be an array, got " + PermissionsReader.goType(v));
      return out;
    }
    for (ConfNode item : v.asList()) {
      ReadExport e = export(item, key);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** The parts of one export entry, as they are read. */
  private static final class ExportParts {
    String stream;
    String service;
    ConfNode subjectAt;
    ConfNode responseAt;
    ResponseType response;
    ConfNode thresholdAt;
    Duration threshold;
    ConfNode latencyAt;
    ConfNode accountsAt;
    List<String> accounts;
  }

  private ReadExport export(ConfNode item, String listKey) {
    if (!item.isMap()) {
      values.error(item, listKey, "Export Items should be a map with type entry, got "
          + PermissionsReader.goType(item));
      return null;
    }
    int errorsBefore = values.errors().size();
    ExportParts p = new ExportParts();
    exportKeys(p).read(item.asMap(), "export");
    String subject = p.stream != null ? p.stream : p.service;
    if (p.stream != null) {
      // nats-server notices these only when written after the stream; here in any order.
      if (p.responseAt != null) {
        values.error(p.responseAt, "response_type", "Detected response directive on non-service");
      }
      if (p.thresholdAt != null) {
        values.error(p.thresholdAt, "response_threshold",
            "Detected response directive on non-service");
      }
      if (p.latencyAt != null) {
        values.error(p.latencyAt, "latency", "Detected latency directive on non-service");
      }
    }
    if (values.errors().size() > errorsBefore) {
      return null;
    }
    if (subject == null) {
      // nats-server skips such an entry without a word.
      values.warning(item, listKey, "an export needs a stream or a service subject (ignored)");
      return null;
    }
    if (!PermissionsReader.isValidSubject(subject)) {
      // nats-server keeps it, but no import can match it.
      values.warning(p.subjectAt, p.stream != null ? "stream" : "service", "subject "
          + GoQuote.quote(subject) + " is not a valid subject: nothing can import it (ignored)");
      return null;
    }
    Export export = p.stream != null
        ? new Export(subject, false, p.accounts, null, null)
        : new Export(subject, true, p.accounts,
            p.response == null ? ResponseType.SINGLETON : p.response, p.threshold);
    return new ReadExport(export, item, p.accountsAt);
  }

  private ConfKeys exportKeys(ExportParts p) {
    return new ConfKeys(values)
        .on("stream service", (n, k) -> exportSubject(p, n, k))
        .on("response response_type", (n, k) -> {
          if (p.responseAt != null) {
            values.error(n, k, "Duplicate response type definition");
          } else {
            p.responseAt = n;
            p.response = responseType(n, k);
          }
        })
        .on("threshold response_threshold response_max_time response_time", (n, k) -> {
          if (p.thresholdAt != null) {
            values.error(n, k, "Duplicate response threshold detected");
          } else {
            p.thresholdAt = n;
            p.threshold = threshold(n, k);
          }
        })
        .on("accounts", (n, k) -> {
          p.accountsAt = n;
          p.accounts = accountNames(n, k);
        })
        .on("latency", (n, k) -> {
          // Latency samples go to the system account, which has no such events here yet.
          p.latencyAt = n;
          values.warning(n, k, "not supported yet, ignored");
        })
        // It restricts who may import: ignoring it would open the export to every account.
        .error("account_token_position", "not supported yet");
  }

  /** The subject of a {@code stream} or a {@code service} export: one of them, a string. */
  private void exportSubject(ExportParts p, ConfNode n, String k) {
    boolean service = k.equalsIgnoreCase("service");
    String kind = service ? "service" : "stream";
    if ((service ? p.stream : p.service) != null) {
      values.error(n, k, "Detected " + kind + " " + quoted(n) + " but already saw a "
          + (service ? "stream" : "service"));
    } else if (!n.isString()) {
      values.error(n, k, "Expected " + kind + " name to be string, got " + PermissionsReader.goType(n));
    } else {
      if (service) {
        p.service = n.asString();
      } else {
        p.stream = n.asString();
      }
      p.subjectAt = n;
    }
  }

  private ResponseType responseType(ConfNode n, String key) {
    if (!n.isString()) {
      values.error(n, key, "Expected response type to be string, got "
          + PermissionsReader.goType(n));
      return null;
    }
    switch (n.asString().toLowerCase(Locale.ROOT)) {
      case "single":
      case "singleton":
        return ResponseType.SINGLETON;
      case "stream":
        return ResponseType.STREAM;
      case "chunk":
      case "chunked":
        return ResponseType.CHUNKED;
      default:
        values.error(n, key, "Unknown response type: " + GoQuote.quote(n.asString()));
        return null;
    }
  }

  /** A Go duration string; null for 0, which keeps nats-server's default (2m). */
  private Duration threshold(ConfNode n, String key) {
    if (!n.isString()) {
      values.error(n, key, "Expected response threshold to be a parseable time duration, got "
          + PermissionsReader.goType(n));
      return null;
    }
    Duration d;
    try {
      d = GoDuration.parse(n.asString());
    } catch (IllegalArgumentException e) {
      values.error(n, key, "Expected response threshold to be a parseable time duration, got "
          + GoQuote.quote(n.asString()));
      return null;
    }
    if (d.isNegative()) {
      // nats-server takes it, and every response would be late at once.
      values.error(n, key, "must not be negative");
      return null;
    }
    return d.isZero() ? null : d;
  }

  /** The names under an export's {@code accounts}; null (anyone may import) for none. */
  private List<String> accountNames(ConfNode n, String key) {
    if (!n.isList()) {
      values.error(n, key, "expected a list of account names, got " + ValueReader.describe(n));
      return null;
    }
    List<String> names = new ArrayList<>();
    for (ConfNode item : n.asList()) {
      String name = values.string(item, key);
      if (name != null) {
        names.add(name);
      }
    }
    if (n.asList().isEmpty()) {
      values.warning(n, key, "an empty list lets every account import (as in nats-server); "
          + "leave the export out to export nothing");
      return null;
    }
    return names;
  }

  // ---- imports ----

  List<ReadImport> imports(ConfNode v, String key) {
    List<ReadImport> out = new ArrayList<>();
    if (!v.isList()) {
      values.error(v, key, "Imports should be an array, got " + PermissionsReader.goType(v));
      return out;
    }
    // nats-server: one service import per local subject within an account.
    Map<String, ReadImport> services = new HashMap<>();
    for (ConfNode item : v.asList()) {
      ReadImport i = imp(item, key);
      if (i == null) {
        continue;
      }
      if (i.imp().service()) {
        String local = i.imp().to() != null ? i.imp().to() : i.imp().subject();
        ReadImport dup = services.putIfAbsent(local, i);
        if (dup != null) {
          values.error(item, key, "Duplicate service import subject " + GoQuote.quote(local)
              + ", previously used in import for account " + GoQuote.quote(dup.imp().account())
              + ", subject " + GoQuote.quote(dup.imp().subject()));
          continue;
        }
      }
      out.add(i);
    }
    return out;
  }

  /** The parts of one import entry, as they are read. */
  private static final class ImportParts {
    Boolean service;
    String account;
    ConfNode accountAt;
    String subject;
    ConfNode subjectAt;
    String prefix;
    ConfNode prefixAt;
    String to;
    ConfNode toAt;
  }

  private ReadImport imp(ConfNode item, String listKey) {
    if (!item.isMap()) {
      values.error(item, listKey, "Import Items should be a map with type entry, got "
          + PermissionsReader.goType(item));
      return null;
    }
    int errorsBefore = values.errors().size();
    ImportParts p = new ImportParts();
    importKeys(p).read(item.asMap(), "import");
    boolean stream = Boolean.FALSE.equals(p.service);
    if (stream && p.prefix != null && p.to != null) {
      // nats-server notices it only when 'to' comes last; here in any order.
      values.error(p.toAt, "to", "Stream import can not have a 'prefix' and a 'to' property");
    }
    if (values.errors().size() > errorsBefore) {
      return null;
    }
    if (p.service == null) {
      values.warning(item, listKey, "an import needs a stream or a service (ignored)");
      return null;
    }
    String prefix = null;
    if (stream) {
      prefix = p.prefix;
      // nats-server adds the '.' between prefix and subject unless the prefix ends with one.
      if (prefix != null && prefix.length() > 1 && prefix.endsWith(".")) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
    } else if (p.prefix != null) {
      values.warning(p.prefixAt, "prefix",
          "ignored: a service import takes 'to' (as in nats-server)");
    }
    Import imp = new Import(p.service, p.account, p.subject, p.to, prefix);
    return new ReadImport(imp, item, p.accountAt, p.subjectAt, stream ? p.prefixAt : null, p.toAt);
  }

  private ConfKeys importKeys(ImportParts p) {
    return new ConfKeys(values)
        .on("stream service", (n, k) -> source(p, n, k))
        .on("prefix", (n, k) -> {
          p.prefix = nonEmpty(values.string(n, k));
          p.prefixAt = n;
        })
        .on("to", (n, k) -> {
          p.to = nonEmpty(values.string(n, k));
          p.toAt = n;
        })
        .on("share", (n, k) -> {
          // Sharing concerns latency tracking only, which is not built yet.
          if (Boolean.TRUE.equals(values.bool(n, k))) {
            values.warning(n, k, "not supported yet, ignored");
          }
        });
  }

  /** A {@code stream} or {@code service}: {@code {account, subject}}, both needed. */
  private void source(ImportParts p, ConfNode n, String k) {
    boolean service = k.equalsIgnoreCase("service");
    if (p.service != null && p.service != service) {
      values.error(n, k, service ? "Detected service but already saw a stream"
          : "Detected stream but already saw a service");
      return;
    }
    if (!n.isMap()) {
      values.error(n, k, (service ? "Service" : "Stream")
          + " entry should be an account map, got " + PermissionsReader.goType(n));
      return;
    }
    int errorsBefore = values.errors().size();
    new ConfKeys(values)
        .on("account", (v, key) -> {
          p.account = nonEmpty(values.string(v, key));
          p.accountAt = v;
        })
        .on("subject", (v, key) -> {
          p.subject = nonEmpty(values.string(v, key));
          p.subjectAt = v;
        })
        .read(n.asMap(), "import source");
    if (p.account != null && p.subject != null) {
      p.service = service;
    } else if (values.errors().size() == errorsBefore) {
      values.error(n, k, "Expect an account name and a subject");
    }
  }

  private static String quoted(ConfNode n) {
    return GoQuote.quote(n.isString() ? n.asString() : String.valueOf(n.toPlain()));
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
