package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code earthling demo}: the text-mining pipeline gives the same top terms all-in-one on H2 and on a cluster. */
class DemoOnClusterIT {

    @Test
    void the_demo_prints_the_same_top_terms_all_in_one_on_h2_and_on_three_assistants_with_postgresql() throws IOException {
        String embedded;
        try (Cluster local = new Cluster("demo-embedded")) {
            // The default layout, on free ports so that it cannot meet another cluster on this machine.
            List<Integer> p = distinctFreePorts(6);
            Path config = local.write("earthling.yaml", "rpc:\n"
                    + "  manager: { address: '127.0.0.1', port: " + p.get(0) + " }\n"
                    + "  assistant:\n    - { address: '127.0.0.1', port: " + p.get(1) + ", workers: ["
                    + p.get(2) + ", " + p.get(3) + ", " + p.get(4) + "] }\n"
                    + "http: { address: '127.0.0.1', port: " + p.get(5) + " }\n"
                    + "store: { url: \"jdbc:h2:file:" + local.dir().resolve("db") + "\" }\n");
            embedded = local.cli("demo", "--config", config.toString());
        }
        assertThat(embedded).contains("Starting the manager").contains("Pipeline SUCCEEDED");

        String clustered;
        try (SeedCluster c = new SeedCluster("demo-cluster", TestPostgres.freshDatabase(), 3, 2)
                .startManager().startAssistants().awaitNodes(3)) {
            clustered = c.cli("demo");
        }
        assertThat(clustered).contains("Using the cluster").contains("Pipeline SUCCEEDED")
                .containsPattern("preprocess +SUCCEEDED 201/201 docs");

        assertThat(topTerms(clustered)).isEqualTo(topTerms(embedded)).contains("201 documents");
    }

    /** Ports nothing listens on, all different: each socket stays open until all are chosen. */
    private static List<Integer> distinctFreePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
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
