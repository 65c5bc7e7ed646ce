// Verifies authfn access tokens with two verifiers authfn did not write, through the discovery
// document and JWKS the local API serves. NodeVerifiersIT (local/src/test/java/.../e2e) starts the
// API, mints or logs in the tokens and asserts every outcome; this script only reports them.
//
// stdin:  {"discovery": "<url of /.well-known/openid-configuration>", "audience": "...",
//          "tokens": {"<name>": "<jwt>", ...}}
// stdout: {"issuer": ..., "jwks_uri": ..., "results": {"<name>": {"aws-jwt-verify": {...}, "jose": {...}}}}
//         each outcome {"valid": true, "sub": ...} or {"valid": false, "error": <error class or code>}
// Tokens are never printed.
import { JwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { createRemoteJWKSet, jwtVerify } from "jose";

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const response = await fetch(input.discovery, { redirect: "error" });
if (!response.ok) {
  throw new Error(`discovery answered ${response.status}`);
}
const discovery = await response.json();

// awslabs' generic verifier: issuer, audience and the JWKS URI from the discovery document. Its
// default fetcher speaks https only (as it should in Lambda); the local API serves http on
// 127.0.0.1, so only the transport is swapped for Node's fetch. Caching, kid lookup, the
// penalty box and every check stay aws-jwt-verify's own.
const httpFetcher = {
  async fetch(uri) {
    const answer = await fetch(uri, { redirect: "error" });
    if (!answer.ok) {
      throw new Error(`JWKS answered ${answer.status}`);
    }
    return answer.arrayBuffer();
  },
};
const awsVerifier = JwtVerifier.create(
  {
    issuer: discovery.issuer,
    audience: input.audience,
    jwksUri: discovery.jwks_uri,
  },
  { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
);

// panva's jose: the remote JWK set, with RFC 9068's "typ" and the algorithms discovery names.
const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
const joseOptions = {
  issuer: discovery.issuer,
  audience: input.audience,
  typ: "at+jwt",
  algorithms: discovery.id_token_signing_alg_values_supported,
};

async function outcome(verify) {
  try {
    const payload = await verify();
    return { valid: true, sub: payload.sub };
  } catch (error) {
    // jose names its errors by code (ERR_JWT_EXPIRED); aws-jwt-verify by class (JwtExpiredError).
    const refused = { valid: false, error: error.code ?? error.constructor.name };
    if (typeof error.claim === "string") {
      refused.claim = error.claim; // jose: which claim failed
    }
    return refused;
  }
}

const results = {};
for (const [name, token] of Object.entries(input.tokens)) {
  results[name] = {
    "aws-jwt-verify": await outcome(() => awsVerifier.verify(token)),
    jose: await outcome(async () => (await jwtVerify(token, jwks, joseOptions)).payload),
  };
}
process.stdout.write(JSON.stringify({ issuer: discovery.issuer, jwks_uri: discovery.jwks_uri, results }));
