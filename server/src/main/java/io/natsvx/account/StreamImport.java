package io.natsvx.account;

import io.natsvx.subject.Subjects;

/**
 * A stream that flows from an exporting account into an importing one: messages published in
 * the exporter on a subject matching {@code subject} also reach the importer's subscribers, on
 * the subject with {@code prefix} prepended, or renamed by {@code to}. Immutable.
 */
public record StreamImport(Account importer, String subject, String prefix, String to) {

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
