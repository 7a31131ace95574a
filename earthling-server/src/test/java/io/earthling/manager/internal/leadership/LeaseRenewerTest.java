package io.earthling.manager.internal.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.store.LeaderLease;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaseRenewerTest {

    @Test
    void a_leader_whose_renewal_hangs_steps_down_once_its_lease_may_have_expired_without_waiting_for_the_call()
            throws Exception {
        CountDownLatch renewing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch lost = new CountDownLatch(1);
        Duration ttl = Duration.ofMillis(900); // renewed every 300 ms
        LeaderLease hanging = new LeaderLease() {
            @Override
            public boolean renew(String holder, long epoch, Duration t) {
                renewing.countDown();
                try {
                    release.await(); // a connection that never comes (the database refuses them)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            @Override
            public OptionalLong tryAcquire(String holder, Duration t) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void release(String holder, long epoch) {
            }

            @Override
            public Optional<Holder> current() {
                return Optional.empty();
            }

            @Override
            public Optional<Holding> holding() {
                return Optional.empty();
            }
        };
        long acquired = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger stepDowns = new java.util.concurrent.atomic.AtomicInteger();
        LeaseRenewer renewer = new LeaseRenewer(hanging, "m1:1", 1, ttl, acquired, () -> {
            stepDowns.incrementAndGet();
            lost.countDown();
        });
        Thread lease = new Thread(renewer);
        Thread deadline = new Thread(renewer::watchDeadline);
        lease.start();
        deadline.start();
        try {
            assertThat(renewing.await(10, TimeUnit.SECONDS)).as("a renewal started").isTrue();
            assertThat(lost.await(10, TimeUnit.SECONDS)).as("stepped down").isTrue();
            long afterMs = (System.nanoTime() - acquired) / 1_000_000;

            assertThat(lease.isAlive()).as("the renewal still hangs").isTrue();
            assertThat(afterMs).as("not while the lease is surely ours: a ttl less the watch's margin")
                    .isGreaterThanOrEqualTo(900 - LeaseRenewer.watchMarginMs(900));
            assertThat(renewer.fresh()).isFalse();
            deadline.join(10_000);
            assertThat(deadline.isAlive()).isFalse();
        } finally {
            release.countDown();
            lease.join(10_000);
        }
        assertThat(stepDowns).as("stepped down once, also after the renewal returned").hasValue(1);
    }

    @Test
    void the_watch_stops_a_tenth_of_the_ttl_early_but_never_inside_the_fresh_two_thirds() {
        assertThat(LeaseRenewer.watchMarginMs(5_000)).isEqualTo(500);
        assertThat(LeaseRenewer.watchMarginMs(900)).isEqualTo(200);
        assertThat(LeaseRenewer.watchMarginMs(300)).isEqualTo(100);
    }
}
