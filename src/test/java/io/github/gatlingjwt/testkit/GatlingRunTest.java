package io.github.gatlingjwt.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console reader the integration tests rely on: it must not miss what it cannot parse. */
class GatlingRunTest {

  static final String CONSOLE =
      String.join(
          "\n",
          "---- Requests ------------------------------------------|---Total---|-----OK----|----KO----",
          "> Global                                                 |     9,999 |     9,998 |         1",
          "> auth: login                                            |         1 |         1 |         0",
          "> items: list (replay)                                   |    10,631 |    10,630 |         1",
          "---- Global Information -------------------------------|---Total---|-----OK----|----KO----",
          "> request count                                          |     9,999 |     9,998 |         1",
          "---- Errors ----------------------------------------------------------------------------",
          "> refresh refused with status 401 (error: invalid_grant, error_description: refresh to     1,234 (99.9%)",
          "ken already used)",
          "> status.find.in([200, 209], 304), found 500                                                   1 ( 0.1%)",
          "========================================================================================");

  @Test
  void readsGroupedNumbersAndWrappedMessages() {
    GatlingRun run = GatlingRun.fromOutput(0, CONSOLE);
    assertEquals(new GatlingRun.Counts(1, 0), run.counts("auth: login"));
    assertEquals(new GatlingRun.Counts(10630, 1), run.counts("items: list (replay)"));
    assertEquals(
        Map.of(
            "refresh refused with status 401 (error: invalid_grant, error_description: refresh token"
                + " already used)",
            1234L,
            "status.find.in([200, 209], 304), found 500",
            1L),
        run.errors());
  }

  @Test
  void refusesASummaryItCannotRead() {
    assertThrows(
        IllegalStateException.class,
        () -> GatlingRun.fromOutput(0, "---- Requests ---\n> garbled line without columns\n"));
  }
}
