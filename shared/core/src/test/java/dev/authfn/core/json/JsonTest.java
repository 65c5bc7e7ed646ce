package dev.authfn.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.Streams;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsEveryKindOfValueInOrder() {
        Map<String, Object> parsed = Json.parseObject(
                " {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\",\"i\":-12,\"big\":12345678901234567890,"
                        + "\"d\":1.5e3,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"x\":0}}\r\n").orElseThrow();

        assertThat(parsed).containsExactly(
                Map.entry("s", "a\"b\\c/d\né😀"),
                Map.entry("i", -12L),
                Map.entry("big", 1.2345678901234567e19),
                Map.entry("d", 1500.0),
                Map.entry("t", true),
                Map.entry("f", false),
                new java.util.AbstractMap.SimpleEntry<>("n", null),
                Map.entry("a", List.of(1L, List.of(), Map.of())),
                Map.entry("o", Map.of("x", 0L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "\"x\"", "1", "null", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
            "{,}", "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}",
            "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
            "{\"a\":\"\u0001\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\ud800\"}", "{} {}", "{}x",
            "{\"a\":1}//", "/*c*/{}", "{\"a\":1,\"a\":2}", "{\"a\":[1,]}", "{\"a\":[,1]}", "\ufeff{}"})
    void refusesWhatIsNotOneStrictObject(String text) {
        assertThat(Json.parseObject(text)).as("%s", text).isEmpty();
    }

    @Test
    void refusesNullAndNestingBeyondTheLimit() {
        String deepest = "{\"a\":".repeat(Json.MAX_DEPTH) + "1" + "}".repeat(Json.MAX_DEPTH);
        String tooDeep = "{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);

        assertThat(Json.parseObject(null)).isEmpty();
        assertThat(Json.parseObject(deepest)).isPresent();
        assertThat(Json.parseObject(tooDeep)).isEmpty();
        assertThat(Json.parseObject("{\"a\":" + "[".repeat(100_000))).isEmpty();
    }

    @Test
    void writesCompactlyWithTheEscapesAScriptContextNeeds() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("s", "q\"b\\n\nt\tc\u0001 \u2028/é");
        object.put("n", 403);
        object.put("l", 5L);
        object.put("b", true);
        object.put("z", null);
        object.put("a", List.of("x", Map.of("k", List.of())));

        assertThat(Json.write(object)).isEqualTo(
                "{\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001 \\u2028/é\",\"n\":403,\"l\":5,\"b\":true,\"z\":null,"
                        + "\"a\":[\"x\",{\"k\":[]}]}");
        object.put("n", 403L);
        assertThat(Json.parseObject(Json.write(object))).contains(object);
        assertThatThrownBy(() -> Json.write(Map.of("x", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Map.of("x", new Object()))).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The reader against Gson's strict reader, on generated documents and on every kind of
     * one-character damage to them: both accept or both refuse, and what both accept reads the
     * same. Gson keeps the last of duplicate members and takes unpaired surrogates; the oracle
     * refuses those, as ours does by design.
     */
    @Test
    void agreesWithGsonStrictOnGeneratedAndDamagedDocuments() {
        Random random = new Random(20261202);
        String alphabet = "{}[]\":,.-+eE0123456789 \\/ntrfalsu\u00e9\ud83d\ude00\u0000\u2028abc";
        int accepted = 0;
        for (int round = 0; round < 4_000; round++) {
            String valid = Json.write(randomObject(random, 0));
            assertThat(Json.parseObject(valid)).as("%s", valid).isEqualTo(gson(valid));
            for (int damage = 0; damage < 5; damage++) {
                StringBuilder damaged = new StringBuilder(valid);
                int at = random.nextInt(damaged.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> damaged.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < damaged.length()) {
                            damaged.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < damaged.length()) {
                            damaged.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        }
                    }
                }
                String text = damaged.toString();
                Optional<Map<String, Object>> ours = Json.parseObject(text);
                assertThat(ours).as("%s", text).isEqualTo(gson(text));
                accepted += ours.isPresent() ? 1 : 0;
            }
        }
        assertThat(accepted).as("damaged documents both readers still accept").isGreaterThan(1_000);
    }

    private static Map<String, Object> randomObject(Random random, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        int members = random.nextInt(depth > 3 ? 2 : 5);
        for (int i = 0; i < members; i++) {
            object.put(randomString(random) + i, randomValue(random, depth + 1));
        }
        return object;
    }

    private static Object randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 3 ? 6 : 8)) {
            case 0 -> randomString(random);
            case 1 -> random.nextLong() >> random.nextInt(64);
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 3 -> random.nextBoolean();
            case 4 -> null;
            case 5 -> -random.nextInt(3);
            case 6 -> {
                List<Object> array = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
            default -> randomObject(random, depth);
        };
    }

    private static String randomString(Random random) {
        String pieces = "ab\"\\/\n\t\u0001\u00e9\ud83d\ude00\u2028 ";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            int at = random.nextInt(pieces.length());
            char c = pieces.charAt(at);
            if (Character.isHighSurrogate(c)) {
                s.append(c).append(pieces.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** What strict Gson reads, under our extra rules, converted to our value types. */
    private static Optional<Map<String, Object>> gson(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(10_000);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                return Optional.empty();
            }
            JsonElement element = Streams.parse(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                return Optional.empty();
            }
            if (hasDuplicateMembers(text)) {
                return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> converted = (Map<String, Object>) convert(element, 1);
            return Optional.of(converted);
        } catch (Exception | StackOverflowError refused) {
            return Optional.empty();
        }
    }

    private static Object convert(JsonElement element, int depth) {
        if (depth > Json.MAX_DEPTH) {
            throw new IllegalStateException("too deep");
        }
        if (element.isJsonNull()) {
            return null;
        }
        if (element instanceof JsonObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> member : object.entrySet()) {
                map.put(unicode(member.getKey()), convert(member.getValue(), depth + 1));
            }
            return map;
        }
        if (element instanceof JsonArray array) {
            List<Object> list = new ArrayList<>();
            for (JsonElement item : array) {
                list.add(convert(item, depth + 1));
            }
            return list;
        }
        JsonPrimitive primitive = (JsonPrimitive) element;
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isString()) {
            return unicode(primitive.getAsString());
        }
        String literal = primitive.getAsNumber().toString();
        if (literal.matches("-?\\d+")) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException outOfRange) {
                return Double.parseDouble(literal);
            }
        }
        return Double.parseDouble(literal);
    }

    private static String unicode(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalStateException("unpaired surrogate");
            }
        }
        return value;
    }

    /** Gson keeps the last duplicate; read the object again with its own streaming reader to find one. */
    private static boolean hasDuplicateMembers(String text) throws java.io.IOException {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(10_000);
            return duplicates(reader);
        }
    }

    private static boolean duplicates(JsonReader reader) throws java.io.IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                reader.beginObject();
                java.util.Set<String> names = new java.util.HashSet<>();
                boolean found = false;
                while (reader.hasNext()) {
                    found |= !names.add(reader.nextName());
                    found |= duplicates(reader);
                }
                reader.endObject();
                return found;
            }
            case BEGIN_ARRAY -> {
                reader.beginArray();
                boolean found = false;
                while (reader.hasNext()) {
                    found |= duplicates(reader);
                }
                reader.endArray();
                return found;
            }
            default -> {
                reader.skipValue();
                return false;
            }
        }
    }

}
