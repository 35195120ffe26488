package io.github.gatlingjwt.internal;

import io.gatling.commons.validation.Failure;
import io.gatling.commons.validation.Success;
import io.gatling.commons.validation.Validation;
import io.gatling.core.action.Action;
import io.gatling.core.check.Check;
import io.gatling.core.check.CheckResult;
import io.gatling.core.session.Session;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.http.check.HttpCheck;
import io.gatling.http.check.HttpCheckScope;
import io.gatling.http.protocol.HttpComponents;
import io.gatling.http.protocol.HttpProtocol;
import io.gatling.http.request.builder.CommonAttributes;
import io.gatling.http.request.builder.HttpAttributes;
import io.gatling.http.request.builder.HttpRequestBuilder;
import io.gatling.http.request.builder.RequestBuilder;
import io.gatling.http.response.Response;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.github.gatlingjwt.JwtSessionKeys;
import io.github.gatlingjwt.token.HttpDates;
import io.github.gatlingjwt.token.RetryPolicy;
import io.github.gatlingjwt.token.TokenGrant;
import io.github.gatlingjwt.token.TokenResponseException;
import io.github.gatlingjwt.token.TokenResponseReader;
import io.github.gatlingjwt.token.TokenState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import scala.Function1;
import scala.Function2;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The few places where gatling-jwt reaches below the Java DSL: response checks whose failure
 * message we write ourselves, and copies of a user's request with its checks made refusal-aware.
 * Written against Gatling 3.15; the integration tests fail if Gatling changes these shapes.
 *
 * <p>For internal use only.
 */
public final class GatlingChecks {

  private static final Validation<CheckResult> NOOP = CheckResult.NoopCheckResultSuccess();

  private GatlingChecks() {}

  /** The status and {@code Retry-After} of an auth answer, kept to decide on a retry. */
  public record AuthAnswer(int status, Long retryAfterSeconds) {}

  /**
   * A status check that saves the answer's status and {@code Retry-After} and always passes (it
   * also stops Gatling adding its default 2xx check: the token check judges the status).
   */
  public static HttpCheck authAnswer(String saveAs) {
    return new HttpCheck(
        new SimpleCheck(
            (response, session) ->
                new Success<>(
                    new CheckResult(
                        Option.apply(
                            new AuthAnswer(
                                response.status().code(),
                                RetryPolicy.parseRetryAfter(
                                    response.headers().get("Retry-After"), answeredAt(response)))),
                        Option.apply(saveAs)))),
        HttpCheckScope.Status$.MODULE$);
  }

  /**
   * The instant an answer was written, on the clock of the server that wrote a {@code Retry-After}
   * date: its {@code Date} header when there is exactly one readable, else the local instant it was
   * received (a server whose clock runs behind ours would otherwise have its date read as already
   * past).
   */
  private static Instant answeredAt(Response response) {
    List<String> dates = response.headers().getAll("Date");
    Instant date = dates.size() == 1 ? HttpDates.parse(dates.get(0)) : null;
    return date != null ? date : Instant.ofEpochMilli(response.endTimestamp());
  }

