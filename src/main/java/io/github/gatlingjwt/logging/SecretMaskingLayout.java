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
    return SecretMasker.mask(super.doLayout(event));
  }
}
