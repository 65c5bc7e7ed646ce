/**
 * authfn's library for a team's own Lambda functions behind the authfn authorizer.
 *
 * <p>The authorizer has already decided that the request may pass; a function reads who the caller
 * is with {@link dev.authfn.handler.Principal#from(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent)}
 * and checks its own requirement again (defence in depth) with {@link dev.authfn.handler.Require}:
 *
 * <pre>{@code
 * private static final Require WRITE = Require.permission("orders:write");
 *
 * public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
 *     return switch (WRITE.check(event)) {
 *         case Access.Granted granted -> created(granted.principal());
 *         case Access.Denied denied -> denied.toHttpApiResponse();
 *     };
 * }
 * }</pre>
 *
 * <p>The API is {@link dev.authfn.handler.Principal}, {@link dev.authfn.handler.Require},
 * {@link dev.authfn.handler.Access} and {@link dev.authfn.handler.ContextKeys}; everything under
 * {@code dev.authfn.handler.internal} may change in any release. The library depends on
 * {@code aws-lambda-java-core} and {@code aws-lambda-java-events} only: it verifies no token (the
 * authorizer did), so it carries no JOSE library, no Bouncy Castle and no AWS SDK.
 */
package dev.authfn.handler;
