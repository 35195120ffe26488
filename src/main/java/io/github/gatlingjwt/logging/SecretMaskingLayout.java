package io.github.gatlingjwt.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.gatlingjwt.token.SecretMasker;

/**
 * A Logback pattern layout that masks secrets in every line it writes (see {@link SecretMasker}),
 * including Gatling's DEBUG dumps of failed requests. Use it in place of the plain pattern:
 *
 * <pre>{@code
 * <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder">
 *     <layout class="io.github.gatlingjwt.logging.SecretMaskingLayout">
 *       <pattern>%d{HH:mm:ss.SSS} %-5level %logger{15} - %msg%n%rEx</pattern>
 *     </layout>
 *   </encoder>
 * </appender>
 * }</pre>
 */
public class SecretMaskingLayout extends PatternLayout {

  @Override
  public String doLayout(ILoggingEvent event) {
    String line = super.doLayout(event);
    try {
      return SecretMasker.mask(line);
    } catch (RuntimeException | StackOverflowError e) {
      // never the raw line: it may hold the very secret that could not be masked
      return "[gatling-jwt: a "
          + line.length()
          + "-character log line from "
          + event.getLoggerName()
          + " was dropped because it could not be masked]"
          + System.lineSeparator();
    }
  }
}
