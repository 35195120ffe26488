package io.github.gatlingjwt.it;

import static io.github.gatlingjwt.JwtDsl.*;

import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.JwtMint;
import io.github.gatlingjwt.TokenScope;
import io.github.gatlingjwt.token.SigningKey;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link LifecycleTestSimulation} with the token modes of issue 3 on top, each a system property:
 *
 * <ul>
 *   <li>{@code it.oauth2}: {@code password} or {@code client_credentials}, against {@code
 *       it.tokenUrl} (default {@code /oauth/token}), with {@code it.clientId}, {@code
 *       it.clientSecret}, {@code it.clientAuth} ({@code basic} or {@code post}), {@code it.scope}
 *   <li>{@code it.tokenHeader}, {@code it.tokenCookie}, {@code it.refreshTokenCookie}, {@code
 *       it.firstLoginResponse}: where the tokens are in the answers
 *   <li>{@code it.sendHeader} (with {@code it.sendScheme}), {@code it.sendCookie}: where the token
 *       goes
 *   <li>{@code it.mint}: {@code hs256} (secret {@code it.mintSecret}) or {@code rs256} / {@code
 *       es256} (PKCS#8 file {@code it.mintKeyFile}), lifetime {@code it.mintTtl} seconds, claim
 *       {@code role} from {@code it.mintRole} (EL); with {@code it.mintShared=true}, one service
 *       token (fixed claims) in the SHARED scope
 * </ul>
 */
public class TokenModesTestSimulation extends LifecycleTestSimulation {

  @Override
  JwtAuth auth() {
    JwtAuth auth = super.auth();
    String grant = prop("oauth2", "");
    if (!grant.isEmpty()) {
      auth = auth.oauth2TokenUrl(prop("tokenUrl", "/oauth/token"));
      if (!prop("clientId", "").isEmpty()) {
        auth = auth.clientId(prop("clientId", ""));
      }
      if (!prop("clientSecret", "").isEmpty()) {
        auth = auth.clientSecret(prop("clientSecret", ""));
      }
      if (prop("clientAuth", "basic").equals("post")) {
        auth = auth.clientSecretPost();
      }
      if (!prop("scope", "").isEmpty()) {
        auth = auth.scope(prop("scope", ""));
      }
      auth =
          grant.equals("client_credentials")
              ? auth.clientCredentials()
              : auth.passwordGrant("#{username}", "#{password}");
    }
    if (!prop("tokenHeader", "").isEmpty()) {
      auth = auth.tokenHeader(prop("tokenHeader", ""));
    }
    if (!prop("tokenCookie", "").isEmpty()) {
      auth = auth.tokenCookie(prop("tokenCookie", ""));
    }
    if (!prop("refreshTokenCookie", "").isEmpty()) {
      auth = auth.refreshTokenCookie(prop("refreshTokenCookie", ""));
    }
    if (!prop("refreshTokenHeader", "").isEmpty()) {
      auth = auth.refreshTokenHeader(prop("refreshTokenHeader", ""));
    }
    if (!prop("expiresInHeader", "").isEmpty()) {
      auth = auth.expiresInHeader(prop("expiresInHeader", ""));
    }
    if (!prop("expiresInCookie", "").isEmpty()) {
      auth = auth.expiresInCookie(prop("expiresInCookie", ""));
    }
    if (Boolean.parseBoolean(prop("firstLoginResponse", "false"))) {
      auth = auth.tokenFromFirstLoginResponse();
    }
    if (!prop("sendHeader", "").isEmpty()) {
      auth =
          prop("sendScheme", "").isEmpty()
              ? auth.sendInHeader(prop("sendHeader", ""))
              : auth.sendInHeader(prop("sendHeader", ""), prop("sendScheme", ""));
    }
    if (!prop("sendCookie", "").isEmpty()) {
      auth = auth.sendAsCookie(prop("sendCookie", ""));
    }
    String mint = prop("mint", "");
    if (!mint.isEmpty()) {
      SigningKey key =
          switch (mint) {
            case "rs256" -> SigningKey.rs256(Path.of(prop("mintKeyFile", "")));
            case "es256" -> SigningKey.es256(Path.of(prop("mintKeyFile", "")));
            default -> SigningKey.hs256(prop("mintSecret", ""));
          };
      JwtMint recipe =
          Boolean.parseBoolean(prop("mintShared", "false"))
              // one service identity for every user: the same claims for all
              ? jwtMint(key).subject("service").claim("role", "service")
              : jwtMint(key)
                  .subject("#{username}")
                  .claim("role", prop("mintRole", "tester"))
                  .claim("n", session -> session.userId());
      auth = auth.mintTokens(recipe.lifetime(Duration.ofSeconds(intProp("mintTtl", 300))));
      if (Boolean.parseBoolean(prop("mintShared", "false"))) {
        // the feeder's per-user credentials would make each account a token of its own
        auth = auth.credentials("service", "not-used-when-minting").tokenScope(TokenScope.SHARED);
      }
    }
    return auth;
  }
}
