package io.natsvx.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code authorization} block (and {@code no_auth_user}, {@code --user/--pass/--auth}):
 * who may connect and what they may do. Immutable. {@link #NONE} means an open server.
 *
 * @param token     {@code authorization.token} (clear or bcrypt), null for none
 * @param users     {@code authorization.users}, plus a single {@code user}/{@code password} pair
 * @param defaultPermissions {@code authorization.default_permissions}: for users without their own
 * @param noAuthUser {@code no_auth_user}: the user a client without credentials becomes
 * (The block's {@code timeout} is {@link ServerOptions#authTimeout()}.)
 */
public record AuthOptions(String token, List<UserOptions> users, PermissionOptions defaultPermissions,
    String noAuthUser) {

  public static final AuthOptions NONE = new AuthOptions(null, List.of(), null, null);

  public AuthOptions {
    users = List.copyOf(users);
  }

  /** Whether clients must authenticate at all. */
  public boolean required() {
    return token != null || !users.isEmpty();
  }

  /** One user: a name and password (clear or bcrypt), or an nkey; permissions may be null. */
  public record UserOptions(String user, String password, String nkey, PermissionOptions permissions) {}

  /**
   * {@code permissions { publish, subscribe, allow_responses }}: allow and deny lists of subjects
   * (a subscribe entry may be {@code "subject queue"}); null lists mean "not restricted".
   */
  public record PermissionOptions(List<String> publishAllow, List<String> publishDeny, List<String> subscribeAllow,
      List<String> subscribeDeny, ResponsePermission allowResponses) {}

  /** {@code allow_responses}: publish to reply subjects received, at most {@code max} times within {@code expires}. */
  public record ResponsePermission(int max, Duration expires) {
    /** nats-server's defaults for {@code allow_responses: true}. */
    public static final ResponsePermission DEFAULT = new ResponsePermission(1, Duration.ofMinutes(2));
  }
}
