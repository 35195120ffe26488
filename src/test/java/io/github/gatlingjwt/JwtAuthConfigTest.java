package io.github.gatlingjwt;

import static io.github.gatlingjwt.JwtDsl.jwtAuth;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.token.JwtConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Configuration mistakes fail when the simulation is built, with a sentence saying what to do. */
class JwtAuthConfigTest {

  static String message(Executable e) {
    return assertThrows(JwtConfigException.class, e).getMessage();
  }

  @Test
  void chainsNeedCredentials() {
    String m = message(() -> jwtAuth.login());
    assertTrue(m.contains("credentials(\"#{username}\", \"#{password}\")"), m);
    message(() -> jwtAuth.refresh());
  }

  @Test
  void builderIsImmutable() {
    JwtAuth a = jwtAuth.credentials("#{u}", "#{p}");
    JwtAuth b = a.tokenPath("$.data.token");
    assertNotSame(a, b);
    assertTrue(a.toString().contains("tokenPath=$.token"), a.toString());
    assertTrue(b.toString().contains("tokenPath=$.data.token"), b.toString());
    assertTrue(jwtAuth.toString().contains("tokenPath=$.token"));
  }

  @Test
  void badValuesAreRejectedWithWhatToChange() {
    assertTrue(message(() -> jwtAuth.tokenPath("$..token")).contains("is not supported"));
    assertTrue(message(() -> jwtAuth.refusedStatuses(200)).contains("refusedStatuses(401, 403)"));
    assertTrue(message(() -> jwtAuth.refusedStatuses(401, 429)).contains("cannot repair"));
    assertTrue(
        message(() -> jwtAuth.loginFields("email", "email")).contains("two different names"));
    assertTrue(
        message(() -> jwtAuth.credentials("#{u}", "#{p}").refreshTokenPath("$.token").login())
            .contains("noRefreshToken()"));
    assertTrue(message(() -> jwtAuth.refusedStatuses()).contains("refusedStatuses(401)"));
    assertTrue(message(() -> jwtAuth.loginAttempts(0, Duration.ZERO)).contains("between 1 and 20"));
    assertTrue(message(() -> jwtAuth.refreshLeadTime(Duration.ofSeconds(-5))).contains("positive"));
    assertTrue(message(() -> jwtAuth.loginUrl("  ")).contains("loginUrl(\"/api/login\")"));
    assertTrue(message(() -> jwtAuth.credentials("#{username}", "")).contains("password"));
  }

  @Test
  void invalidElIsRejectedAtBuildTime() {
    String m = message(() -> jwtAuth.credentials("#{username", "#{password}"));
    assertTrue(m.contains("not valid Gatling EL"), m);
    assertTrue(m.contains("#{username"), m);
  }

  @Test
  void aSharedTokenCannotBeBuiltFromFedCredentials() {
    String m =
        message(
            () ->
                jwtAuth
                    .credentials("#{username}", "#{password}")
                    .tokenScope(TokenScope.SHARED)
                    .login());
    assertTrue(m.contains("TokenScope.POOLED"), m);
  }

  @Test
  void scopesAssertionsAndNamesAreChecked() {
    assertTrue(message(() -> jwtAuth.tokenScope(null)).contains("TokenScope.SHARED"));
    assertTrue(message(() -> jwtAuth.assertions()).contains("authMetrics().authFailures()"));
    assertTrue(message(() -> jwtAuth.name(" ")).contains("name(\"orders-api\")"));
    assertTrue(
        message(() -> JwtDsl.authMetrics().refreshesPerUser().between(5, 1))
            .contains("lower bound first"));
  }

  @Test
  void authAssertionsReadLikeSentences() {
    assertEquals("auth failures is 0", JwtDsl.authMetrics().authFailures().is(0).toString());
    assertEquals(
        "refreshes per user is at most 12.50",
        JwtDsl.authMetrics().refreshesPerUser().lte(12.5).toString());
    assertEquals(
        "users stopped for auth is less than 1",
        JwtDsl.authMetrics().usersStopped().lt(1).toString());
  }
}
