package io.earthling.manager;

import static org.awaitility.Awaitility.await;

import io.earthling.api.EarthlingClient;
import io.earthling.assistant.Assistant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A manager on H2 in {@code dir}, one assistant with two thread workers, and a real gRPC client: started and ready. */
final class OneNode implements AutoCloseable {
    final Manager manager;
    final Assistant assistant;
    final EarthlingClient client;

    private OneNode(Manager manager, Assistant assistant, EarthlingClient client) {
        this.manager = manager;
        this.assistant = assistant;
        this.client = client;
    }

    static OneNode start(Path dir) {
        return start(dir, s -> s);
    }

    static OneNode start(Path dir, UnaryOperator<ManagerSettings> tune) {
        int port = TestManagers.freePort();
        Manager manager = Manager.start(tune.apply(TestManagers.manager(port, TestManagers.h2(dir))));
        Assistant assistant = Assistant.start(TestManagers.assistant(TestManagers.freePort(), port, 2));
        EarthlingClient client = EarthlingClient.connect("127.0.0.1", port);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.nodes().size() == 1);
        return new OneNode(manager, assistant, client);
    }

    @Override
    public void close() {
        client.close();
        assistant.close();
        manager.close();
    }
}
