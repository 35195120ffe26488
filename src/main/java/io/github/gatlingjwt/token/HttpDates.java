package io.github.gatlingjwt.token;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP dates ({@code Date}, {@code Retry-After}), in the three forms RFC 9110 5.6.7 asks a
 * recipient to accept: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850
 * form ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov 6 08:49:37 1994}). All
 * are UTC. The Netscape cookie form ({@code Thu, 01-Jan-1970 00:00:00 GMT}) is read too.
 */
public final class HttpDates {

  /** IMF-fixdate, leniently: a one-digit day is read too. */
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  /**
   * RFC 850 with a two-digit year, read (as RFC 9110 asks) as the most recent past year ending in
   * those digits, give or take: the base is 50 years before now.
   */
  private static final DateTimeFormatter RFC_850 =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(50))
          .appendPattern(" HH:mm:ss 'GMT'")
          .toFormatter(Locale.US);

  /**
   * The Netscape cookie form, {@code Thu, 01-Jan-1970 00:00:00 GMT}: not an HTTP date, but what old
   * servers still write in a {@code Set-Cookie} {@code Expires} to delete a cookie.
   */
  private static final DateTimeFormatter NETSCAPE_COOKIE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("EEE, dd-MMM-yyyy HH:mm:ss 'GMT'")
          .toFormatter(Locale.US);

  /** asctime: the day of the month is padded with a space. */
  private static final DateTimeFormatter ASCTIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("EEE MMM ppd HH:mm:ss yyyy")
          .toFormatter(Locale.US);

  /** What servers must send: IMF-fixdate with a two-digit day. */
  private static final DateTimeFormatter SEND =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private HttpDates() {}

  /**
   * Parse an HTTP date.
   *
   * @param value the header value, or null
   * @return the instant, or null when absent or not an HTTP date (an unusable header is ignored)
   */
  public static Instant parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      return ZonedDateTime.parse(v, IMF_FIXDATE).toInstant();
    } catch (DateTimeParseException e) {
      // try the obsolete forms
    }
    try {
      return LocalDateTime.parse(v, RFC_850).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the Netscape cookie form
    }
    try {
      return LocalDateTime.parse(v, NETSCAPE_COOKIE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try asctime
    }
    try {
      return LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Format an instant as IMF-fixdate, the form a server sends.
   *
   * @param instant the instant
   * @return e.g. {@code Thu, 03 Dec 2026 19:05:01 GMT}
   */
  public static String format(Instant instant) {
    return SEND.format(instant);
  }
}
