package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobHandler;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {
    @Test
    void theHandlersAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(JobHandler.class).stream().map(p -> p.get().type()))
                .contains("wordcount", "mark");
    }
}
