package io.github.gatlingjwt;

import io.gatling.javaapi.core.Session;
import io.github.gatlingjwt.internal.ElFunctions;
import io.github.gatlingjwt.token.GatlingJwtException;
import io.github.gatlingjwt.token.JwtConfigException;
import io.github.gatlingjwt.token.JwtMinter;
import io.github.gatlingjwt.token.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How to mint each virtual user's JWT locally, for APIs that trust a shared secret or a key pair
 * and have no login endpoint: the signing key, the claims (per user, from EL strings or session
 * functions) and the lifetime. Instances are immutable: every method returns a new one. Start from
 * {@link JwtDsl#jwtMint(SigningKey)} and hand it to {@link JwtAuth#mintTokens(JwtMint)}.
 *
 * <p>Each token carries {@code sub}, your claims, {@code iat} and {@code nbf} (the instant of
 * minting), {@code exp} (that instant plus the lifetime) and a random {@code jti}.
 */
public final class JwtMint {

  private static final Set<String> RESERVED = Set.of("iat", "nbf", "exp", "jti");

  private final SigningKey key;
  private final Duration lifetime;
  private final Function<Session, String> subject;
  private final List<Map.Entry<String, Function<Session, Object>>> claims;
  private final boolean perUser;

  /** Signs with {@link #key} for {@link #lifetime}; built once, and it validates the lifetime. */
  private final JwtMinter minter;

  private JwtMint(
      SigningKey key,
      Duration lifetime,
      Function<Session, String> subject,
      List<Map.Entry<String, Function<Session, Object>>> claims,
      boolean perUser) {
    this.key = key;
    this.lifetime = lifetime;
    this.subject = subject;
    this.claims = claims;
    this.perUser = perUser;
    this.minter = new JwtMinter(key, lifetime);
  }

  /**
   * @return whether a claim or the subject may differ between users (a session function, or EL
   *     reading an attribute): such tokens cannot be shared by all users
   */
  public boolean perUser() {
    return perUser;
  }

  static JwtMint of(SigningKey key) {
    if (key == null) {
      throw new JwtConfigException(
          "The signing key is null: give one, e.g. SigningKey.hs256FromEnv(\"API_JWT_SECRET\").");
    }
    return new JwtMint(key, Duration.ofMinutes(5), null, List.of(), false);
  }

  /**
   * Define the {@code sub} claim of each user's token.
   *
   * @param subject the subject, expressed as a Gatling EL String, e.g. {@code "#{username}"}
   * @return a new JwtMint
   */
  public JwtMint subject(String subject) {
    return new JwtMint(
        key,
        lifetime,
        ElFunctions.el(text(subject, "subject"), "subject"),
        claims,
        perUser || subject.contains("#{"));
  }

  /**
   * Define the {@code sub} claim of each user's token.
   *
   * @param subject the subject, expressed as a function of the session
   * @return a new JwtMint
   */
  public JwtMint subject(Function<Session, String> subject) {
    if (subject == null) {
      throw new JwtConfigException(
          "The subject function is null: give one, e.g. subject(s -> s.getString(\"username\")).");
    }
    return new JwtMint(key, lifetime, subject, claims, true);
  }

  /**
   * Add a string claim, e.g. {@code claim("scope", "read write")} or {@code claim("tenant",
   * "#{tenant}")}. A claim of the same name is replaced.
   *
   * @param name the claim name; not {@code iat}, {@code nbf}, {@code exp} or {@code jti}, which are
   *     set from the lifetime
   * @param value the value, expressed as a Gatling EL String
   * @return a new JwtMint
   */
  public JwtMint claim(String name, String value) {
    Function<Session, String> el = ElFunctions.el(text(value, "claim value"), "claim " + name);
    JwtMint withClaim = claim(name, (Function<Session, Object>) el::apply);
    return value.contains("#{")
        ? withClaim
        : new JwtMint(key, lifetime, withClaim.subject, withClaim.claims, perUser);
  }

  /**
   * Add a claim computed per user: a String, Boolean, Integer, Long, Double, Instant or List of
   * Strings. A claim of the same name is replaced.
   *
   * @param name the claim name; not {@code iat}, {@code nbf}, {@code exp} or {@code jti}
   * @param value the value, expressed as a function of the session
   * @return a new JwtMint
   */
  public JwtMint claim(String name, Function<Session, Object> value) {
    text(name, "claim name");
    if (RESERVED.contains(name)) {
      throw new JwtConfigException(
          "The claim \""
              + name
              + "\" is set by the minting itself: use lifetime(...) instead of claim(\""
              + name
              + "\", ...).");
    }
    if (name.equals("sub")) {
      throw new JwtConfigException("Set the \"sub\" claim with subject(...), not claim(\"sub\").");
    }
    if (value == null) {
      throw new JwtConfigException("The value of claim \"" + name + "\" is null: give one.");
    }
    List<Map.Entry<String, Function<Session, Object>>> next = new ArrayList<>();
    for (Map.Entry<String, Function<Session, Object>> c : claims) {
      if (!c.getKey().equals(name)) {
        next.add(c);
      }
    }
    next.add(Map.entry(name, value));
    return new JwtMint(key, lifetime, subject, List.copyOf(next), true);
  }

  /**
   * Define how long each minted token lives. Default 5 minutes. Tokens are minted again before they
   * expire, by the same refresh rules as tokens from a login ({@link JwtAuth#refreshLeadTime}).
   *
   * @param lifetime at least one second
   * @return a new JwtMint
   */
  public JwtMint lifetime(Duration lifetime) {
    return new JwtMint(key, lifetime, subject, claims, perUser);
  }

  /**
   * Mint a token for a virtual user.
   *
   * @param session the virtual user's session, for the per-user claims
   * @param now the instant of issue
   * @return the signed JWT
   * @throws GatlingJwtException when a claim cannot be resolved (e.g. an attribute that was not
   *     fed), with a sentence naming it
   */
  public String mint(Session session, Instant now) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    for (Map.Entry<String, Function<Session, Object>> c : claims) {
      try {
        resolved.put(c.getKey(), c.getValue().apply(session));
      } catch (RuntimeException e) {
        throw new GatlingJwtException(
            "Could not mint a JWT because the claim \""
                + c.getKey()
                + "\" cannot be resolved ("
                + e.getMessage()
                + ").");
      }
    }
    String sub;
    try {
      sub = subject == null ? null : subject.apply(session);
    } catch (RuntimeException e) {
      throw new GatlingJwtException(
          "Could not mint a JWT because the subject cannot be resolved (" + e.getMessage() + ").");
    }
    return minter.mint(sub, resolved, now);
  }

  /**
   * @return how long each minted token lives
   */
  public Duration lifetime() {
    return lifetime;
  }

  @Override
  public String toString() {
    return "JwtMint{"
        + key
        + ", lifetime="
        + lifetime
        + ", claims="
        + claims.stream().map(Map.Entry::getKey).toList()
        + "}";
  }

  private static String text(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new JwtConfigException("The " + what + " is empty: give a value.");
    }
    return value;
  }
}
