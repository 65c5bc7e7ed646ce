// The acceptance test of authfn's OpenID Connect provider (docs/API.md §18, issue 17), written
// with a relying-party library authfn did not write: panva's openid-client v6 (on oauth4webapi),
// and jose for the client-credentials token. OidcClientIT (local/src/test/java/.../e2e) starts the
// local API on the run's DynamoDB API, registers the two clients and the user, and runs this
// script; the script does what an app would, step by step, and prints one "ok N - ..." line per
// step passed. The first failed check ends it with exit code 1 and a line naming the step and
// what was expected; tokens, codes, secrets and the password are never printed.
//
// Environment (all required but the last):
//   AUTHFN_OIDC_ISSUER              the local API's base URL, which is its issuer (http://127.0.0.1:<port>)
//   AUTHFN_OIDC_PUBLIC_CLIENT       a public client's id (PKCE only), scopes openid profile email offline_access
//   AUTHFN_OIDC_REDIRECT_URI        that client's registered redirect URI (nothing needs to listen there)
//   AUTHFN_OIDC_CONFIDENTIAL_CLIENT a confidential client's id
//   AUTHFN_OIDC_CONFIDENTIAL_SECRET its secret, as `./authfn clients add --confidential` printed it
//   AUTHFN_OIDC_CONFIDENTIAL_SCOPE  the scope its client-credentials token must carry (space-separated, sorted)
//   AUTHFN_OIDC_USERNAME, AUTHFN_OIDC_PASSWORD, AUTHFN_OIDC_USER_ID  the user who logs in, and its id (sub)
//   AUTHFN_OIDC_AUDIENCE            the API's access token audience (AUTHFN_AUDIENCE)
//   AUTHFN_OIDC_REFRESH_GRACE_SECONDS  the API's AUTHFN_OAUTH_REFRESH_GRACE in seconds (default 10): how long
//                                   to wait before presenting a rotated-out refresh token counts as reuse
import * as client from "openid-client";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { createHash } from "node:crypto";

const SCOPE = "openid profile email offline_access";
const SESSION_COOKIE = "__Host-session";

class Failure extends Error {}

let stepNumber = 0;
let stepName = "reading the environment";

function step(name) {
  stepName = name;
}

function pass(detail) {
  stepNumber += 1;
  console.log(`ok ${stepNumber} - ${stepName}${detail ? `: ${detail}` : ""}`);
}

function check(condition, message) {
  if (!condition) {
    throw new Failure(message);
  }
}

function equal(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected),
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  check(value !== undefined && value !== "", `environment variable ${name} is not set`);
  return value;
}

/** What an error says, without the request or response it may hold (they may carry tokens). */
function describe(error) {
  if (error instanceof client.ResponseBodyError) {
    return `${error.status} ${error.error}${error.error_description ? ` (${error.error_description})` : ""}`;
  }
  return `${error?.constructor?.name ?? typeof error}${error?.code ? ` ${error.code}` : ""}: ${error?.message}`;
}

/** Runs a call the API must refuse with this OAuth error code; the error openid-client threw. */
async function refusedWith(call, expectedError, what) {
  let answer;
  try {
    answer = await call();
  } catch (error) {
    check(error instanceof client.ResponseBodyError && error.error === expectedError,
      `${what}: expected the token endpoint's ${expectedError}, got ${describe(error)}`);
    return error;
  }
  throw new Failure(`${what}: expected ${expectedError}, but it succeeded (token_type ${answer?.token_type})`);
}

