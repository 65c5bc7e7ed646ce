import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation gate of .ci/run (docs/SECURITY.md#mutation-testing): reads PIT's mutations.xml
 * reports and fails unless every gated package, its subpackages included, reaches the threshold.
 * PIT's own mutationThreshold is one figure per module, where a strong package would hide a weak
 * one. The score is PIT's: detected mutants (killed, timed out, memory or run error) over all
 * mutants, NO_COVERAGE counting as survived.
 *
 * <p>Usage: {@code java .ci/MutationGate.java <threshold %> <mutations.xml>=<package>,<package>... ...}
 */
public final class MutationGate {

    private record Score(int detected, int total, List<String> survivors) {
        int percent() {
            return total == 0 ? 0 : Math.round(100f * detected / total);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MutationGate <threshold %> <mutations.xml>=<package>,<package>... ...");
            System.exit(2);
        }
        int threshold = Integer.parseInt(args[0]);
        boolean failed = false;
        for (int a = 1; a < args.length; a++) {
            String[] reportAndPackages = args[a].split("=", 2);
            Path report = Path.of(reportAndPackages[0]);
            if (!Files.isRegularFile(report)) {
                System.err.println("mutation gate: no report at " + report + " (did PIT run?)");
                System.exit(1);
            }
            Map<String, Score> scores = new LinkedHashMap<>();
            for (String pkg : reportAndPackages[1].split(",")) {
                scores.put(pkg, new Score(0, 0, new ArrayList<>()));
            }
            NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(report.toFile()).getElementsByTagName("mutation");
            for (int i = 0; i < mutations.getLength(); i++) {
                Element mutation = (Element) mutations.item(i);
                String mutatedClass = text(mutation, "mutatedClass");
                String pkg = mutatedClass.substring(0, mutatedClass.lastIndexOf('.'));
                for (Map.Entry<String, Score> entry : scores.entrySet()) {
                    if (pkg.equals(entry.getKey()) || pkg.startsWith(entry.getKey() + ".")) {
                        Score s = entry.getValue();
                        boolean detected = Boolean.parseBoolean(mutation.getAttribute("detected"));
                        if (!detected) {
                            s.survivors().add(mutation.getAttribute("status") + " " + mutatedClass + "."
                                    + text(mutation, "mutatedMethod") + ":" + text(mutation, "lineNumber")
                                    + " " + text(mutation, "description"));
                        }
                        entry.setValue(new Score(s.detected() + (detected ? 1 : 0), s.total() + 1, s.survivors()));
                    }
                }
            }
            for (Map.Entry<String, Score> entry : scores.entrySet()) {
                Score s = entry.getValue();
                boolean below = s.total() == 0 || s.percent() < threshold;
                System.out.printf("mutation gate: %-28s %3d%% (%d of %d mutants detected)%s%n", entry.getKey(),
                        s.percent(), s.detected(), s.total(),
                        s.total() == 0 ? " NO MUTANTS: is the package still targeted?"
                                : below ? " BELOW " + threshold + "%" : "");
                if (below) {
                    failed = true;
                    s.survivors().forEach(survivor -> System.out.println("    " + survivor));
                }
            }
        }
        if (failed) {
            System.err.println("mutation gate: a package fell below " + threshold + "%; kill its survivors (listed"
                    + " above) with tests, or document an equivalent mutant in docs/SECURITY.md");
            System.exit(1);
        }
        System.out.println("mutation gate: every gated package at or above " + threshold + "%");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
