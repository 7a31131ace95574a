package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code earthling demo} with the Python {@code analyze-py} stage (clients/python, earthling.examples.textmining)
 * selected in the config prints the same top terms as with the Java {@code analyze} stage.
 */
class PythonDemoIT {

    @Test
    void the_demo_with_the_python_analyze_stage_prints_the_same_top_terms_as_with_the_java_one() {
        String java = demo("demo-java", "");
        String python = demo("demo-python", "pipelines: { textmining: { stages: [crawl, preprocess, analyze-py] } }\n");

        assertThat(python).contains("crawl -> preprocess -> analyze-py").contains("analyze-py SUCCEEDED")
                .contains("Pipeline SUCCEEDED");
        assertThat(java).contains("crawl -> preprocess -> analyze").contains("Pipeline SUCCEEDED");
        assertThat(topTerms(python)).isEqualTo(topTerms(java)).contains("201 documents");
    }

    /** The demo all-in-one on H2: one assistant with two Java workers and one Python worker. */
    private static String demo(String name, String extraYaml) {
        try (Cluster c = new Cluster(name)) {
            Path pkg = PythonWorkersIT.PACKAGE;
            Path config = c.write("earthling.yaml", "rpc:\n"
                    + "  manager: { address: '127.0.0.1', port: " + Cluster.freePort() + " }\n"
                    + "  assistant:\n    - { address: '127.0.0.1', port: " + Cluster.freePort() + ", workers: ["
                    + Cluster.freePort() + ", " + Cluster.freePort() + ", { port: " + Cluster.freePort()
                    + ", runtime: python }] }\n"
                    + "http: { address: '127.0.0.1', port: " + Cluster.freePort() + " }\n"
                    + "store: { url: \"jdbc:h2:file:" + c.dir().resolve("db") + "\" }\n"
                    + "worker:\n  python:\n    modules: [earthling.examples.textmining]\n"
                    + "    path: ['" + pkg.resolve("src") + "']\n" + extraYaml);
            return c.cli("demo", "--config", config.toString());
        }
    }

    private static String topTerms(String output) {
        int from = output.indexOf("Top terms");
        int to = output.indexOf("End of top terms.");
        assertThat(from).as("a top-terms block in:%n%s", output).isNotNegative();
        assertThat(to).as("the end of the top-terms block in:%n%s", output).isGreaterThan(from);
        return output.substring(from, to);
    }
}