  /**
   * A check that reads a login or refresh answer and saves the user's new {@link TokenState}
   * straight away, so no later step can be skipped between the answer and the state (an exit from
   * {@code tryMax} or from a {@code during} loop). On failure, the KO message is the reader's
   * sentence (never a token), with the given secrets masked.
   *
   * @param reader reads the answer
   * @param toState turns the grant into the new state, given the session
   * @param secrets values to mask in messages (the password sent, the refresh token spent)
   * @param onFailure told when the answer gave no token
   */
  public static HttpCheck tokenState(
      TokenResponseReader reader,
      BiFunction<io.gatling.javaapi.core.Session, TokenGrant, TokenState> toState,
      Function<io.gatling.javaapi.core.Session, List<String>> secrets,
      Consumer<io.gatling.javaapi.core.Session> onFailure) {
    return new HttpCheck(
        new SimpleCheck(
            (response, session) -> {
              io.gatling.javaapi.core.Session javaSession =
                  new io.gatling.javaapi.core.Session(session);
              try {
                TokenGrant grant =
                    reader.read(
                        response.status().code(),
                        response.headers().get("Content-Type"),
                        response.body().string(),
                        name -> response.headers().getAll(name),
                        // lifetimes count from the request's start: the issuer read its clock
                        // (iat, Date) and began expires_in after it, so the expiry errs early, by
                        // at most the round trip, never late
                        Instant.ofEpochMilli(response.startTimestamp()),
                        secrets.apply(javaSession));
                TokenState state = toState.apply(javaSession, grant);
                return new Success<>(
                    new CheckResult(Option.apply(state), Option.apply(JwtSessionKeys.STATE)));
              } catch (TokenResponseException e) {
                onFailure.accept(javaSession);
                return fail(e.getMessage());
              } catch (RuntimeException e) {
                // a defect of reading (an answer no rule foresaw): a KO that says so, never a
                // crashed virtual user; the exception's own message may quote the answer
                onFailure.accept(javaSession);
                return fail(
                    "the auth answer (status "
                        + response.status().code()
                        + ") could not be read: "
                        + e.getClass().getSimpleName());
              }
            }),
        HttpCheckScope.Body$.MODULE$);
  }

  /** A status check that saves whether the answer was a refusal (e.g. 401), and never fails. */
  public static HttpCheck refusalMarker(Set<Integer> refusedStatuses, String saveAs) {
    return new HttpCheck(
        new SimpleCheck(
            (response, session) ->
                new Success<>(
                    new CheckResult(
                        Option.apply(refusedStatuses.contains(response.status().code())),
                        Option.apply(saveAs)))),
        HttpCheckScope.Status$.MODULE$);
  }

  /**
   * A status check that fails when a replayed request is refused again.
   *
   * @param refusedStatuses the statuses that mean "token refused"
   * @param onRecovered run when the replay was not refused
   */
  public static HttpCheck notRefusedAgain(Set<Integer> refusedStatuses, Runnable onRecovered) {
    return new HttpCheck(
        new SimpleCheck(
            (response, session) -> {
              int status = response.status().code();
              if (refusedStatuses.contains(status)) {
                return fail(
                    "refused again with status "
                        + status
                        + " right after a new token was obtained: not refreshing again");
              }
              onRecovered.run();
              return NOOP;
            }),
        HttpCheckScope.Status$.MODULE$);
  }

  /** Skip a check when the answer is a refusal: a refused attempt is replayed, not judged. */
  public static HttpCheck unlessRefused(HttpCheck check, Set<Integer> refusedStatuses) {
    return new HttpCheck(
        new SimpleCheck(
            (CheckFunction)
                (response, session, preparedCache) ->
                    refusedStatuses.contains(response.status().code())
                        ? NOOP
                        : check.check(response, session, preparedCache)),
        check.scope());
  }

  /**
   * Copy a request with its checks rewritten, once the scenario is built and the HTTP protocol is
   * known: the protocol's checks are treated like the request's own (Gatling would otherwise add
   * them unchanged), and Gatling's default status check is added only where Gatling would add it.
   *
   * @param request the user's request
   * @param first checks placed before the user's (they win when several fail)
   * @param mapCheck applied to each of the request's and the protocol's checks, and to Gatling's
   *     default status check when neither has a status check
   * @param nameSuffix appended to the request name, or null to keep it
   */
  public static ActionBuilder rewrite(
      HttpRequestActionBuilder request,
      List<HttpCheck> first,
      Function<HttpCheck, HttpCheck> mapCheck,
      String nameSuffix) {
    HttpRequestBuilder scala = (HttpRequestBuilder) request.asScala();
    io.gatling.core.action.builder.ActionBuilder deferred =
        new io.gatling.core.action.builder.ActionBuilder() {
          @Override
          public Action build(ScenarioContext ctx, Action next) {
            HttpComponents components =
                ctx.protocolComponentsRegistry().components(HttpProtocol.HttpProtocolKey());
            List<HttpCheck> protocolChecks =
                CollectionConverters.asJava(components.httpProtocol().responsePart().checks());
            return rewrite(scala, protocolChecks, first, mapCheck, nameSuffix).build(ctx, next);
          }
        };
    return () -> deferred;
  }

