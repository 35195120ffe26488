package io.github.gatlingjwt.internal;

import io.github.gatlingjwt.token.Fingerprint;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices two virtual users logged in as the same account within one token lifetime, which a
 * refresh extends (per-user scope; a user's end is not seen, so it may have stopped in between):
 * typical of a circular credentials feeder with fewer accounts than users. On servers that rotate
 * refresh tokens or allow one session per account, such users invalidate each other. Warns once per
 * configuration; the username is shown as a fingerprint.
 *
 * <p>For internal use only.
 */
public final class IdentityWatch {

  private static final Logger LOG = LoggerFactory.getLogger("io.github.gatlingjwt");

  private record Holder(long userId, Instant until) {}

  private final ConcurrentHashMap<String, Holder> holders = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final AtomicBoolean warnedShared = new AtomicBoolean();
  private final AtomicReference<String> sharedAccount = new AtomicReference<>();

  /**
   * Note the account a shared scope's user logs in as; warn once when a second one appears: each
   * account then gets its own token, as in the pooled scope.
   *
   * @param account the login URL and username
   */
  public void sharedScopeAccount(String account) {
    String first = sharedAccount.get();
    if (first == null && sharedAccount.compareAndSet(null, account)) {
      return;
    }
    if (!sharedAccount.get().equals(account) && warnedShared.compareAndSet(false, true)) {
      LOG.warn(
          "gatling-jwt: the token scope is SHARED but users log in as different accounts: each"
              + " account gets its own token (identities never mix), as with"
              + " tokenScope(TokenScope.POOLED), which says so. This warning is shown once.");
    }
  }

  /**
   * Record a login.
   *
   * @param username the account, or null when unknown
   * @param userId the virtual user
   * @param now the login instant
   * @param until until when the account's token is held (its expiry, or a guess)
   * @return true when another user held the same account until now or later
   */
  public boolean loggedIn(String username, long userId, Instant now, Instant until) {
    if (username == null) {
      return false;
    }
    Holder previous = holders.put(username, new Holder(userId, until));
    boolean overlap =
        previous != null && previous.userId() != userId && now.isBefore(previous.until());
    if (overlap && warned.compareAndSet(false, true)) {
      LOG.warn(
          "gatling-jwt: virtual users {} and {} logged in as the same account ({}) within one"
              + " token lifetime, so they may use it at the same time. With a circular credentials"
              + " feeder and fewer accounts than users, servers that rotate refresh tokens or allow"
              + " one session per account make such users invalidate each other (401s,"
              + " invalid_grant). Feed more accounts, use a queue feeder, or let them share the"
              + " account's token with tokenScope(TokenScope.POOLED). This warning is shown once.",
          previous.userId(),
          userId,
          Fingerprint.of(username));
    }
    return overlap;
  }
}
