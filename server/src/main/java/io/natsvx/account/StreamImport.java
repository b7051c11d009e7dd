package io.natsvx.account;

import io.natsvx.subject.Subjects;

/**
 * A stream that flows from an exporting account into an importing one: messages published in
 * the exporter on a subject matching {@code subject} also reach the importer's subscribers, on
 * the subject with {@code prefix} prepended, or renamed by {@code to}. Immutable.
 */
public record StreamImport(Account exporter, Account importer, String subject, String prefix, String to) {

  /** The subjects it arrives on in the importer. */
  public String local() {
    return prefix != null ? prefix + "." + subject : to != null ? to : subject;
  }

  /**
   * What an importer's subscription to {@code subscribed} asks of the exporter (nats-server's
   * shadow subscription): its own subject there when within the import, the whole import when
   * wider, null when apart.
   */
  public String shadow(String subscribed) {
    String local = local();
    if (Subjects.matches(local, subscribed)) {
      if (prefix != null) {
        return subscribed.substring(prefix.length() + 1);
      }
      return to != null ? Mapping.rename(to, subject, subscribed) : subscribed;
    }
    return Subjects.matches(subscribed, local) ? subject : null;
  }

  /** The importer-side subject for a published subject, or null when this import does not take it. */
  public String map(String published) {
    if (!Subjects.matches(subject, published)) {
      return null;
    }
    if (prefix != null) {
      return prefix + "." + published;
    }
    if (to != null) {
      return Mapping.rename(subject, to, published);
    }
    return published;
  }
}
