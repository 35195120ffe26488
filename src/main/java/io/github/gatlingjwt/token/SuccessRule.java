package io.github.gatlingjwt.token;

/**
 * A rule a 2xx login or refresh answer must pass to count as a success, for APIs that answer 200 to
 * a failed login (e.g. {@code {"status": "fail", "message": "..."}}).
 *
 * @param location where the success marker is
 * @param expected the value it must have, compared as text
 */
public record SuccessRule(JsonLocation location, String expected) {}
