package io.github.gatlingjwt;

/**
 * Who owns a token: each virtual user, all of them, or all those logged in as the same account. Set
 * it with {@link JwtAuth#tokenScope(TokenScope)}.
 *
 * <p>Shared and pooled tokens live in the load generator's memory (one JVM), in a cache that
 * belongs to one {@link JwtAuth} instance: two simulations, or two configurations, never see each
 * other's tokens, and each load-generator node logs in on its own. Per-user tokens live only in the
 * virtual user's session.
 */
public enum TokenScope {

  /** Each virtual user logs in with its own credentials and holds its own token (the default). */
  PER_USER,

  /**
   * One token for every virtual user of the configuration, e.g. a service identity ({@code
   * client_credentials}). The credentials must be the same for every user: they may not read a
   * feeder attribute.
   */
  SHARED,

  /**
   * Users logged in as the same account share that account's token, e.g. 10,000 users over 200
   * accounts fed circularly. Accounts never share tokens with each other.
   */
  POOLED
}
