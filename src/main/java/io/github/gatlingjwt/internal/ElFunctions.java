package io.github.gatlingjwt.internal;

import io.gatling.commons.validation.Failure;
import io.gatling.commons.validation.Success;
import io.gatling.commons.validation.Validation;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.internal.Expressions;
import io.github.gatlingjwt.token.JwtConfigException;
import java.util.function.Function;
import scala.Function1;

/**
 * Gatling EL strings as session functions, compiled when the simulation is built.
 *
 * <p>For internal use only.
 */
public final class ElFunctions {

  private ElFunctions() {}

  /**
   * Compile a Gatling EL String.
   *
   * @param el the EL string, e.g. {@code "#{username}"}
   * @param what what the value is, for messages, e.g. {@code "username"}
   * @return a function that resolves it against a session, and throws with a clear message when an
   *     attribute is missing
   * @throws JwtConfigException when the string is not valid Gatling EL
   */
  public static Function<Session, String> el(String el, String what) {
    Function1<io.gatling.core.session.Session, Validation<String>> expression;
    try {
      expression = Expressions.toStringExpression(el);
    } catch (Exception e) { // ElParserException is a checked exception thrown from Scala
      if (what.equals("password") || what.contains("secret")) {
        // neither the string nor the parser's message (which quotes it): it may be the secret
        throw new JwtConfigException(
            "The "
                + what
                + " is not valid Gatling EL: write attributes as #{name}, or give a literal value"
                + " that contains \"#{\" as a function (s -> ...), best read from the"
                + " environment.");
      }
      throw new JwtConfigException(
          "The "
              + what
              + " \""
              + el
              + "\" is not valid Gatling EL ("
              + e.getMessage()
              + "): write attributes as #{name}.");
    }
    return session -> {
      Validation<String> v = expression.apply(session.asScala());
      if (v instanceof Success) {
        return ((Success<String>) v).value();
      }
      throw new IllegalStateException(
          "no "
              + what
              + ": "
              + ((Failure) (Validation<?>) v).message()
              + " (feed it before this step)");
    };
  }
}
