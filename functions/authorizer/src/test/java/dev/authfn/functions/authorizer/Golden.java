package dev.authfn.functions.authorizer;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.authfn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden authorizer responses: {@code src/test/resources/golden/*.json} with {@code {{name}}}
 * placeholders for the values a test mints (user id, session id), and the responses as API
 * Gateway reads them, both in nimbus's compact JSON so that a comparison is exact.
 */
final class Golden {

    private Golden() {
    }

    /** The golden file with its placeholders filled, as compact JSON in the file's key order. */
    static String load(String name, Map<String, String> values) {
        String text;
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            text = text.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalStateException("golden file " + name + " has an unfilled placeholder");
        }
        return Json.write(Json.parseObject(text).orElseThrow(() -> new IllegalStateException("bad JSON in " + name)));
    }

    /** A v2 simple response: {@code {"isAuthorized":…,"context":{…}}}. */
    static String of(SimpleIAMPolicyResponse response) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("isAuthorized", response.getIsAuthorized());
        json.put("context", response.getContext());
        return Json.write(json);
    }

    /**
     * A v1 policy response. IAM gives statement order no meaning, and the handler's order follows
     * the route policy's map, so statements are listed Allow first, then by resource.
     */
    static String of(IamPolicyResponseV1 response) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] statements = (Map<String, Object>[]) response.getPolicyDocument().get("Statement");
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("Effect", statement.get("Effect"));
            json.put("Action", statement.get("Action"));
            json.put("Resource", Arrays.asList((String[]) statement.get("Resource")));
            if (statement.get("Condition") != null) {
                json.put("Condition", statement.get("Condition"));
            }
            listed.add(json);
        }
        listed.sort(Comparator.comparing((Map<String, Object> s) -> !"Allow".equals(s.get("Effect")))
                .thenComparing(s -> s.get("Resource").toString()));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", response.getPolicyDocument().get("Version"));
        document.put("Statement", listed);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("principalId", response.getPrincipalId());
        json.put("policyDocument", document);
        json.put("context", response.getContext());
        if (response.getUsageIdentifierKey() != null) {
            json.put("usageIdentifierKey", response.getUsageIdentifierKey());
        }
        return Json.write(json);
    }
}
