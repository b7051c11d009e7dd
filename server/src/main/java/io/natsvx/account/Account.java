package io.natsvx.account;

import io.natsvx.subject.SubjectIndex;

/** An account: a name and its own subscription index. Thread-safe. */
public final class Account {

  /** The global account every connection lands in when no accounts are configured. */
  public static final String GLOBAL = "$G";

  private final String name;
  private final SubjectIndex subjects = new SubjectIndex();

  public Account(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public SubjectIndex subjects() {
    return subjects;
  }
}
