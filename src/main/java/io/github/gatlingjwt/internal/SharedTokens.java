package io.github.gatlingjwt.internal;

import io.github.gatlingjwt.token.TokenState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The tokens that virtual users share (shared and pooled scopes), one entry per key, with at most
 * one login or refresh in flight per entry (single flight). Belongs to one auth configuration, so
 * two simulations or two configurations never see each other's tokens.
 *
 * <p>Nothing here blocks a thread for longer than a field update: a user that must wait for
 * another's login or refresh is told to wait, and waits with a Gatling pause.
 *
 * <p>For internal use only.
 */
public final class SharedTokens {

  /** What a user that needs a token should do. */
  public enum Role {
    /** Another user got a newer token: it is in the session now. */
    ADOPTED,
    /** Another user's login or refresh is in flight and the session's token is still valid. */
    KEEP,
    /** Another user's login or refresh is in flight and the session has no valid token: wait. */
    WAIT,
    /** This user logs in or refreshes for everyone; the session holds the entry's state. */
    OWNER
  }

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * The entry of a key, created on first use.
   *
   * @param key the scope key (empty for the shared scope, the username for the pooled one)
   * @return the entry
   */
  public Entry entry(String key) {
    return entries.computeIfAbsent(key, k -> new Entry());
  }

  /** One shared token and its flight. */
  public static final class Entry {
    private TokenState state;
    private String identity;
    private long generation;
    private long owner = -1;
    private Instant flightDeadline;

    /**
     * The token state users share now.
     *
     * @return the state, or null when there is none
     */
    public synchronized TokenState state() {
      return state;
    }

    /**
     * @return the account of the first token published here, or null
     */
    public synchronized String identity() {
      return identity;
    }

    /**
     * @return a number that changes every time a flight ends or publishes a state
     */
    public synchronized long generation() {
      return generation;
    }

    /**
     * Decide what a user that needs a token does.
     *
     * @param userId the user's id
     * @param held the token state the user holds, or null
     * @param usable whether a state can be used for the next call (not expired, not refused)
     * @param keepable whether a user may go on using its state while another renews it
     * @param now the current instant
     * @param lease how long the owner's first step may take before another user may take over
     * @return the role, and for {@link Role#OWNER} the state to refresh from (with its refresh
     *     token, which leaves the entry: only the owner may spend it)
     */
    public synchronized Decision decide(
        long userId,
        TokenState held,
        Predicate<TokenState> usable,
        Predicate<TokenState> keepable,
        Instant now,
        Duration lease) {
      if (state != null && !sameGrant(state, held) && usable.test(state)) {
        return new Decision(Role.ADOPTED, state, generation);
      }
      boolean inFlight = owner >= 0 && now.isBefore(flightDeadline);
      if (inFlight && owner != userId) {
        boolean keep = held != null && usable.test(held) && keepable.test(held);
        return new Decision(keep ? Role.KEEP : Role.WAIT, held, generation);
      }
      TokenState from = state;
      owner = userId;
      flightDeadline = now.plus(lease);
      state = from == null ? null : from.withoutRefreshToken();
      return new Decision(Role.OWNER, from, generation);
    }

    /**
     * Publish a new state (a login or refresh answer) and end the flight: waiting users take it at
     * once. An answer that comes after its flight was taken over is dropped (a newer one is due).
     *
     * @param userId the user whose request got the answer
     * @param flight the generation its {@link #decide} returned: when the entry has moved on since
     *     (another user took the flight over and published or released), the answer is late
     * @param newState the new state
     * @param account the account the token was issued to, or null when unknown
     * @return whether the state was published
     */
    public synchronized boolean publish(
        long userId, long flight, TokenState newState, String account) {
      if ((owner >= 0 && owner != userId) || flight != generation) {
        return false;
      }
      if (identity == null) {
        identity = account;
      }
      state = newState;
      owner = -1;
      flightDeadline = null;
      generation++;
      return true;
    }

    /**
     * Extend the flight of its owner: it is still at work (about to send a request, or to wait
     * before the next attempt). Other users take over when it is not extended in time, e.g. because
     * its loop ended or its block was left mid-flight.
     *
     * @param userId the owner
     * @param until the new end of its lease
     */
    public synchronized void extend(long userId, Instant until) {
      if (owner == userId) {
        flightDeadline = until;
      }
    }

    /**
     * End a flight. When the owner got no token, the entry holds none: the waiting users give up
     * (they would only repeat a login that just failed).
     *
     * @param userId the owner
     * @param result the owner's state after the flight, or null
     */
    public synchronized void release(long userId, TokenState result) {
      if (owner != userId) {
        return; // the lease ran out and another user took over
      }
      owner = -1;
      flightDeadline = null;
      if (result == null) {
        state = null;
      }
      generation++;
    }

    /**
     * Whether a user that started waiting at a generation must still wait.
     *
     * @param since the generation the user saw
     * @param now the current instant
     * @return true while the same flight is in progress and within its lease
     */
    public synchronized boolean waiting(long since, Instant now) {
      return generation == since && owner >= 0 && now.isBefore(flightDeadline);
    }

    /**
     * Mark the shared token as refused by the API, unless it was already replaced.
     *
     * @param refused the token the API refused
     */
    public synchronized void refused(TokenState refused) {
      if (state != null && sameToken(state, refused)) {
        state = state.refused();
      }
    }

    private static boolean sameToken(TokenState a, TokenState b) {
      return b != null && a.accessToken().equals(b.accessToken());
    }
  }

  /**
   * Whether two states come from the same login or refresh answer: the same token received at the
   * same instant (an issuer may hand out the same token string again with a new lifetime).
   *
   * @param a a state
   * @param b another, or null
   * @return true when both come from one answer
   */
  public static boolean sameGrant(TokenState a, TokenState b) {
    return b != null
        && a.accessToken().equals(b.accessToken())
        && java.util.Objects.equals(a.obtainedAt(), b.obtainedAt());
  }

  /**
   * What {@link Entry#decide} said.
   *
   * @param role what to do
   * @param state the state to continue from
   * @param generation the entry's generation when deciding
   */
  public record Decision(Role role, TokenState state, long generation) {}
}
