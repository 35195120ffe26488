package io.github.gatlingjwt.examples.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * One shared, stateless handler for all connections: turns an aggregated request into a call to
 * {@link JwtApiCore#handle} and writes the pre-built response, honouring keep-alive. Runs on the
 * event loop; logs nothing.
 */
@Sharable
final class NettyApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
  private static final AsciiString WWW_AUTHENTICATE_VALUE =
      AsciiString.cached("Bearer error=\"invalid_token\"");
  private static final AsciiString NO_STORE = AsciiString.cached("no-store");

  /** Our header names and values are constants known to be valid: skip per-response validation. */
  private static final HttpHeadersFactory HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private static final HttpHeadersFactory TRAILERS =
      DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

  private final JwtApiCore core;

  NettyApiHandler(JwtApiCore core) {
    this.core = core;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      Throwable cause = request.decoderResult().cause();
      JwtApiCore.Response r =
          cause instanceof TooLongFrameException
              ? JwtApiCore.PAYLOAD_TOO_LARGE
              : JwtApiCore.INVALID_REQUEST;
      write(ctx, r, false, request.protocolVersion());
      return;
    }
    HttpMethod method = request.method();
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q >= 0 ? uri.substring(0, q) : uri;
    byte[] body = null;
    if (method == HttpMethod.POST) {
      ByteBuf content = request.content();
      body = content.isReadable() ? ByteBufUtil.getBytes(content) : new byte[0];
    }
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    JwtApiCore.Response r;
    try {
      r = core.handle(method.name(), path, authorization, body);
    } catch (RuntimeException e) {
      // A bug, not a client error: answer 500 (the message could quote request data: not sent).
      r = JwtApiCore.INTERNAL_ERROR;
    }
    write(ctx, r, HttpUtil.isKeepAlive(request), request.protocolVersion());
  }

  private static void write(
      ChannelHandlerContext ctx, JwtApiCore.Response r, boolean keepAlive, HttpVersion version) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, r.status, Unpooled.wrappedBuffer(r.body), HEADERS, TRAILERS);
    HttpHeaders h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_JSON);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, r.body.length);
    if (r.status.code() == 200 || r.status.code() == 401) {
      h.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
    }
    if (r.wwwAuthenticate) {
      h.set(HttpHeaderNames.WWW_AUTHENTICATE, WWW_AUTHENTICATE_VALUE);
    }
    if (r.retryAfter != null) {
      h.set(HttpHeaderNames.RETRY_AFTER, r.retryAfter);
    }
    if (r.date != null) {
      h.set(HttpHeaderNames.DATE, r.date);
    }
    if (keepAlive) {
      if (version.equals(HttpVersion.HTTP_1_0)) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Connection resets and the like: nothing to report, never log (could echo request data).
    ctx.close();
  }
}
