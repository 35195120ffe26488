package io.github.gatlingjwt.internal;

import io.github.gatlingjwt.token.TokenState;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a token that is already expired when it arrives: the lifecycle then renews it before
 * every call, which doubles the traffic without a single KO. Warns once per JVM, without the token.
 *
 * <p>For internal use only.
 */
public final class ExpiryWatch {

  private static final Logger LOG = LoggerFactory.getLogger("io.github.gatlingjwt");
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ExpiryWatch() {}

  /**
   * Warn, the first time, when a new token expires no later than it was obtained.
   *
   * @param state the new token state
   * @param kind which answer gave it: {@code "login"} or {@code "refresh"}
   * @return whether the token was already expired
   */
  public static boolean check(TokenState state, String kind) {
    boolean expired = state.expiresAt() != null && !state.expiresAt().isAfter(state.obtainedAt());
    if (expired && WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "gatling-jwt: a {} answer gave a token that has already expired by its own figures"
              + " (its exp is not after its iat, or after the answer's Date header, or, with"
              + " neither, after this machine's clock; or expires_in is 0). It is used, but renewed"
              + " before every call. Check the issuer's clock and the token lifetime; a token with"
              + " exp but no iat needs a Date header on the answer for the two clocks to be"
              + " compared. This warning is shown once.",
          kind);
    }
    return expired;
  }
}
