package dev.authfn.local.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Loads CloudFormation YAML into maps, lists and scalars, turning intrinsic functions in both
 * the short form ({@code !Ref X}) and the long form ({@code {"Fn::GetAtt": [...]}}) into
 * {@link Intrinsic} values.
 */
final class CfnYaml {

    private CfnYaml() {
    }

    /** The document as a map; {@link TemplateException} when it is not YAML or not a mapping. */
    static Map<String, Object> load(String yaml, String source) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).build();
        Object document;
        try {
            document = new Load(settings, new Constructor(settings)).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new TemplateException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(longForms(document) instanceof Map<?, ?> map)) {
            throw new TemplateException(source + ": the template is not a YAML mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) map;
        return template;
    }

    /** Replaces single-key maps {@code Ref} / {@code Fn::*} by the matching intrinsic, recursively. */
    private static Object longForms(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(CfnYaml::longForms).toList();
        }
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, item) -> copy.put(String.valueOf(key), longForms(item)));
        if (copy.size() == 1) {
            Map.Entry<String, Object> only = copy.entrySet().iterator().next();
            if (only.getKey().equals("Ref")) {
                return intrinsic("Ref", only.getValue());
            }
            if (only.getKey().startsWith("Fn::")) {
                return intrinsic(only.getKey().substring(4), only.getValue());
            }
        }
        return copy;
    }

    private static Intrinsic intrinsic(String function, Object argument) {
        return switch (function) {
            case "Ref" -> new Intrinsic.Ref(String.valueOf(argument));
            case "GetAtt" -> getAtt(argument);
            case "Sub" -> sub(argument);
            default -> new Intrinsic.Other(function, argument);
        };
    }

    private static Intrinsic.GetAtt getAtt(Object argument) {
        if (argument instanceof String dotted && dotted.indexOf('.') > 0) {
            int dot = dotted.indexOf('.');
            return new Intrinsic.GetAtt(dotted.substring(0, dot), dotted.substring(dot + 1));
        }
        if (argument instanceof List<?> list && list.size() == 2) {
            return new Intrinsic.GetAtt(String.valueOf(list.get(0)), String.valueOf(list.get(1)));
        }
        throw new TemplateException("!GetAtt needs Resource.Attribute or [Resource, Attribute], got: " + argument);
    }

    private static Intrinsic.Sub sub(Object argument) {
        if (argument instanceof String text) {
            return new Intrinsic.Sub(text, Map.of());
        }
        if (argument instanceof List<?> list && list.size() == 2
                && list.get(0) instanceof String text && list.get(1) instanceof Map<?, ?> variables) {
            Map<String, Object> named = new LinkedHashMap<>();
            variables.forEach((key, value) -> named.put(String.valueOf(key), value));
            return new Intrinsic.Sub(text, named);
        }
        throw new TemplateException("!Sub needs a string or [string, {variables}], got: " + argument);
    }

    /** Builds every {@code !Tag} node as the long form {@code {"Fn::Tag": argument}}; {@link #longForms} does the rest. */
    private static final class Constructor extends StandardConstructor {

        Constructor(LoadSettings settings) {
            super(settings);
        }

        @Override
        protected Optional<ConstructNode> findConstructorFor(Node node) {
            String tag = node.getTag().getValue();
            if (tag.startsWith("!") && !tag.startsWith("!!")) {
                return Optional.of(this::constructIntrinsic);
            }
            return super.findConstructorFor(node);
        }

        private Object constructIntrinsic(Node node) {
            String function = node.getTag().getValue().substring(1);
            Object argument = switch (node) {
                case ScalarNode scalar -> constructScalar(scalar);
                case SequenceNode sequence -> constructSequence(sequence);
                case MappingNode mapping -> constructMapping(mapping);
                default -> throw new TemplateException("unexpected YAML node for !" + function);
            };
            return Map.of(function.equals("Ref") ? "Ref" : "Fn::" + function, argument);
        }
    }
}
