package dev.virtualghost.ch.internal;

/**
 * One HTTP answer from CH, before it is mapped to a value or an exception.
 *
 * @param status the HTTP status code
 * @param reason the reason phrase, possibly empty
 * @param body   the body bytes, empty when there was none
 */
public record RawResponse(int status, String reason, byte[] body) {}
