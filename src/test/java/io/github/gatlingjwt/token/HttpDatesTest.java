package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

  static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  @Test
  void theThreeFormsOfRfc9110AreRead() {
    assertEquals(RFC_EXAMPLE, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
    assertEquals(RFC_EXAMPLE, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
    assertEquals(RFC_EXAMPLE, HttpDates.parse("Sun Nov  6 08:49:37 1994"));
    // and the Netscape cookie form, with a four-digit year
    assertEquals(RFC_EXAMPLE, HttpDates.parse("Sun, 06-Nov-1994 08:49:37 GMT"));
    // leniently: surrounding blanks, a one-digit day
    assertEquals(
        Instant.parse("2026-12-03T19:05:01Z"), HttpDates.parse(" Thu, 3 Dec 2026 19:05:01 GMT "));
  }

  @Test
  void aTwoDigitYearIsReadAsAYearOfTheLastFiftyOrNextFifty() {
    assertEquals(
        Instant.parse("2026-12-03T19:05:01Z"), HttpDates.parse("Thursday, 03-Dec-26 19:05:01 GMT"));
  }

  @Test
  void nonsenseIsIgnored() {
    assertNull(HttpDates.parse(null));
    assertNull(HttpDates.parse(""));
    assertNull(HttpDates.parse("yesterday"));
    assertNull(HttpDates.parse("1733252701"));
    assertNull(HttpDates.parse("Sun, 32 Nov 1994 08:49:37 GMT"));
  }

  @Test
  void serversSendImfFixdateWithATwoDigitDay() {
    Instant t = Instant.parse("2026-12-03T09:05:01.750Z");
    assertEquals("Thu, 03 Dec 2026 09:05:01 GMT", HttpDates.format(t));
    assertEquals(Instant.parse("2026-12-03T09:05:01Z"), HttpDates.parse(HttpDates.format(t)));
  }
}
