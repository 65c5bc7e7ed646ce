package dev.authfn.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsRegionTest {

    @Test
    void takesAwsRegionFirst() {
        assertThat(AwsRegion.from(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-east-2")))
                .contains("eu-west-1");
    }

    @Test
    void fallsBackToAwsDefaultRegionWhenAwsRegionIsUnsetOrBlank() {
        assertThat(AwsRegion.from(Map.of("AWS_DEFAULT_REGION", "us-east-2"))).contains("us-east-2");
        assertThat(AwsRegion.from(Map.of("AWS_REGION", " ", "AWS_DEFAULT_REGION", "us-east-2"))).contains("us-east-2");
    }

    @Test
    void guessesNoRegion() {
        assertThat(AwsRegion.from(Map.of())).isEmpty();
        assertThatThrownBy(() -> AwsRegion.require(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AWS_REGION (or AWS_DEFAULT_REGION) is required");
    }

    @Test
    void refusesANameThatIsNoRegionsWithoutEchoingIt() {
        assertThatThrownBy(() -> AwsRegion.require(Map.of("AWS_REGION", "eu west 1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AWS_REGION must be a region name like us-east-1")
                .hasMessageNotContaining("eu west 1");
    }
}
