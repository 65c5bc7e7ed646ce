# sam build calls build-<LogicalId> for each function whose Metadata says
# BuildMethod: makefile, with ARTIFACTS_DIR set. Maven builds the function's
# shaded jar (and the shared modules it needs) once; the jar goes to lib/,
# which the java25 runtime puts on the classpath.
# See README.md, "Deploy".

MVN_PACKAGE = ./authfn package

define function_jar
	$(MVN_PACKAGE) $(1)
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/$(1)/target/authfn-$(1)-lambda.jar "$(ARTIFACTS_DIR)/lib/"
endef

.PHONY: build-AccountFunction build-MfaFunction build-PasskeysFunction build-OAuthFunction build-MailerFunction build-LoginFunction build-AuthorizerFunction build-SessionFunction build-JwksFunction build-ProtectedFunction

build-LoginFunction:
	$(call function_jar,login)

build-AccountFunction:
	$(call function_jar,account)

build-MfaFunction:
	$(call function_jar,mfa)

build-PasskeysFunction:
	$(call function_jar,passkeys)

build-OAuthFunction:
	$(call function_jar,oauth)

build-MailerFunction:
	$(call function_jar,mailer)

# Also template-rest.yaml's AuthorizerFunction: the same jar holds RestAuthorizerHandler.
build-AuthorizerFunction:
	$(call function_jar,authorizer)

build-SessionFunction:
	$(call function_jar,session)

build-JwksFunction:
	$(call function_jar,jwks)

build-ProtectedFunction:
	$(call function_jar,protected)
