package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.ScheduleSpec;
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
 * sign in with the token, see the nodes and a finished job with its log, and cancel a running job from the page; then
 * the charts, the schedules and pipelines pages, the bulk retry and delete of a queue's DEAD jobs, the payload search,
 * "run now" on a delayed job and deleting a finished one.
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

                // Rows are redrawn each second: read them again until they show both nodes.
                await(() -> {
                    List<String> rows = texts(browser, "#nodes tbody tr");
                    return rows.size() == 2
                            && rows.stream().anyMatch(t -> t.contains("127.0.0.2:" + c.assistantPort) && t.contains("ONLINE"))
                            && rows.stream().anyMatch(t -> t.contains("127.0.0.3:" + c.assistantPort));
                });
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

                chartsScheduleAndPipelinePagesAndBulkRetry(c, browser);
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * After a load of jobs the charts draw it; the schedules and pipelines pages list what the API made, a stage's
     * children show as a tree; "retry dead" on a queue retries its DEAD jobs. No section overflows at 1280, 1400 (where
     * the issue saw the drain button and the run column cut off) or 1920 px.
     */
    private static void chartsScheduleAndPipelinePagesAndBulkRetry(SeedCluster c, ChromeDriver browser) throws Exception {
        c.client().createSchedule(ScheduleSpec.of("nightly-report", "0 2 * * *", "echo").withTimeZone("Europe/Berlin")
                .withPayload("{\"report\": \"daily\"}"));
        long run = c.client().runPipeline("sums", List.of("fanout", "double-sum"), "{\"width\": 10}");
        List<Long> load = c.client().submitAll(java.util.Collections.nCopies(300, JobSpec.of("sleep", "{\"ms\": 20}")
                .withQueue("reports")));
        List<Long> dead = c.client().submitAll(java.util.Collections.nCopies(5, JobSpec.of("fail", "{\"message\": \"boom\"}")
                .withQueue("mail").withMaxAttempts(1)));
        c.client().await(load, Duration.ofSeconds(120));
        assertThat(c.client().await(dead, Duration.ofSeconds(60))).extracting(JobView::state).containsOnly(JobState.DEAD);
        assertThat(c.client().await(List.of(run), Duration.ofSeconds(60))).extracting(JobView::state)
                .containsExactly(JobState.SUCCEEDED);

        // Charts: the history holds the load (sampled every 5 s), and each chart drew it on a canvas.
        await(() -> ((Number) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/api/history').then(r => r.json()).then(h => done(h.total.in.reduce((a, b) => a + b, 0)))"))
                .doubleValue() > 0);
        await(() -> Integer.parseInt(browser.findElement(By.id("charts")).getAttribute("data-points")) >= 2);
        for (String chart : List.of("chart-throughput", "chart-failures", "chart-depth", "chart-pickup")) {
            assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).hasSize(1);
        }
        await(() -> {
            String log = browser.findElement(By.cssSelector("#events tbody")).getText();
            return log.contains("NODE_JOINED") && log.contains("DEAD") && log.contains("CANCELLED");
        });
        browser.findElement(By.id("close-btn")).click();
        browser.executeScript("window.scrollTo(0, 0)");
        for (int width : new int[] {1280, 1400, 1920}) {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1100));
            await(() -> overflowing(browser).isEmpty());
            screenshot(browser, c.cluster.dir().resolve("dashboard-" + width + ".png"));
        }

        // Bulk retry of a queue's DEAD jobs, from its row.
        click(browser, "#queues tr[data-queue='mail'] button.retry-dead");
        browser.switchTo().alert().accept();
        await(() -> browser.findElement(By.id("toast")).getText().contains("5 jobs retried"));
        await(() -> c.client().events(dead.get(0)).stream().anyMatch(e -> e.kind().equals("RETRIED")));
        deleteDeadSearchAndRunNow(c, browser, dead);

        browser.findElement(By.cssSelector("#tabs a[data-page='schedules']")).click();
        await(() -> {
            String t = browser.findElement(By.cssSelector("#schedules tr[data-schedule='nightly-report']")).getText();
            return t.contains("0 2 * * *") && t.contains("Europe/Berlin") && t.contains("echo") && t.contains("api");
        });
        screenshot(browser, c.cluster.dir().resolve("dashboard-schedules.png"));

        browser.findElement(By.cssSelector("#tabs a[data-page='pipelines']")).click();
        By row = By.cssSelector("#pipelines tr[data-run='" + run + "']");
        await(() -> {
            String t = browser.findElement(row).getText();
            return t.contains("sums") && t.contains("SUCCEEDED") && t.contains("fanout") && t.contains("double-sum")
                    && t.contains("10/10");
        });
        await(() -> {
            browser.findElement(row).findElement(By.cssSelector("a.stage")).click();
            return browser.findElements(By.cssSelector("#stage-cells .cell.s-SUCCEEDED")).size() == 10;
        });
        screenshot(browser, c.cluster.dir().resolve("dashboard-pipelines.png"));
    }

    /**
     * The retried jobs die again (one attempt each), and "delete dead" on the queue deletes them for good. The payload
     * search box finds a delayed job; "run now" on its detail runs it at once, and "delete" deletes it once it ended.
     */
    private static void deleteDeadSearchAndRunNow(SeedCluster c, ChromeDriver browser, List<Long> dead) throws Exception {
        await(() -> dead.stream().allMatch(id -> c.client().events(id).stream().filter(e -> e.kind().equals("DEAD")).count() == 2));
        click(browser, "#queues tr[data-queue='mail'] button.delete-dead");
        browser.switchTo().alert().accept();
        await(() -> browser.findElement(By.id("toast")).getText().contains("5 jobs deleted"));
        assertThat(dead).allSatisfy(id -> assertThat(c.client().get(id)).as("job " + id).isEmpty());

        long delayed = c.client().submit(JobSpec.of("echo", "{\"ticket\": \"zebra-123\"}").withDelay(Duration.ofHours(1)));
        c.client().submit(JobSpec.of("echo", "{\"ticket\": \"other-456\"}").withDelay(Duration.ofHours(1)));
        browser.findElement(By.id("f-q")).sendKeys("zebra-123");
        browser.findElement(By.cssSelector("#filters button[type='submit']")).click();
        await(() -> {
            List<String> rows = texts(browser, "#jobs tbody tr");
            return rows.size() == 1 && rows.get(0).startsWith(delayed + " ") && rows.get(0).contains("DELAYED");
        });
        clickRow(browser, delayed);
        await(() -> browser.findElement(By.id("run-now-btn")).isDisplayed());
        assertThat(browser.findElement(By.id("delete-btn")).isDisplayed()).as("not final: no delete").isFalse();
        screenshot(browser, c.cluster.dir().resolve("dashboard-run-now.png"));
        browser.findElement(By.id("run-now-btn")).click();
        await(() -> c.client().get(delayed).orElseThrow().state() == JobState.SUCCEEDED);
        await(() -> browser.findElement(By.id("detail-state")).getText().equals("SUCCEEDED")
                && browser.findElement(By.id("delete-btn")).isDisplayed());
        assertThat(c.client().events(delayed)).extracting(e -> e.kind()).contains("RUN_NOW");
        browser.findElement(By.id("delete-btn")).click();
        browser.switchTo().alert().accept();
        await(() -> c.client().get(delayed).isEmpty());
        await(() -> texts(browser, "#jobs tbody tr").isEmpty());
        browser.findElement(By.id("f-q")).clear();
        browser.findElement(By.cssSelector("#filters button[type='submit']")).click();
    }

    /** Sections whose content is wider than they are (cut off, or scrolled out of sight). */
    private static List<String> overflowing(ChromeDriver browser) {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) browser.executeScript("return [...document.querySelectorAll('main:not([hidden])"
                + " section')].filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id + ' ' + s.scrollWidth + '>'"
                + " + s.clientWidth)");
        return ids;
    }

    /** The list is redrawn each second, so a row found a moment ago may be gone: find and click it again. */
    private static void clickRow(ChromeDriver browser, long id) {
        By by = By.cssSelector("#jobs tbody tr[data-id='" + id + "']");
        await(() -> {
            browser.findElement(by).click();
            return browser.findElement(By.id("detail-id")).getText().equals(String.valueOf(id));
        });
    }

    /** The queues' rows are redrawn each second too: a button found a moment ago may be gone, so find it again. */
    private static void click(ChromeDriver browser, String css) {
        await(() -> {
            browser.findElement(By.cssSelector(css)).click();
            return true;
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
