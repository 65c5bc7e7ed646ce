package dev.authfn.local.runtime;

import com.amazonaws.lambda.thirdparty.com.fasterxml.jackson.core.JsonLocation;
import com.amazonaws.lambda.thirdparty.com.fasterxml.jackson.core.JsonProcessingException;
import com.amazonaws.lambda.thirdparty.com.fasterxml.jackson.databind.JsonMappingException;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * JSON the way the Java Lambda runtime (aws-lambda-java-runtime-interface-client) does it, with
 * {@code aws-lambda-java-serialization}: the event serializers with their mixins for the classes it
 * lists as supported events, its shaded Jackson ({@link JacksonFactory}) for every other type — the
 * API Gateway v2 classes among them.
 */
public final class LambdaJson {

    private LambdaJson() {
    }

    /** Reads {@code json} into {@code type}, as the runtime reads an invocation's payload. */
    public static Object read(InputStream json, Type type, ClassLoader loader) {
        return serializer(type, loader).fromJson(json);
    }

    /**
     * Why {@link #read} refused a document, without quoting it: the serializer's own message
     * names the offending token, which in an event file may be a password, a cookie or a token.
     * Gives the parser's line and column and the field path instead.
     */
    public static String whyUnreadable(RuntimeException refusal) {
        for (Throwable cause = refusal; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                JsonLocation at = json.getLocation();
                String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
                String field = json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                        ? " (field " + mapping.getPathReference() + ")" : "";
                return "not readable as JSON of that type" + where + field;
            }
        }
        return "not readable as JSON of that type (" + refusal.getClass().getName() + ")";
    }

    /** Writes {@code value} as the runtime writes a handler's result; {@code null} is {@code null}. */
    public static String write(Object value, ClassLoader loader) {
        if (value == null) {
            return "null";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(value.getClass(), loader).toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class<?> eventClass && LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())) {
            return LambdaEventSerializers.serializerFor((Class<Object>) eventClass, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }
}
