package io.github.gatlingjwt.internal;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.internal.SharedTokens.Role;
import io.github.gatlingjwt.token.TokenState;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SharedTokensTest {

  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  /** Usable: not expired at T0 + 1 s. */
  static final Predicate<TokenState> USABLE =
      s -> s.expiresAt() == null || T0.plusSeconds(1).isBefore(s.expiresAt());

  static final Predicate<TokenState> ALWAYS = s -> true;

  static TokenState token(String access, String refresh, int lifetimeSeconds) {
    return new TokenState(access, refresh, T0.plusSeconds(lifetimeSeconds), T0);
  }

  final SharedTokens.Entry entry = new SharedTokens().entry("");

  @Test
  void theFirstUserOwnsTheFlightAndTheOthersWait() {
    SharedTokens.Decision first = entry.decide(1, null, USABLE, ALWAYS, T0, LEASE);
    SharedTokens.Decision second = entry.decide(2, null, USABLE, ALWAYS, T0, LEASE);

    assertEquals(Role.OWNER, first.role());
    assertNull(first.state());
    assertEquals(Role.WAIT, second.role());
    assertTrue(entry.waiting(second.generation(), T0));
  }

  @Test
  void aPublishedTokenEndsTheWaitAndIsAdopted() {
    entry.decide(1, null, USABLE, ALWAYS, T0, LEASE);
    SharedTokens.Decision waiting = entry.decide(2, null, USABLE, ALWAYS, T0, LEASE);
    TokenState published = token("a1", "r1", 60);

    entry.publish(1, entry.generation(), published, "alice");

    assertFalse(entry.waiting(waiting.generation(), T0));
    SharedTokens.Decision after = entry.decide(2, null, USABLE, ALWAYS, T0, LEASE);
    assertEquals(Role.ADOPTED, after.role());
    assertSame(published, after.state());
  }

  @Test
  void theOwnerTakesTheRefreshTokenOutOfTheEntry() {
    entry.publish(0, entry.generation(), token("a1", "r1", 60), "alice");
    TokenState held = token("a1", null, 60).refused();
    entry.refused(held);

    SharedTokens.Decision owner = entry.decide(1, held, USABLE, ALWAYS, T0, LEASE);

    assertEquals(Role.OWNER, owner.role());
    assertEquals("r1", owner.state().refreshToken());
    assertNull(entry.state().refreshToken(), "only the owner may spend r1");
  }

  @Test
  void usersKeepAStillValidTokenWhileAnotherRenewsIt() {
    TokenState current = token("a1", "r1", 60);
    entry.publish(0, entry.generation(), current, "alice");
    entry.decide(1, current, USABLE, ALWAYS, T0, LEASE);

    assertEquals(Role.KEEP, entry.decide(2, current, USABLE, ALWAYS, T0, LEASE).role(), "keepable");
    assertEquals(
        Role.WAIT, entry.decide(3, current, USABLE, s -> false, T0, LEASE).role(), "too close");
    assertEquals(
        Role.WAIT, entry.decide(4, current.refused(), USABLE, ALWAYS, T0, LEASE).role(), "refused");
  }

  @Test
  void aFailedFlightLeavesNoTokenSoWaitersGiveUp() {
    entry.decide(1, null, USABLE, ALWAYS, T0, LEASE);
    SharedTokens.Decision waiting = entry.decide(2, null, USABLE, ALWAYS, T0, LEASE);

    entry.release(1, null);

    assertFalse(entry.waiting(waiting.generation(), T0));
    assertNull(entry.state());
    assertNotEquals(waiting.generation(), entry.generation());
  }

  @Test
  void anAbandonedFlightIsTakenOverWhenItsLeaseRunsOut() {
    entry.decide(1, null, USABLE, ALWAYS, T0, LEASE);
    Instant later = T0.plus(LEASE).plusSeconds(1);
    SharedTokens.Decision waiting = entry.decide(2, null, USABLE, ALWAYS, T0, LEASE);

    assertFalse(entry.waiting(waiting.generation(), later));
    assertEquals(Role.OWNER, entry.decide(2, null, USABLE, ALWAYS, later, LEASE).role());
    // the first owner's late release does not end the second one's flight
    entry.release(1, null);
    assertEquals(Role.WAIT, entry.decide(3, null, USABLE, ALWAYS, later, LEASE).role());
  }

  @Test
  void theOwnerExtendsItsLeaseAndALateAnswerOfATakenOverFlightIsDropped() {
    SharedTokens.Decision first = entry.decide(1, null, USABLE, ALWAYS, T0, Duration.ofSeconds(5));
    entry.extend(1, T0.plusSeconds(20));
    SharedTokens.Decision waiting = entry.decide(2, null, USABLE, ALWAYS, T0, LEASE);
    assertTrue(entry.waiting(waiting.generation(), T0.plusSeconds(10)), "lease extended");

    Instant later = T0.plusSeconds(21);
    SharedTokens.Decision second = entry.decide(2, null, USABLE, ALWAYS, later, LEASE);
    assertEquals(Role.OWNER, second.role());
    assertFalse(
        entry.publish(1, first.generation(), token("late", "r-late", 60), "alice"), "taken over");
    assertTrue(entry.publish(2, second.generation(), token("a2", "r2", 60), "alice"));
    assertEquals("a2", entry.state().accessToken());
    assertEquals("alice", entry.identity());
    // and once the new owner has published, the first owner's late answer is still dropped
    assertFalse(entry.publish(1, first.generation(), token("late", "r-late", 60), "alice"));
    assertEquals("a2", entry.state().accessToken());
    assertEquals("r2", entry.state().refreshToken());
  }

  @Test
  void aRefusalOfAnOlderTokenDoesNotTouchTheNewOne() {
    entry.publish(0, entry.generation(), token("a2", "r2", 60), "alice");
    entry.refused(token("a1", null, 60));
    assertEquals(T0.plusSeconds(60), entry.state().expiresAt());
  }

  @Test
  void keysAreSeparateEntries() {
    SharedTokens tokens = new SharedTokens();
    tokens.entry("alice").publish(0, 0, token("a-alice", "r", 60), "alice");
    assertNull(tokens.entry("bob").state());
    assertSame(tokens.entry("alice"), tokens.entry("alice"));
  }
}
