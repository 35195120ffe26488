package io.github.gatlingjwt.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdentityWatchTest {

  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void aRefreshExtendsTheHoldSoALaterLoginOnTheSameAccountIsNoticed() {
    IdentityWatch watch = new IdentityWatch();
    // user 1 logs in with a 10 s token and refreshes it at 8 s, to 18 s
    assertFalse(watch.loggedIn("alice", 1, T0, T0.plusSeconds(10)));
    assertFalse(watch.loggedIn("alice", 1, T0.plusSeconds(8), T0.plusSeconds(18)));
    // user 2 joins as alice at 15 s: past the first token, within the refreshed one
    assertTrue(watch.loggedIn("alice", 2, T0.plusSeconds(15), T0.plusSeconds(25)));
  }

  @Test
  void aLoginAfterTheOtherUsersTokenEndedIsNoOverlap() {
    IdentityWatch watch = new IdentityWatch();
    assertFalse(watch.loggedIn("alice", 1, T0, T0.plusSeconds(10)));
    assertFalse(watch.loggedIn("alice", 2, T0.plusSeconds(11), T0.plusSeconds(21)));
    assertFalse(watch.loggedIn("bob", 3, T0.plusSeconds(12), T0.plusSeconds(22)));
    assertFalse(watch.loggedIn(null, 4, T0.plusSeconds(12), T0.plusSeconds(22)));
  }
}
