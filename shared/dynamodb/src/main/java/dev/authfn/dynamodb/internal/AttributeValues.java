package dev.authfn.dynamodb.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Conversions between Java values and DynamoDB attribute values, in the formats the README
 * documents: instants as epoch milliseconds, string collections as lists (string sets cannot be
 * empty).
 */
public final class AttributeValues {

    private AttributeValues() {}

    public static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue millis(Instant instant) {
        return number(instant.toEpochMilli());
    }

    /** A sorted list, so that the same set always writes the same item. */
    public static AttributeValue stringList(Set<String> values) {
        return AttributeValue.fromL(values.stream().sorted().map(AttributeValue::fromS).toList());
    }

    public static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    public static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0L : Long.parseLong(value.n());
    }

    public static Instant millis(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(number(item, name));
    }

    /** Reads a list of strings; a string set (as a hand-written item may hold) reads the same. */
    public static Set<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return Set.of();
        }
        if (value.hasSs()) {
            return Set.copyOf(value.ss());
        }
        List<AttributeValue> list = value.hasL() ? value.l() : List.of();
        return Set.copyOf(list.stream().map(AttributeValue::s).toList());
    }
}
