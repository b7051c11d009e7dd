package io.natsvx.system;

import io.natsvx.server.ServerContext;
import io.natsvx.account.Account;
import io.natsvx.auth.AccountTokens;
import io.natsvx.auth.AccountTokens.Outcome;
import io.natsvx.auth.OperatorAuth;
import io.natsvx.auth.AccountClaims;
import io.natsvx.plugin.api.AccountResolver.Sharing;
import io.natsvx.messaging.InternalSink;
import io.natsvx.subject.Subscription;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Operator mode's account-token requests in the system account, as nats-server's resolvers
 * answer them: claims updates ({@code $SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE}, the older
 * {@code $SYS.ACCOUNT.<key>.CLAIMS.UPDATE}, and for directory resolvers
 * {@code $SYS.REQ.CLAIMS.UPDATE}), and for directory resolvers {@code $SYS.REQ.CLAIMS.LIST} and
 * {@code .DELETE}; a full one also answers lookups ({@code $SYS.REQ.ACCOUNT.<key>.CLAIMS.LOOKUP})
 * and packs ({@code $SYS.REQ.CLAIMS.PACK}) and asks for packs every {@code interval}.
 */
final class ClaimsRequests implements InternalSink {

  private static final String PACK = "$SYS.REQ.CLAIMS.PACK";

  private final ServerContext server;
  private final SystemAccount system;
  private long syncTimer = -1;

  ClaimsRequests(ServerContext server, SystemAccount system) {
    this.server = server;
    this.system = system;
  }

  void start() {
    Account sys = server.accounts().system();
    for (String s : List.of("$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE", "$SYS.ACCOUNT.*.CLAIMS.UPDATE", "$SYS.REQ.CLAIMS.UPDATE",
        "$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP", "$SYS.REQ.CLAIMS.LIST", "$SYS.REQ.CLAIMS.DELETE")) {
      sys.subscribe(new Subscription(this, s, null, s));
    }
    sys.subscribe(new Subscription(this, PACK, "responder", PACK));
    var operator = server.options().operator();
    long interval = operator == null ? 0 : operator.resolver().syncIntervalMillis();
    if (interval > 0) {
      syncTimer = server.vertx().setPeriodic(interval, t -> sync());
    }
  }

  void stop() {
    if (syncTimer >= 0) {
      server.vertx().cancelTimer(syncTimer);
    }
  }

  @Override
  public void receive(String subject, String reply, byte[] payload) {
    OperatorAuth operator = server.auth().operator();
    if (operator == null) {
      return;
    }
    AccountTokens tokens = operator.tokens();
    Sharing sharing = tokens.sharing();
    String body = new String(payload, StandardCharsets.UTF_8).trim();
    String[] t = subject.split("\\.");
    boolean directory = sharing != Sharing.NONE;
    if (subject.endsWith(".CLAIMS.UPDATE") && (t.length == 6 || t.length == 5 || directory)) {
      String key = t.length == 6 ? t[3] : t.length == 5 ? t[2] : null;
      tokens.update(key, body, operator::inUse).onSuccess(o -> updated(operator, o, reply));
    } else if (subject.endsWith(".CLAIMS.LOOKUP") && sharing == Sharing.FULL && reply != null && t.length == 6) {
      tokens.held(t[3]).otherwise("").onSuccess(jwt -> system.publish(sys(), reply, null, jwt.getBytes(StandardCharsets.UTF_8)));
    } else if (subject.equals("$SYS.REQ.CLAIMS.LIST") && directory && reply != null) {
      tokens.list().onSuccess(keys -> system.publish(sys(), reply,
          new JsonObject().put("server", system.serverInfo()).put("data", new JsonArray(keys))));
    } else if (subject.equals("$SYS.REQ.CLAIMS.DELETE") && directory) {
      tokens.delete(body).onSuccess(o -> {
        for (String key : o.deleted()) {
          claimsChanged(key, true);
        }
        respond(reply, o);
      });
    } else if (subject.equals(PACK) && sharing == Sharing.FULL && reply != null) {
      tokens.pack(payload).onSuccess(lines -> {
        for (String line : lines) {
          system.publish(sys(), reply, null, line.getBytes(StandardCharsets.UTF_8));
        }
        system.publish(sys(), reply, null, new byte[0]);
      });
    }
  }

  private void updated(OperatorAuth operator, Outcome o, String reply) {
    if (o.claims() != null) {
      changed(operator, o.claims());
    }
    respond(reply, o);
  }

  private void changed(OperatorAuth operator, AccountClaims claims) {
    operator.apply(claims);
    claimsChanged(claims.accountKey(), false);
  }

  /** Asks the system account for packs and keeps the newer tokens, as a full resolver does every interval. */
  private void sync() {
    OperatorAuth operator = server.auth().operator();
    if (operator == null || operator.tokens().sharing() != Sharing.FULL) {
      return;
    }
    AccountTokens tokens = operator.tokens();
    tokens.hash().onSuccess(hash -> system.request(PACK, hash, server.options().operator().resolver().syncIntervalMillis(),
        answer -> {
          if (answer.length == 0) {
            return true;
          }
          tokens.merge(new String(answer, StandardCharsets.UTF_8)).onSuccess(changed -> changed.stream()
              .filter(c -> operator.inUse(c.accountKey())).forEach(c -> changed(operator, c)));
          return false;
        }));
  }

  /** Tells every connection, each on its loop; those of the account act on it. */
  private void claimsChanged(String account, boolean deleted) {
    for (var c : server.connections()) {
      c.onLoop(x -> x.accountClaimsChanged(account, deleted));
    }
  }

  /** nats-server's respondToUpdate: {"server", "data": {account, code 200, message}} or "error". */
  private void respond(String reply, Outcome o) {
    if (o.error() != null) {
      server.log().error(o.message() + (o.account() != null ? " - " + o.account() : "") + " - " + o.error());
    } else {
      server.log().debug(o.message() + (o.account() != null ? " - " + o.account() : ""));
    }
    if (reply == null) {
      return;
    }
    JsonObject status = new JsonObject();
    if (o.account() != null && !o.account().isEmpty()) {
      status.put("account", o.account());
    }
    JsonObject response = new JsonObject().put("server", system.serverInfo());
    if (o.error() == null) {
      response.put("data", status.put("code", 200).put("message", o.message()));
    } else {
      response.put("error", status.put("code", 500).put("description", o.message() + " - " + o.error()));
    }
    system.publish(sys(), reply, response);
  }

  private Account sys() {
    return server.accounts().system();
  }
}