  private static HttpRequestBuilder rewrite(
      HttpRequestBuilder scala,
      List<HttpCheck> protocolChecks,
      List<HttpCheck> first,
      Function<HttpCheck, HttpCheck> mapCheck,
      String nameSuffix) {
    HttpAttributes attributes = scala.httpAttributes();
    List<HttpCheck> ownChecks = new ArrayList<>(CollectionConverters.asJava(attributes.checks()));
    if (!attributes.ignoreProtocolChecks()) {
      ownChecks.addAll(protocolChecks);
    }
    boolean hasStatusCheck =
        ownChecks.stream().anyMatch(c -> c.scope() == HttpCheckScope.Status$.MODULE$);
    List<HttpCheck> checks = new ArrayList<>(first);
    for (HttpCheck check : ownChecks) {
      checks.add(mapCheck.apply(check));
    }
    if (!hasStatusCheck) {
      checks.add(mapCheck.apply(RequestBuilder.DefaultHttpCheck()));
    }
    HttpAttributes newAttributes =
        new HttpAttributes(
            CollectionConverters.asScala(checks).toList(),
            true, // the protocol's checks are in the list above
            attributes.silent(),
            attributes.followRedirect(),
            attributes.responseTransformer(),
            attributes.explicitResources(),
            attributes.requestTimeout());
    CommonAttributes common = scala.commonAttributes();
    if (nameSuffix != null) {
      Function1<Session, Validation<String>> name = common.requestName();
      Function1<Session, Validation<String>> renamed =
          session -> name.apply(session).map(n -> n + nameSuffix);
      common =
          new CommonAttributes(
              renamed,
              common.method(),
              common.urlOrURI(),
              common.disableUrlEncoding(),
              common.queryParams(),
              common.headers(),
              common.realm(),
              common.proxy(),
              common.signatureCalculators(),
              common.ignoreProtocolHeaders(),
              common.ignoreProtocolSignatureCalculators());
    }
    return new HttpRequestBuilder(common, scala.bodyAttributes(), newAttributes);
  }

  /** Append checks to a request. */
  public static HttpRequestActionBuilder withChecks(
      HttpRequestActionBuilder request, HttpCheck... checks) {
    HttpRequestBuilder scala = (HttpRequestBuilder) request.asScala();
    return new HttpRequestActionBuilder(
        scala.check(CollectionConverters.asScala(List.of(checks)).toSeq()));
  }

  @SuppressWarnings("unchecked")
  private static Validation<CheckResult> fail(String message) {
    return (Validation<CheckResult>) (Validation<?>) new Failure(message);
  }

  /** The body of a check. */
  @FunctionalInterface
  private interface CheckFunction {
    Validation<CheckResult> apply(Response response, Session session, Map<Object, Object> cache);
  }

  /** A check from a plain function; conditions are not supported (never needed here). */
  private static final class SimpleCheck implements Check<Response> {
    private final CheckFunction f;

    SimpleCheck(CheckFunction f) {
      this.f = f;
    }

    SimpleCheck(Function2<Response, Session, Validation<CheckResult>> f) {
      this((response, session, cache) -> f.apply(response, session));
    }

    @Override
    public Validation<CheckResult> check(
        Response response, Session session, Map<Object, Object> preparedCache) {
      return f.apply(response, session, preparedCache);
    }

    @Override
    public Check<Response> checkIf(Function1<Session, Validation<Object>> condition) {
      throw new UnsupportedOperationException("gatling-jwt checks take no condition");
    }

    @Override
    public Check<Response> checkIf(Function2<Response, Session, Validation<Object>> condition) {
      throw new UnsupportedOperationException("gatling-jwt checks take no condition");
    }
  }
}