/** The Lambda-authorizer-protected example route, with a bearer token; its status and body. */
async function getProtected(accessToken) {
  const response = await fetch(new URL("/protected", issuer), {
    headers: { authorization: `Bearer ${accessToken}` },
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, body: text };
}

/** base64url of the left half of SHA-256 of the token's ASCII (OpenID Connect Core §3.1.3.6, for RS256). */
function atHash(accessToken) {
  const digest = createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

let issuer, publicClientId, redirectUri, confidentialClientId, confidentialSecret, confidentialScope;
let username, password, userId, audience, graceSeconds;

function readEnvironment() {
  issuer = env("AUTHFN_OIDC_ISSUER");
  publicClientId = env("AUTHFN_OIDC_PUBLIC_CLIENT");
  redirectUri = env("AUTHFN_OIDC_REDIRECT_URI");
  confidentialClientId = env("AUTHFN_OIDC_CONFIDENTIAL_CLIENT");
  confidentialSecret = env("AUTHFN_OIDC_CONFIDENTIAL_SECRET");
  confidentialScope = env("AUTHFN_OIDC_CONFIDENTIAL_SCOPE");
  username = env("AUTHFN_OIDC_USERNAME");
  password = env("AUTHFN_OIDC_PASSWORD");
  userId = env("AUTHFN_OIDC_USER_ID");
  audience = env("AUTHFN_OIDC_AUDIENCE");
  graceSeconds = Number(env("AUTHFN_OIDC_REFRESH_GRACE_SECONDS", "10"));
  check(Number.isInteger(graceSeconds) && graceSeconds >= 0 && graceSeconds <= 60,
    `AUTHFN_OIDC_REFRESH_GRACE_SECONDS is ${process.env.AUTHFN_OIDC_REFRESH_GRACE_SECONDS}, expected 0 to 60`);
}

let sessionCookie;

/**
 * One authorization: PKCE, state and nonce made by the library, the URL built by it; the browser's
 * part done with fetch (the login page, the hosted page's login, the redirect); the callback URL.
 */
async function authorize(config, { expectLoginPage }) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  check(authorizationUrl.href.startsWith(config.serverMetadata().authorization_endpoint + "?"),
    `the authorization URL is not at the discovered authorization_endpoint: ${authorizationUrl.origin}${authorizationUrl.pathname}`);

  if (expectLoginPage) {
    step("GET the authorization URL without a session: the hosted login page");
    const page = await fetch(authorizationUrl, { redirect: "manual" });
    const html = await page.text();
    equal(page.status, 200, "status of the authorization request without a session");
    check((page.headers.get("content-type") ?? "").startsWith("text/html"),
      `the login page's Content-Type is ${page.headers.get("content-type")}, expected text/html`);
    const csp = page.headers.get("content-security-policy") ?? "";
    check(csp.includes("default-src 'none'") && csp.includes("frame-ancestors 'none'"),
      `the login page's Content-Security-Policy is ${JSON.stringify(csp)}`);
    check(html.length > 0, "the login page is empty");
    pass(`200 ${page.headers.get("content-type")}, CSP ${csp.split(";")[0]}; …`);

    step("log in as the hosted page does (POST /auth/login) and keep the session cookie");
    const login = await fetch(new URL("/auth/login", issuer), {
      method: "POST",
      headers: { "content-type": "application/json", origin: new URL(issuer).origin },
      body: JSON.stringify({ username, password }),
      redirect: "manual",
    });
    await login.arrayBuffer();
    equal(login.status, 200, "status of POST /auth/login");
    const cookie = login.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
    check(cookie !== undefined, `POST /auth/login set no ${SESSION_COOKIE} cookie`);
    sessionCookie = cookie.slice(0, cookie.indexOf(";") < 0 ? cookie.length : cookie.indexOf(";"));
    pass(`200, ${SESSION_COOKIE} set`);
  }

  step("GET the authorization URL again with the session cookie: 302 to the client with code, state and iss");
  const redirect = await fetch(authorizationUrl, { headers: { cookie: sessionCookie }, redirect: "manual" });
  await redirect.arrayBuffer();
  equal(redirect.status, 302, "status of the authorization request with a session");
  const location = new URL(redirect.headers.get("location") ?? "about:blank");
  equal(`${location.origin}${location.pathname}`, redirectUri, "the redirect's target");
  check(location.searchParams.get("code"), `the redirect has no code (its parameters: ${[...location.searchParams.keys()]})`);
  equal(location.searchParams.get("state"), state, "the redirect's state");
  equal(location.searchParams.get("iss"), config.serverMetadata().issuer, "the redirect's iss (RFC 9207)");
  pass("302 with code, state and iss");
  return { callbackUrl: location, codeVerifier, state, nonce };
}

async function exchange(config, authorization) {
  // openid-client checks state and iss on the callback, sends the verifier, and validates the ID
  // token: iss, aud, azp, exp/iat, nonce, and (enableNonRepudiationChecks) its signature against
  // the discovered jwks_uri. It does not check at_hash in the code flow (Core §3.1.3.8 makes it
  // optional there), so that is checked below.
  return client.authorizationCodeGrant(config, authorization.callbackUrl, {
    pkceCodeVerifier: authorization.codeVerifier,
    expectedState: authorization.state,
    expectedNonce: authorization.nonce,
    idTokenExpected: true,
  });
}

async function main() {
  readEnvironment();
  // The local API speaks plain http on 127.0.0.1, so openid-client's https-only rule is lifted
  // for this configuration (allowInsecureRequests); a deployed authfn is https and needs no such
  // option. Nothing else about the library's checks is relaxed.
  step("discovery (public client, token endpoint auth none)");
  const publicClient = await client.discovery(new URL(issuer), publicClientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  client.enableNonRepudiationChecks(publicClient);
  const metadata = publicClient.serverMetadata();
  equal(metadata.issuer, issuer, "the discovery document's issuer");
  check(metadata.code_challenge_methods_supported?.includes("S256"), "discovery lists no S256 code challenge method");
  equal(metadata.authorization_response_iss_parameter_supported, true, "authorization_response_iss_parameter_supported");
  for (const endpoint of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint", "jwks_uri"]) {
    check(typeof metadata[endpoint] === "string" && metadata[endpoint].startsWith(issuer + "/"),
      `discovery's ${endpoint} is ${JSON.stringify(metadata[endpoint])}, not under the issuer`);
  }
  pass(`issuer ${metadata.issuer}`);

  const loginStarted = Math.floor(Date.now() / 1000);
  const first = await authorize(publicClient, { expectLoginPage: true });

  step("authorizationCodeGrant: code + PKCE verifier for tokens, the ID token validated by openid-client");
  const tokens = await exchange(publicClient, first);
  equal(tokens.token_type?.toLowerCase(), "bearer", "token_type");
  check(typeof tokens.access_token === "string", "no access_token");
  check(typeof tokens.refresh_token === "string", "no refresh_token although offline_access was asked for");
  check(typeof tokens.id_token === "string", "no id_token although openid was asked for");
  equal((tokens.scope ?? "").split(" ").sort(), SCOPE.split(" ").sort(), "the granted scope");
  check(tokens.expiresIn() > 0, `expires_in is ${tokens.expires_in}`);
  pass(`access, refresh and ID tokens, scope "${tokens.scope}", expires_in ${tokens.expires_in}`);

  step("the ID token's claims: sub, preferred_username, amr, auth_time, at_hash");
  const claims = tokens.claims();
  const now = Math.floor(Date.now() / 1000);
  equal(claims.sub, userId, "sub");
  equal(claims.aud, publicClientId, "aud");
  equal(claims.preferred_username, username, "preferred_username");
  equal(claims.amr, ["pwd"], "amr");
  check(Number.isInteger(claims.auth_time) && claims.auth_time >= loginStarted - 1 && claims.auth_time <= now + 1,
    `auth_time ${claims.auth_time} is not the login's (between ${loginStarted} and ${now})`);
  equal(claims.at_hash, atHash(tokens.access_token), "at_hash");
  equal(decodeProtectedHeader(tokens.id_token).alg, "RS256", "the ID token's alg");
  pass(`sub ${claims.sub}, amr ${JSON.stringify(claims.amr)}, auth_time ${claims.auth_time}`);

  step("fetchUserInfo with the access token");
  const userinfo = await client.fetchUserInfo(publicClient, tokens.access_token, claims.sub);
  equal(userinfo.sub, userId, "userinfo sub");
  equal(userinfo.preferred_username, username, "userinfo preferred_username");
  pass(`sub ${userinfo.sub}, preferred_username ${userinfo.preferred_username}`);

  step("GET /protected with the access token (behind authfn's Lambda authorizer)");
  const allowed = await getProtected(tokens.access_token);
  equal(allowed.status, 200, `GET /protected status (body ${allowed.body})`);
  equal(JSON.parse(allowed.body).sub, userId, "GET /protected's sub");
  pass("200");

  step("refreshTokenGrant: a new access token and a rotated refresh token");
  const refreshed = await client.refreshTokenGrant(publicClient, tokens.refresh_token);
  check(typeof refreshed.refresh_token === "string", "the refresh answered no refresh_token");
  check(refreshed.refresh_token !== tokens.refresh_token, "the refresh token was not rotated");
  check(refreshed.access_token !== tokens.access_token, "the refresh answered the same access token");
  equal((await getProtected(refreshed.access_token)).status, 200, "GET /protected with the refreshed access token");
  pass("rotated; the new access token passes /protected");

  step(`the first refresh token again after the grace (${graceSeconds} s): reuse, invalid_grant`);
  if (graceSeconds > 0) {
    await new Promise((resolve) => setTimeout(resolve, (graceSeconds + 1) * 1000));
  }
  await refusedWith(() => client.refreshTokenGrant(publicClient, tokens.refresh_token), "invalid_grant",
    "refreshing with the rotated-out token");
  pass("invalid_grant");

  step("the family is revoked: the rotated (second) refresh token fails too");
  await refusedWith(() => client.refreshTokenGrant(publicClient, refreshed.refresh_token), "invalid_grant",
    "refreshing with the current token after reuse");
  pass("invalid_grant");

  step("the grant's session ended: its access tokens are refused by /protected");
  for (const [name, token] of [["first", tokens.access_token], ["refreshed", refreshed.access_token]]) {
    const refused = await getProtected(token);
    check(refused.status === 401 || refused.status === 403,
      `GET /protected with the ${name} access token after reuse answered ${refused.status}, expected 401 or 403`);
  }
  pass("both refused");

  const second = await authorize(publicClient, { expectLoginPage: false });
  step("a second code exchange, then tokenRevocation of its refresh token");
  const secondTokens = await exchange(publicClient, second);
  check(typeof secondTokens.refresh_token === "string", "the second exchange answered no refresh_token");
  equal((await getProtected(secondTokens.access_token)).status, 200, "GET /protected before revocation");
  await client.tokenRevocation(publicClient, secondTokens.refresh_token, { token_type_hint: "refresh_token" });
  pass("revoked (200)");

  step("refresh with the revoked token: invalid_grant, and its access token is refused");
  await refusedWith(() => client.refreshTokenGrant(publicClient, secondTokens.refresh_token), "invalid_grant",
    "refreshing with a revoked token");
  const afterRevocation = await getProtected(secondTokens.access_token);
  check(afterRevocation.status === 401 || afterRevocation.status === 403,
    `GET /protected after revocation answered ${afterRevocation.status}, expected 401 or 403`);
  pass(`invalid_grant; /protected ${afterRevocation.status}`);

  step("clientCredentialsGrant (confidential client, client_secret_basic)");
  const confidentialClient = await client.discovery(new URL(issuer), confidentialClientId, undefined,
    client.ClientSecretBasic(confidentialSecret), { execute: [client.allowInsecureRequests] });
  const serviceTokens = await client.clientCredentialsGrant(confidentialClient);
  check(serviceTokens.refresh_token === undefined, "client_credentials answered a refresh_token");
  check(serviceTokens.id_token === undefined, "client_credentials answered an id_token");
  pass(`scope "${serviceTokens.scope}"`);

  step("the client-credentials access token verified with jose (JWKS from discovery, issuer, audience)");
  const jwks = createRemoteJWKSet(new URL(confidentialClient.serverMetadata().jwks_uri));
  const { payload, protectedHeader } = await jwtVerify(serviceTokens.access_token, jwks, {
    issuer,
    audience,
    typ: "at+jwt",
    algorithms: ["RS256"],
    requiredClaims: ["exp", "iat", "jti", "client_id", "scope"],
  });
  equal(protectedHeader.alg, "RS256", "alg");
  equal(payload.client_id, confidentialClientId, "client_id");
  equal(payload.sub, confidentialClientId, "sub");
  equal(payload.scope, confidentialScope, "scope");
  check(payload.sid === undefined, "a client-credentials token carries a sid");
  pass(`sub ${payload.sub}, client_id ${payload.client_id}, scope "${payload.scope}"`);
}

try {
  await main();
  console.log(`oidc.mjs: all ${stepNumber} steps passed`);
} catch (error) {
  const reason = error instanceof Failure ? error.message : describe(error);
  console.error(`oidc.mjs: FAILED at step ${stepNumber + 1} (${stepName}): ${reason}`);
  process.exitCode = 1;
}
