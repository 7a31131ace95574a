package io.earthling.manager.internal.api;

import io.earthling.api.EarthlingException;
import io.earthling.manager.internal.dispatch.NoWorkerYetException;
import io.earthling.manager.internal.intake.Intake;
import io.earthling.manager.internal.leadership.Leadership;
import io.earthling.manager.internal.schedule.ScheduleTicker;
import io.earthling.manager.internal.schedule.Schedules;
import io.earthling.protocol.jobs.DeleteScheduleRequest;
import io.earthling.protocol.jobs.ListSchedulesResponse;
import io.earthling.protocol.jobs.ScheduleInfo;
import io.earthling.store.StoredSchedule;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Recurring jobs: create, list and delete the schedules the leader's ticker runs. */
public final class SchedulesApi {
    private final Supplier<Leadership> leading;
    private final Supplier<ScheduleTicker> ticker;
    private final Intake intake;

    /** {@code leading} and {@code ticker}: the leader's, or throw the refusal a standby answers. */
    SchedulesApi(Supplier<Leadership> leading, Supplier<ScheduleTicker> ticker, Intake intake) {
        this.leading = leading;
        this.ticker = ticker;
        this.intake = intake;
    }

    public CompletableFuture<ScheduleInfo> createSchedule(ScheduleInfo r) {
        ScheduleTicker t = ticker.get();
        StoredSchedule s;
        try {
            s = Schedules.validate(r, leading.get().dispatcher()::checkType, intake);
        } catch (NoWorkerYetException e) {
            throw Refusal.unavailable(e.getMessage(), NoWorkerYetException.RETRY_AFTER_MS);
        } catch (EarthlingException e) {
            throw Refusal.invalid(e.getMessage());
        }
        if (!t.create(s)) {
            throw Refusal.exists("schedule \"" + s.name() + "\" exists already");
        }
        return CompletableFuture.completedFuture(Schedules.info(t.get(s.name()).orElseThrow()));
    }

    public CompletableFuture<ListSchedulesResponse> listSchedules() {
        ListSchedulesResponse.Builder b = ListSchedulesResponse.newBuilder();
        ticker.get().all().forEach(s -> b.addSchedules(Schedules.info(s)));
        return CompletableFuture.completedFuture(b.build());
    }

    public CompletableFuture<ScheduleInfo> deleteSchedule(DeleteScheduleRequest r) {
        ScheduleTicker t = ticker.get();
        leading.get();
        StoredSchedule s = t.get(r.getName())
                .orElseThrow(() -> Refusal.notFound("no schedule named \"" + r.getName() + "\""));
        if (s.origin().equals("config")) {
            throw Refusal.conflict("schedule \"" + r.getName() + "\" comes from the config file (schedules."
                    + r.getName() + "); remove it there");
        }
        t.delete(r.getName());
        return CompletableFuture.completedFuture(Schedules.info(s));
    }
}
