package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard of a running cluster (manager and two assistants, each its own process) in real headless Chromium:
 * sign in with the token, see the nodes and a finished job with its log, and cancel a running job from the page.
 */
class DashboardBrowserIT {
    private static final String TOKEN = "dashboard-test-token-42";

    @Test
    void the_dashboard_shows_the_nodes_and_a_finished_jobs_log_and_cancels_a_running_job() throws Exception {
        int httpPort = Cluster.freePort();
        String url = "jdbc:h2:file:" + Path.of("target", "it-logs", "dashboard", "db-" + System.nanoTime()).toAbsolutePath();
        try (SeedCluster c = new SeedCluster("dashboard", url, 2, 2,
                "http: { port: " + httpPort + ", token: " + TOKEN + " }\n").startManager().startAssistants().awaitNodes(2)) {
            long done = c.client().submit(JobSpec.of("sleep", "{\"ms\": 50}").withQueue("reports"));
            assertThat(c.client().await(List.of(done), Duration.ofSeconds(60))).extracting(JobView::state)
                    .containsExactly(JobState.SUCCEEDED);
            long running = c.client().submit(JobSpec.of("sleep", "{\"ms\": 600000}"));
            await(() -> c.client().get(running).orElseThrow().state() == JobState.RUNNING);

            ChromeDriver browser = Browser.start(c.cluster.dir());
            try {
                browser.get("http://127.0.0.1:" + httpPort + "/");
                browser.findElement(By.id("token")).sendKeys(TOKEN);
                browser.findElement(By.cssSelector("#login button")).click();

                await(() -> browser.findElements(By.cssSelector("#nodes tbody tr")).size() == 2);
                assertThat(texts(browser, "#nodes tbody tr")).anySatisfy(t -> assertThat(t)
                        .contains("127.0.0.2:" + c.assistantPort).contains("ONLINE"))
                        .anySatisfy(t -> assertThat(t).contains("127.0.0.3:" + c.assistantPort));
                assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");

                clickRow(browser, done);
                await(() -> browser.findElement(By.id("detail-log")).getText().contains("woke up after 50 ms"));
                assertThat(browser.findElement(By.id("detail-state")).getText()).isEqualTo("SUCCEEDED");
                assertThat(browser.findElement(By.id("detail-log")).getText()).contains("sleeping 50 ms");
                assertThat(browser.findElement(By.id("detail-events")).getText()).contains("SUCCEEDED");
                screenshot(browser, c.cluster.dir().resolve("dashboard.png"));

                clickRow(browser, running);
                await(() -> browser.findElement(By.id("cancel-btn")).isDisplayed()
                        && browser.findElement(By.id("detail-id")).getText().equals(String.valueOf(running)));
                await(() -> browser.findElement(By.id("detail-log")).getText().contains("sleeping 600000 ms"));
                browser.findElement(By.id("cancel-btn")).click();
                await(() -> c.client().get(running).orElseThrow().state() == JobState.CANCELLED);
                await(() -> browser.findElement(By.id("detail-state")).getText().equals("CANCELLED"));
            } finally {
                browser.quit();
            }
        }
    }

    /** The list is redrawn each second, so a row found a moment ago may be gone: find and click it again. */
    private static void clickRow(ChromeDriver browser, long id) {
        By by = By.cssSelector("#jobs tbody tr[data-id='" + id + "']");
        await(() -> {
            browser.findElement(by).click();
            return browser.findElement(By.id("detail-id")).getText().equals(String.valueOf(id));
        });
    }

    private static List<String> texts(ChromeDriver browser, String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static void screenshot(ChromeDriver browser, Path to) throws Exception {
        Files.write(to, browser.getScreenshotAs(OutputType.BYTES));
    }

    private static void await(Supplier<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(condition::get);
    }
}
