package io.natsvx.jetstream.stream;

/**
 * What a stream needs of its consumers, which live above it: to hear that messages were
 * stored, to say whether any still needs one (interest retention), and to stop with it.
 * Thread-safe.
 */
public interface StreamConsumers {

  /** For a stream with no consumers, ever. */
  StreamConsumers NONE = new StreamConsumers() {
    @Override
    public void appended() {
    }

    @Override
    public boolean anyNeeds(long seq, String subject) {
      return false;
    }

    @Override
    public boolean anyTakes(String subject) {
      return false;
    }

    @Override
    public void stopAll() {
    }

    @Override
    public int size() {
      return 0;
    }
  };

  /** New messages are stored: the consumers look for work. */
  void appended();

  /** Whether some consumer still needs message {@code seq} on {@code subject}. */
  boolean anyNeeds(long seq, String subject);

  /** Whether some consumer's filters take {@code subject} (or it has none): nats-server's interest check on publish. */
  boolean anyTakes(String subject);

  /** The stream stops: so do its consumers (their state is kept). */
  void stopAll();

  /** How many consumers the stream has. */
  int size();
}
