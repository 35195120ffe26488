package io.github.gatlingjwt.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console reader the integration tests rely on: it must not miss what it cannot parse. */
class GatlingRunTest {

  /** An error line as Gatling 3.15 prints it: 99 characters of message, count, percentage. */
  static String errorLines(String message, String count, String percentage) {
    String first = message.length() > 99 ? message.substring(0, 99) : message;
    String line =
        "> " + String.format("%-99s", first) + " " + String.format("%9s", count) + " " + percentage;
    return message.length() > 99 ? line + "\n" + message.substring(99) : line;
  }

  static final String LONG =
      "the login response failed its success check: `$.status` is \"fail\", expected \"success\""
          + " (status 200) (message: Password is not correct.)";

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
          errorLines(LONG, "1,234", "(99.9%)"),
          errorLines("status.find.in([200, 209], 304), found 500", "1", " (0.1%)"),
          "========================================================================================");

  @Test
  void readsGroupedNumbersAndWrappedMessages() {
    GatlingRun run = GatlingRun.fromOutput(0, CONSOLE);
    assertEquals(new GatlingRun.Counts(1, 0), run.counts("auth: login"));
    assertEquals(new GatlingRun.Counts(10630, 1), run.counts("items: list (replay)"));
    assertEquals(
        Map.of(LONG, 1234L, "status.find.in([200, 209], 304), found 500", 1L), run.errors());
  }

  @Test
  void refusesASummaryItCannotRead() {
    assertThrows(
        IllegalStateException.class,
        () -> GatlingRun.fromOutput(0, "---- Requests ---\n> garbled line without columns\n"));
  }
}
