package dev.authfn.local.template;

import java.util.Map;
import java.util.Objects;

/**
 * A CloudFormation intrinsic function as written in the template, short form ({@code !Ref X})
 * or long form ({@code {"Ref": "X"}}). Parsing never evaluates them; {@link SamTemplate}
 * resolves the ones a local run can give a value to.
 */
public sealed interface Intrinsic {

    /** {@code !Ref name}: a parameter, a pseudo parameter or a resource (SAM also allows {@code Fn.Alias}). */
    record Ref(String name) implements Intrinsic {
        public Ref {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code !GetAtt resource.attribute} or {@code !GetAtt [resource, attribute]}. */
    record GetAtt(String resource, String attribute) implements Intrinsic {
        public GetAtt {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(attribute, "attribute");
        }
    }

    /** {@code !Sub "text ${Name}"} or {@code !Sub ["text ${x}", {x: value}]}. */
    record Sub(String text, Map<String, Object> variables) implements Intrinsic {
        public Sub {
            Objects.requireNonNull(text, "text");
            variables = Map.copyOf(variables);
        }
    }

    /** Any other function ({@code !Join}, {@code !If}, …), kept so the template still parses. */
    record Other(String function, Object argument) implements Intrinsic {
        public Other {
            Objects.requireNonNull(function, "function");
        }
    }
}
