package io.natsvx.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code leafnodes} block (nats-server's LeafNodeOpts): the listener leaf nodes connect to
 * (this server as their hub), how they authenticate and which account each binds to, and the
 * remotes this server dials (this server as a leaf of another). {@link #NONE} when there is no
 * block. Immutable.
 *
 * @param port 0 for no listener, -1 for a random one
 * @param user with {@code password}: the one user every leaf node logs in as, bound to {@code
 *     account}; null for none
 * @param nkey with no {@code user}: the public key of the one user nkey every leaf node signs
 *     its nonce with, bound to {@code account}; null for none
 * @param users users that leaf nodes log in as, each bound to its account
 * @param account the account {@code user} binds to; null for the global account
 * @param authTimeout how long an accepted leaf node has for its CONNECT
 * @param reconnect how long a remote waits between dials
 */
public record LeafNodeOptions(String host, int port, String advertise, boolean noAdvertise, TlsOptions tls,
    String user, String password, String nkey, String account, List<LeafUser> users, Duration authTimeout, Duration reconnect,
    List<Remote> remotes) {

  /** nats-server's DEFAULT_LEAF_NODE_RECONNECT. */
  public static final Duration DEFAULT_RECONNECT = Duration.ofSeconds(1);
  /** nats-server's DEFAULT_LEAFNODE_INFO_WAIT: how long a dialed hub has to send its INFO. */
  public static final Duration DEFAULT_FIRST_INFO_TIMEOUT = Duration.ofSeconds(1);

  public static final LeafNodeOptions NONE = new LeafNodeOptions(Defaults.HOST, 0, null, false, null, null, null,
      null, null, List.of(), Defaults.AUTH_TIMEOUT, DEFAULT_RECONNECT, List.of());

  public LeafNodeOptions {
    users = List.copyOf(users);
    remotes = List.copyOf(remotes);
  }

  /** One of {@code authorization.users}: its account null for the global one. */
  public record LeafUser(String user, String password, String account) {}

  /**
   * One of {@code remotes}: a hub to dial at any of {@code urls}, the local account bound to the
   * link (null: the global one), credentials, TLS, whether the far side is to be the leaf
   * ({@code hub}), subjects never taken from it ({@code denyImports}) or sent to it
   * ({@code denyExports}), over a {@code ws://} or {@code wss://} URL whether frames go
   * unmasked ({@code wsNoMasking}) and compressed ({@code wsCompression}); {@code nkey} a user
   * seed that signs the hub's nonce (null: none).
   */
  public record Remote(List<URI> urls, boolean noRandomize, String account, String credentials, TlsOptions tls,
      boolean hub, List<String> denyImports, List<String> denyExports, Duration firstInfoTimeout,
      boolean wsNoMasking, boolean wsCompression, String nkey) {

    public Remote {
      urls = List.copyOf(urls);
      denyImports = List.copyOf(denyImports);
      denyExports = List.copyOf(denyExports);
    }

    /** The account bound, by name. */
    public String accountOrGlobal() {
      return account == null || account.isEmpty() ? "$G" : account;
    }
  }

  /** The same block without its TLS (nor its remotes'): what a reload must leave alone (nats-server's diffOptions). */
  public LeafNodeOptions withoutTls() {
    return new LeafNodeOptions(host, port, advertise, noAdvertise, null, user, password, nkey, account, users,
        authTimeout,
        reconnect, remotes.stream().map(r -> new Remote(r.urls(), r.noRandomize(), r.account(), r.credentials(), null,
            r.hub(), r.denyImports(), r.denyExports(), r.firstInfoTimeout(), r.wsNoMasking(), r.wsCompression(),
            r.nkey())).toList());
  }

  /** Whether this server accepts leaf nodes. */
  public boolean listens() {
    return port != 0;
  }

  /** Whether there is anything to run: a listener or remotes. */
  public boolean enabled() {
    return listens() || !remotes.isEmpty();
  }

  /** Whether the block names who may connect (else the server's client users decide). */
  public boolean ownAuth() {
    return (user != null && !user.isEmpty()) || !users.isEmpty();
  }
}
