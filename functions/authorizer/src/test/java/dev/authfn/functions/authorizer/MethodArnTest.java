package dev.authfn.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MethodArnTest {

    @Test
    void splitsAMethodArnIntoStagePrefixMethodAndPath() {
        MethodArn arn = MethodArn.parse("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/admin");

        assertThat(arn).isEqualTo(new MethodArn("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/", "GET", "/admin"));
    }

    @Test
    void keepsNestedPathsWhole() {
        MethodArn arn = MethodArn.parse(
                "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/delete/auth/sessions/GGGGGGGGGGGGGGGGGGGGGG");

        assertThat(arn.method()).isEqualTo("DELETE");
        assertThat(arn.path()).isEqualTo("/auth/sessions/GGGGGGGGGGGGGGGGGGGGGG");
        assertThat(arn.stagePrefix()).isEqualTo("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/");
    }

    @Test
    void aMethodArnOfTheRootPathHasPathSlash() {
        assertThat(MethodArn.parse("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/").path()).isEqualTo("/");
        assertThat(MethodArn.parse("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET").path()).isEqualTo("/");
    }

    @Test
    void rejectsAnythingThatIsNotAnExecuteApiMethodArn() {
        for (String arn : new String[] {
            null,
            "",
            "not an arn",
            "arn:aws:lambda:us-east-1:123456789012:function:authorizer",
            "arn:aws:execute-api:us-east-1:123456789012",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5//GET/admin",
            "arn:aws:execute-api:us-east-1:123456789012:/prod/GET/admin",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod//admin",
            "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/" + "x".repeat(2048),
        }) {
            assertThat(MethodArn.parse(arn)).as(String.valueOf(arn)).isNull();
        }
    }

    @Test
    void turnsARouteKeyIntoAnIamResourceSuffix() {
        assertThat(MethodArn.resourceOf("GET /admin")).contains("GET/admin");
        assertThat(MethodArn.resourceOf("POST /posts")).contains("POST/posts");
        assertThat(MethodArn.resourceOf("DELETE /auth/sessions/{id}")).contains("DELETE/auth/sessions/*");
        assertThat(MethodArn.resourceOf("GET /files/{proxy+}")).contains("GET/files/*");
    }

    @Test
    void anAnyRouteCoversEveryMethod() {
        // A method ARN always names the request's own verb, never ANY: a Deny of "ANY/admin" would match nothing.
        assertThat(MethodArn.resourceOf("ANY /admin")).contains("*/admin");
    }

    @Test
    void theHttpApiDefaultRouteNamesNoRestResource() {
        assertThat(MethodArn.resourceOf("$default")).isEqualTo(Optional.empty());
    }
}
