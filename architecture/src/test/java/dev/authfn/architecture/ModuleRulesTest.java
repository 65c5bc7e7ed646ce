package dev.authfn.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The module rules of docs/ARCHITECTURE.md, checked on every module's main classes (tests are not
 * imported). Each rule names what it protects; breaking one fails the build with the offending
 * dependency and its line.
 */
@AnalyzeClasses(packages = "dev.authfn", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

    /** The root package of every module with an {@code internal} package of its own. */
    static final List<String> MODULES = List.of("dev.authfn.core", "dev.authfn.password", "dev.authfn.secrets",
            "dev.authfn.auth", "dev.authfn.lambda", "dev.authfn.dynamodb", "dev.authfn.local", "dev.authfn.emulator", "dev.authfn.handler");

    /** The libraries every function may use, whatever it is. */
    private static final String[] HANDLER_PLATFORM = {"java..", "com.amazonaws.services.lambda.runtime..", "org.crac.."};

    @ArchTest
    static final ArchRule noAwsSdkTypeInTheLibraries = noClasses()
            .that().resideInAnyPackage("dev.authfn.core..", "dev.authfn.password..", "dev.authfn.secrets..",
                    "dev.authfn.auth..", "dev.authfn.lambda..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
            .because("only the store adapter (shared/dynamodb) may load the AWS SDK: a stateless bearer decision "
                    + "loads none of it, and the jwks and protected jars hold none of it");

    @ArchTest
    static void internalPackagesAreUsedOnlyInsideTheirModule(JavaClasses classes) {
        for (String module : MODULES) {
            noClasses().that().resideOutsideOfPackage(module + "..")
                    .should().dependOnClassesThat().resideInAPackage(module + "..internal..")
                    .because("a module's internal package is not its API")
                    .check(classes);
        }
    }

    @ArchTest
    static final ArchRule handlersUseTheRootThePlumbingAndThemselvesOnly = classes()
            .that().resideInAPackage("dev.authfn.functions..")
            .and().resideOutsideOfPackage("dev.authfn.functions.passkeys..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(HANDLER_PLATFORM,
                    "dev.authfn.functions..", "dev.authfn.auth..", "dev.authfn.core..", "dev.authfn.lambda..",
                    "dev.authfn.password..", "dev.authfn.ses.."))
            .because("a handler builds through the composition root (dev.authfn.auth.Components) and adapts "
                    + "events with the shared plumbing; it never names a store adapter, the secrets client or a library");

    @ArchTest
    static final ArchRule thePasskeysFunctionUsesTheRootThePlumbingAndWebAuthn4jOnly = classes()
            .that().resideInAPackage("dev.authfn.functions.passkeys..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(HANDLER_PLATFORM,
                    "dev.authfn.functions.passkeys..", "dev.authfn.auth..", "dev.authfn.core..", "dev.authfn.lambda..",
                    "com.webauthn4j..", "tools.jackson.."))
            .because("the passkeys function is a handler like the others (root, plumbing, no store adapter), "
                    + "plus the one library it exists for: webauthn4j, and the Jackson it reads the browser's JSON with");

    @ArchTest
    static final ArchRule onlyThePasskeysFunctionCarriesWebAuthn4j = noClasses()
            .that().resideOutsideOfPackage("dev.authfn.functions.passkeys..")
            .should().dependOnClassesThat().resideInAnyPackage("com.webauthn4j..", "tools.jackson..",
                    "com.fasterxml.jackson..")
            .because("webauthn4j, its CBOR and Jackson belong in the passkeys jar alone; the flows reach them through "
                    + "the PasskeyCeremonies port, so the login and authorizer jars stay without them");

    @ArchTest
    static final ArchRule theOAuthFunctionUsesTheRootAndThePlumbingOnly = classes()
            .that().resideInAPackage("dev.authfn.functions.oauth..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(HANDLER_PLATFORM,
                    "dev.authfn.functions.oauth..", "dev.authfn.auth..", "dev.authfn.core..", "dev.authfn.lambda.."))
            .because("the OAuth function signs users in through the login, second-factor and passkey routes of its"
                    + " hosted page, never itself: its jar holds no Argon2id or Bouncy Castle (shared/password), no"
                    + " webauthn4j or Jackson, no password policy and no SES");

    @ArchTest
    static final ArchRule theHandlerLibraryNeedsOnlyTheLambdaLibraries = classes()
            .that().resideInAPackage("dev.authfn.handler..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..",
                    "com.amazonaws.services.lambda.runtime..", "dev.authfn.handler..")
            .because("authfn-handler is what a team adds to its own functions: aws-lambda-java-core and -events "
                    + "only, no authfn module, JOSE library, Bouncy Castle or AWS SDK (docs/INTEGRATING.md)");

    @ArchTest
    static final ArchRule functionsDoNotUseEachOther = slices()
            .matching("dev.authfn.functions.(*)..")
            .should().notDependOnEachOther()
            .because("each function is its own jar");

    @ArchTest
    static final ArchRule theRootNamesNoStoreAdapter = noClasses()
            .that().resideInAnyPackage("dev.authfn.auth..", "dev.authfn.core..", "dev.authfn.lambda..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.authfn.dynamodb..", "dev.authfn.local..")
            .because("the stores reach the root through the Stores port (ServiceLoader), so the root compiles "
                    + "without the adapter and jwks carries none");

    @ArchTest
    static final ArchRule thePlumbingNeedsNoFlows = noClasses()
            .that().resideInAPackage("dev.authfn.lambda..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.authfn.auth..", "dev.authfn.secrets..",
                    "dev.authfn.password..")
            .because("a function that only reads the authorizer context (the protected one, a team's own) "
                    + "must not carry the flows, nimbus-jose-jwt or Bouncy Castle");

    @ArchTest
    static final ArchRule theProtectedFunctionVerifiesNothing = noClasses()
            .that().resideInAPackage("dev.authfn.functions.protectedapi..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.authfn.auth..", "com.nimbusds..",
                    "org.bouncycastle..", "dev.authfn.core.jwt..", "dev.authfn.core.keys..")
            .because("its jar holds no JOSE library (ProtectedJarIT checks the jar too)");

    @ArchTest
    static final ArchRule onlyWhatHashesPasswordsHasArgon2id = noClasses()
            .that().resideOutsideOfPackages("dev.authfn.password..", "dev.authfn.functions.login..",
                    "dev.authfn.functions.account..", "dev.authfn.local..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.authfn.password..", "org.bouncycastle..")
            .because("Argon2id and Bouncy Castle belong in the jars of the functions that hash passwords (login,"
                    + " account) and the admin CLI only");

    @ArchTest
    static final ArchRule onlyTheMailAdapterUsesTheSesSdk = noClasses()
            .that().resideOutsideOfPackage("dev.authfn.ses..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk.services.sesv2..",
                    "software.amazon.awssdk.services.ses..")
            .because("SES is reached through dev.authfn.ses.SesMailer (shared/ses) alone");

    @ArchTest
    static final ArchRule onlyTheMailerFunctionSendsThroughSes = noClasses()
            .that().resideOutsideOfPackages("dev.authfn.ses..", "dev.authfn.functions.mailer..")
            .should().dependOnClassesThat().resideInAPackage("dev.authfn.ses..")
            .because("mail leaves the request path: only the mailer function carries the SES SDK; the others "
                    + "and the local API hand mail to a core.mail.Mailer (a queue item, DirectoryOutbox)");

    @ArchTest
    static final ArchRule onlyThePasswordPolicyReadsTheCommonPasswordList = noClasses()
            .that().resideOutsideOfPackage("dev.authfn.password.policy..")
            .should().dependOnClassesThat().resideInAPackage("com.nulabinc..")
            .because("zxcvbn4j's list reaches a function through the PasswordPolicy port only, so the jar of a "
                    + "function that sets no password (login included) carries none of it");

    @ArchTest
    static final ArchRule onlyTheCommandLineUsesPicocli = noClasses()
            .that().resideOutsideOfPackage("dev.authfn.local..")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("picocli parses ./authfn's command line (the local module); no library or function jar carries it");

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
