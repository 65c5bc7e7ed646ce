package dev.authfn.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.groups.Tuple.tuple;

import dev.authfn.core.authz.RoutePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    private static final Map<String, String> LOCAL_NAMES = Map.of(
            "UsersTable", "users-local", "SessionsTable", "sessions-local", "KeysSecret", "local-keys");

    /** The repository's own template.yaml. */
    @Nested
    class ProjectTemplate {

        private final SamTemplate template = load();

        private static SamTemplate load() {
            try {
                return SamTemplate.load(Path.of("..", "template.yaml"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Test
        void namesEveryFunctionsHandlerModuleAndLimits() {
            assertThat(template.functions()).containsOnlyKeys("LoginFunction", "AccountFunction", "MfaFunction",
                    "PasskeysFunction", "OAuthFunction", "MailerFunction", "AuthorizerFunction", "SessionFunction",
                    "JwksFunction", "ProtectedFunction");
            assertThat(template.function("MailerFunction").handlerClass())
                    .isEqualTo("dev.authfn.functions.mailer.MailerHandler");
            FunctionSpec login = template.function("LoginFunction");
            assertThat(login.handlerClass()).isEqualTo("dev.authfn.functions.login.LoginHandler");
            assertThat(login.module()).hasValue("functions/login");
            assertThat(login.timeoutSeconds()).isEqualTo(10);
            assertThat(login.memoryMb()).isEqualTo(1024);
            assertThat(template.function("JwksFunction").memoryMb()).isEqualTo(512);
            assertThat(template.function("ProtectedFunction").handlerClass())
                    .isEqualTo("dev.authfn.functions.protectedapi.ProtectedHandler");
        }

        @Test
        void readsEveryRouteWithItsFunctionAndAuthorizer() {
            assertThat(template.routes()).extracting(RouteSpec::routeKey, RouteSpec::functionId, RouteSpec::authorizer)
                    .containsExactly(
                            tuple("POST /auth/login", "LoginFunction", Optional.empty()),
                            tuple("POST /auth/register", "AccountFunction", Optional.empty()),
                            tuple("POST /auth/email/verify", "AccountFunction", Optional.empty()),
                            tuple("POST /auth/email/resend", "AccountFunction", Optional.empty()),
                            tuple("POST /auth/password/forgot", "AccountFunction", Optional.empty()),
                            tuple("POST /auth/password/reset", "AccountFunction", Optional.empty()),
                            tuple("POST /auth/password/change", "AccountFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/mfa/verify", "MfaFunction", Optional.empty()),
                            tuple("POST /auth/mfa/totp", "MfaFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/mfa/totp/confirm", "MfaFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("DELETE /auth/mfa/totp", "MfaFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/passkeys/register/options", "PasskeysFunction",
                                    Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/passkeys/register", "PasskeysFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("GET /auth/passkeys", "PasskeysFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("PATCH /auth/passkeys/{id}", "PasskeysFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("DELETE /auth/passkeys/{id}", "PasskeysFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/passkeys/login/options", "PasskeysFunction", Optional.empty()),
                            tuple("POST /auth/passkeys/login", "PasskeysFunction", Optional.empty()),
                            tuple("GET /oauth2/authorize", "OAuthFunction", Optional.empty()),
                            tuple("POST /oauth2/token", "OAuthFunction", Optional.empty()),
                            tuple("OPTIONS /oauth2/token", "OAuthFunction", Optional.empty()),
                            tuple("POST /oauth2/revoke", "OAuthFunction", Optional.empty()),
                            tuple("OPTIONS /oauth2/revoke", "OAuthFunction", Optional.empty()),
                            tuple("GET /oauth2/userinfo", "OAuthFunction", Optional.empty()),
                            tuple("POST /oauth2/userinfo", "OAuthFunction", Optional.empty()),
                            tuple("OPTIONS /oauth2/userinfo", "OAuthFunction", Optional.empty()),
                            tuple("GET /.well-known/openid-configuration", "OAuthFunction", Optional.empty()),
                            tuple("OPTIONS /.well-known/openid-configuration", "OAuthFunction", Optional.empty()),
                            tuple("POST /auth/refresh", "SessionFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/logout", "SessionFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /auth/logout-all", "SessionFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("GET /auth/sessions", "SessionFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("DELETE /auth/sessions/{id}", "SessionFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("GET /.well-known/jwks.json", "JwksFunction", Optional.empty()),
                            tuple("GET /protected", "ProtectedFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("GET /admin", "ProtectedFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("POST /posts", "ProtectedFunction", Optional.of("AuthfnAuthorizer")),
                            tuple("GET /protected/step-up", "ProtectedFunction", Optional.of("AuthfnAuthorizer")));
        }

        /**
         * template-rest.yaml answers its step-up route with a MOCK integration, which can map no
         * context value into a header: its WWW-Authenticate is a static value, which must stay the
         * challenge of the default policy's rule.
         */
        @Test
        void theRestTemplatesStepUpMockSendsTheDefaultPolicysChallenge() throws Exception {
            String rest = Files.readString(Path.of("..", "template-rest.yaml"));
            String challenge = RoutePolicy.DEFAULT.rule("GET /protected/step-up").orElseThrow().challenge()
                    .wwwAuthenticate();

            assertThat(rest).contains("method.response.header.WWW-Authenticate: '''" + challenge + "'''");
        }

        @Test
        void readsTheLambdaAuthorizer() {
            assertThat(template.authorizers()).containsOnlyKeys("AuthfnAuthorizer");
            assertThat(template.authorizers().get("AuthfnAuthorizer")).isEqualTo(new AuthorizerSpec(
                    "AuthfnAuthorizer", "AuthorizerFunction", "2.0", true, List.of(), OptionalInt.of(0)));
        }

        @Test
        void resolvesTheEnvironmentFromGlobalsParametersAndLocalNames() {
            Map<String, String> environment = template.environment("LoginFunction",
                    Map.of("Issuer", "http://127.0.0.1:3000"), LOCAL_NAMES);

            assertThat(environment).containsOnly(
                    entry("AUTHFN_ISSUER", "http://127.0.0.1:3000"),
                    entry("AUTHFN_AUDIENCE", "authfn-api"),
                    entry("AUTHFN_KEYS_SECRET_ID", "local-keys"),
                    entry("AUTHFN_USERS_TABLE", "users-local"),
                    entry("AUTHFN_SESSIONS_TABLE", "sessions-local"),
                    entry("AUTHFN_ALLOWED_ORIGINS", ""),
                    entry("AUTHFN_STATELESS_BEARER", "false"),
                    entry("AUTHFN_SIGNUP", "closed"),
                    entry("AUTHFN_ROUTE_POLICY", ""));
        }

        @Test
        void readsTheMailerAsTheOutboxStreamsConsumer() {
            assertThat(template.streamConsumers()).containsExactly(entry("MailerFunction", "OutboxTable"));
        }

        @Test
        void letsAFunctionsOwnVariablesOverrideGlobals() {
            Map<String, String> environment = template.environment("JwksFunction",
                    Map.of("Issuer", "http://127.0.0.1:3000"), LOCAL_NAMES);

            assertThat(environment).containsEntry("AUTHFN_USERS_TABLE", "").containsEntry("AUTHFN_SESSIONS_TABLE", "");
        }

        @Test
        void refusesAParameterWithoutDefaultOrValue() {
            assertThatThrownBy(() -> template.environment("LoginFunction", Map.of(), LOCAL_NAMES))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("LoginFunction environment variable AUTHFN_ISSUER: parameter Issuer has no Default and no local value");
        }

        @Test
        void refusesAResourceWithoutALocalName() {
            assertThatThrownBy(() -> template.environment("LoginFunction", Map.of("Issuer", "http://x"),
                    Map.of("UsersTable", "u", "SessionsTable", "s")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("LoginFunction environment variable AUTHFN_KEYS_SECRET_ID: !Ref KeysSecret "
                            + "(AWS::SecretsManager::Secret) has no local value");
        }

        @Test
        void refusesAnUnknownParameterValue() {
            assertThatThrownBy(() -> template.environment("LoginFunction", Map.of("Isuer", "x"), LOCAL_NAMES))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("no parameter Isuer in the template");
        }

        @Test
        void listsTablesAndTheSecretByType() {
            assertThat(template.resourcesOfType("AWS::DynamoDB::Table")).containsExactly("SessionsTable", "UsersTable", "OutboxTable");
            assertThat(template.resourcesOfType("AWS::SecretsManager::Secret")).containsExactly("KeysSecret");
        }

        @Test
        void namesTheFunctionsItHasWhenAskedForAnother() {
            assertThatThrownBy(() -> template.function("Nope"))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("no function Nope in the template; it has [LoginFunction,");
        }
    }

    @Test
    void resolvesSubWithParametersPseudoParametersLiteralsAndItsOwnVariables() {
        SamTemplate template = parse("""
                Parameters:
                  Name: {Type: String, Default: app}
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment:
                        Variables:
                          PLAIN: !Sub "${Name}-${AWS::Region}-${AWS::AccountId}-${!Literal}"
                          LISTED: !Sub ["${x}/${Name}", {x: !Ref Name}]
                          NUMBER: 42
                """);

        assertThat(template.environment("Fn", Map.of(), Map.of())).containsOnly(
                entry("PLAIN", "app-us-east-1-123456789012-${Literal}"),
                entry("LISTED", "app/app"),
                entry("NUMBER", "42"));
    }

    @Test
    void readsTheLongFormsOfIntrinsicFunctions() {
        SamTemplate template = parse("""
                Parameters:
                  Name: {Type: String, Default: app}
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment:
                        Variables:
                          REF: {"Ref": "Name"}
                          SUB: {"Fn::Sub": "x-${Name}"}
                """);

        assertThat(template.function("Fn").environment())
                .containsEntry("REF", new Intrinsic.Ref("Name"))
                .containsEntry("SUB", new Intrinsic.Sub("x-${Name}", Map.of()));
        assertThat(template.environment("Fn", Map.of("Name", "given"), Map.of()))
                .containsOnly(entry("REF", "given"), entry("SUB", "x-given"));
    }

    @Test
    void parsesEveryShortFormTagAndRefusesToResolveTheUnsupportedOnes() {
        SamTemplate template = parse("""
                Resources:
                  Table: {Type: AWS::DynamoDB::Table}
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment:
                        Variables:
                          ARN: !GetAtt Table.Arn
                          LISTED: !GetAtt [Table, StreamArn]
                          JOINED: !Join [",", [a, b]]
                """);

        Map<String, Object> environment = template.function("Fn").environment();
        assertThat(environment.get("ARN")).isEqualTo(new Intrinsic.GetAtt("Table", "Arn"));
        assertThat(environment.get("LISTED")).isEqualTo(new Intrinsic.GetAtt("Table", "StreamArn"));
        assertThat(environment.get("JOINED")).isEqualTo(new Intrinsic.Other("Join", List.of(",", List.of("a", "b"))));
        assertThatThrownBy(() -> template.environment("Fn", Map.of(), Map.of("Table", "t")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Fn environment variable ARN: !GetAtt Table.Arn has no local value "
                        + "(a local run resolves !Ref and !Sub)");
    }

    @Test
    void refusesARefToNothing() {
        SamTemplate template = parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment: {Variables: {X: !Ref Missing}}
                """);

        assertThatThrownBy(() -> template.environment("Fn", Map.of(), Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Fn environment variable X: !Ref Missing names no parameter or resource in the template");
    }

    @Test
    void dropsAVariableSetToNoValue() {
        SamTemplate template = parse("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B
                      Environment: {Variables: {GONE: !Ref AWS::NoValue, KEPT: "1"}}
                """);

        assertThat(template.environment("Fn", Map.of(), Map.of())).containsOnly(entry("KEPT", "1"));
    }

    @Test
    void usesLambdaDefaultsWithoutGlobals() {
        SamTemplate template = parse("""
                Resources:
                  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: a.B}}
                """);

        assertThat(template.function("Fn").timeoutSeconds()).isEqualTo(3);
        assertThat(template.function("Fn").memoryMb()).isEqualTo(128);
        assertThat(template.function("Fn").module()).isEmpty();
    }

    @Test
    void readsIdentitySourcesAndTheCacheTtl() {
        SamTemplate template = parse(api("""
                Identity:
                  Headers: [Authorization]
                  QueryStrings: [token]
                  ReauthorizeEvery: 300
                """, "!GetAtt Authz.Arn") + function("GET", "/x", ""));

        assertThat(template.authorizers().get("Main")).isEqualTo(new AuthorizerSpec("Main", "Authz", "2.0", true,
                List.of("$request.header.Authorization", "$request.querystring.token"), OptionalInt.of(300)));
    }

    @Test
    void refusesAnAuthorizerWhoseFunctionIsMissing() {
        assertThatThrownBy(() -> parse(api("", "!Ref Gone.Alias") + function("GET", "/x", "")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Api authorizer Main: FunctionArn names Gone, which is not a function in the template");
    }

    @Test
    void refusesARouteThatNamesAnUndeclaredAuthorizer() {
        assertThatThrownBy(() -> parse(api("", "!Ref Authz") + function("GET", "/x", "Auth: {Authorizer: Other}")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Fn event E: authorizer Other is not declared; the HTTP API has [Main]");
    }

    @Test
    void refusesTwoRoutesWithOneRouteKey() {
        String template = api("", "!Ref Authz") + function("GET", "/x", "") + """
                  Twin:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Twin
                      Events:
                        Again: {Type: HttpApi, Properties: {ApiId: !Ref Api, Method: get, Path: /x}}
                """;

        assertThatThrownBy(() -> parse(template))
                .isInstanceOf(TemplateException.class)
                .hasMessage("route GET /x is declared twice: Fn event E and Twin event Again");
    }

    @Test
    void refusesWhatTheLocalApiDoesNotReproduce() {
        assertThatThrownBy(() -> parse(api("JwtConfiguration: {issuer: x}", "!Ref Authz")))
                .hasMessage("Api.Auth.DefaultAuthorizer: authorizer Main is a JWT authorizer; the local API runs "
                        + "Lambda authorizers only (choose a template option that routes through a Lambda authorizer)");
        assertThatThrownBy(() -> parse(api("", "!Ref Authz").replace("\"2.0\"", "\"1.0\"")))
                .hasMessage("Api authorizer Main: payload format 1.0; the local API runs 2.0");
        assertThatThrownBy(() -> parse(api("", "!Ref Authz").replace("EnableSimpleResponses: true", "")))
                .hasMessage("Api authorizer Main: IAM policy responses; the local API runs EnableSimpleResponses: true");
        assertThatThrownBy(() -> parse(api("Identity: {Context: [x]}", "!Ref Authz")))
                .hasMessage("Api authorizer Main: Identity.Context is not supported locally (headers and query strings are)");
    }

    @Test
    void aJwtAuthorizerNoRouteUsesIsLeftAlone() {
        String template = api("", "!Ref Authz").replace("""
                          Main:
                """, """
                          Jwt:
                            JwtConfiguration: {issuer: x}
                          Main:
                """) + function("GET", "/x", "");

        assertThat(parse(template).authorizers()).containsOnlyKeys("Main");
        assertThatThrownBy(() -> parse(template.replace("Path: /x", "Path: /x\n            Auth: {Authorizer: Jwt}")))
                .hasMessageStartingWith("Fn event E: authorizer Jwt is a JWT authorizer; the local API runs Lambda "
                        + "authorizers only");
    }

    @Test
    void leavesOutResourcesWhoseConditionIsFalse() {
        String template = """
                Parameters:
                  Mode: {Type: String, Default: a}
                Conditions:
                  IsB: !Equals [!Ref Mode, b]
                  NotB: !Not [!Condition IsB]
                  Both: !And [!Condition IsB, !Or [!Equals [x, x], !Condition NotB]]
                Resources:
                  A: {Type: AWS::Serverless::Function, Condition: NotB, Properties: {Handler: a.A}}
                  B: {Type: AWS::Serverless::Function, Condition: Both, Properties: {Handler: a.B}}
                  C: {Type: AWS::Serverless::Function, Properties: {Handler: a.C}}
                """;

        assertThat(SamTemplate.parse(template, "t.yaml").functions()).containsOnlyKeys("A", "C");
        assertThat(SamTemplate.parse(template, "t.yaml", Map.of("Mode", "b")).functions()).containsOnlyKeys("B", "C");
        assertThatThrownBy(() -> SamTemplate.parse(template.replace("Condition: NotB", "Condition: Nope"), "t.yaml"))
                .hasMessage("A.Condition: no condition Nope in Conditions");
        assertThatThrownBy(() -> SamTemplate.parse(template.replace("!Equals [!Ref Mode, b]", "!Contains [[b], !Ref Mode]"),
                "t.yaml")).hasMessageStartingWith("condition IsB: the local run evaluates !Equals");
    }

    @Test
    void composesAnApplicationBehindAnotherStacksAuthorizerWithAuthfn() {
        SamTemplate authfn = parse(api("", "!Ref Authz") + function("GET", "/x", ""));
        SamTemplate app = parse("""
                Parameters:
                  AuthorizerArn: {Type: String}
                  Flag: {Type: String, Default: on}
                Resources:
                  AppApi:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Auth:
                        DefaultAuthorizer: Main
                        Authorizers:
                          Main:
                            FunctionArn: !Ref AuthorizerArn
                            AuthorizerPayloadFormatVersion: "2.0"
                            EnableSimpleResponses: true
                  Orders:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Orders
                      Environment: {Variables: {FLAG: !Ref Flag}}
                      Events:
                        List: {Type: HttpApi, Properties: {ApiId: !Ref AppApi, Method: GET, Path: /orders}}
                """);

        assertThat(app.externalAuthorizers()).extracting(AuthorizerSpec::functionArnParameter)
                .containsExactly(java.util.Optional.of("AuthorizerArn"));
        SamTemplate both = SamTemplate.compose(authfn, app);

        assertThat(both.routes()).extracting(RouteSpec::routeKey).containsExactly("GET /x", "GET /orders");
        assertThat(both.authorizers()).containsOnlyKeys("Main");
        assertThat(both.authorizers().get("Main").functionId()).isEqualTo("Authz");
        assertThat(both.externalAuthorizers()).isEmpty();
        assertThat(both.environment("Orders", Map.of("Flag", "off"), Map.of())).containsOnly(entry("FLAG", "off"));
        assertThat(both.parameters()).containsOnlyKeys("AuthorizerArn", "Flag");
        assertThatThrownBy(() -> SamTemplate.compose(authfn, parse(api("", "!Ref Authz") + function("GET", "/y", ""))))
                .hasMessage("both templates declare a resource Api; rename one");
    }

    @Test
    void refusesAFunctionWithoutHandler() {
        assertThatThrownBy(() -> parse("""
                Resources:
                  Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: java21}}
                """))
                .isInstanceOf(TemplateException.class)
                .hasMessage("Fn: the function has no Handler");
    }

    @Test
    void refusesTextThatIsNotYaml() {
        assertThatThrownBy(() -> SamTemplate.parse("Resources: [unclosed", "bad.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("bad.yaml: not valid YAML");
    }

    private static SamTemplate parse(String yaml) {
        return SamTemplate.parse(yaml, "test.yaml");
    }

    /** An HTTP API whose default authorizer "Main" runs the function Authz; {@code extra} goes into Main. */
    private static String api(String extra, String functionArn) {
        return """
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Auth:
                        DefaultAuthorizer: Main
                        Authorizers:
                          Main:
                            FunctionArn: %s
                            AuthorizerPayloadFormatVersion: "2.0"
                            EnableSimpleResponses: true
                %s
                  Authz: {Type: AWS::Serverless::Function, Properties: {Handler: a.Authz}}
                """.formatted(functionArn, extra.isEmpty() ? "" : extra.indent(12).stripTrailing());
    }

    private static String function(String method, String path, String auth) {
        return """
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.Fn
                      Events:
                        E:
                          Type: HttpApi
                          Properties:
                            ApiId: !Ref Api
                            Method: %s
                            Path: %s
                %s
                """.formatted(method, path, auth.isEmpty() ? "" : auth.indent(12).stripTrailing());
    }
}
