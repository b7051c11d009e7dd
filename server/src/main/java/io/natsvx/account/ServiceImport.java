package io.natsvx.account;

import io.natsvx.config.AccountOptions.ResponseType;
import java.time.Duration;

/**
 * A service one account uses from another: requests its clients send to {@code localSubject}
 * go to the exporter as {@code exportSubject}, with a reply subject the exporter's responders
 * answer on, routed back by {@link ResponseRoute}. Immutable.
 */
public record ServiceImport(Account exporter, String localSubject, String exportSubject, ResponseType responseType,
    Duration responseThreshold) {

  /** The exporter-side subject for a request sent on {@code subject}, or null when not this import. */
  public String map(String subject) {
    if (!io.natsvx.subject.Subjects.matches(localSubject, subject)) {
      return null;
    }
    return localSubject.equals(exportSubject) ? subject : Mapping.rename(localSubject, exportSubject, subject);
  }
}
