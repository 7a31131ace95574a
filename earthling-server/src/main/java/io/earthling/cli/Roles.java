package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.assistant.Assistant;
import io.earthling.assistant.AssistantSettings;
import io.earthling.config.AssistantEntry;
import io.earthling.config.EarthlingConfig;
import io.earthling.config.Endpoint;
import io.earthling.config.Exposure;
import io.earthling.core.QueueLimits;
import io.earthling.manager.HttpSettings;
import io.earthling.manager.Manager;
import io.earthling.manager.ManagerSettings;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/** Turns configuration into running roles. */
final class Roles {
    private Roles() {
    }

    static ManagerSettings manager(EarthlingConfig c, Endpoint self) {
        return new ManagerSettings(self.address(), self.port(),
                c.store().url(), c.store().user(), c.store().password(), c.store().pool(),
                c.timing().heartbeatMs(), c.timing().nodeGraceMs(), c.timing().reconcileGraceMs(), c.timing().sweepMs(),
                c.timing().leaseTtlMs(), c.limits().maxPayloadBytes(), c.limits().maxBatch(),
                c.placement().minMemoryMb() << 20, c.placement().minDiskMb() << 20, c.placement().maxCpuPercent() / 100.0,
                queueLimits(c), c.typeMaxAttempts(), c.limits().maxResultBytes(),
                c.limits().maxQueuedInserts(), c.timing().typeWaitMs(), c.limits().input(), c.retention());
    }

    static Map<String, QueueLimits> queueLimits(EarthlingConfig c) {
        Map<String, QueueLimits> out = new LinkedHashMap<>();
        c.queues().forEach((name, q) -> out.put(name, new QueueLimits(q.weight(), q.concurrency(), q.rate(), q.maxAttempts())));
        return out;
    }

    static AssistantSettings assistant(EarthlingConfig c, AssistantEntry e, int threads) {
        io.earthling.config.WorkerConfig.Python py = c.worker().python();
        return new AssistantSettings(e.address(), e.port(), threads > 0 ? List.of() : e.javaWorkers(), threads,
                c.managers().stream().map(Endpoint::target).toList(), c.timing().heartbeatMs(),
                c.worker().jvmOptions(), c.worker().commands(), c.worker().handlersDir(), c.worker().prefetch(),
                new AssistantSettings.PythonWorkers(e.python(), py.interpreter(), py.modules(), py.path()),
                c.worker().commandEnv(), c.worker().examplesOn(e.address()));
    }

    /** {@code earthling run} and {@code demo}: one host, every role in one process, so no TLS between them. */
    static Manager startManager(EarthlingConfig c) {
        if (c.security().tls() != null) {
            throw new EarthlingException("tls: earthling run keeps every role in one process on one host and takes no"
                    + " certificates; start earthling manager and earthling assistant to use TLS");
        }
        Endpoint self = c.managers().get(0);
        guardManager(c, self);
        return Manager.start(manager(c, self), c.schedules(), java.time.Clock.systemUTC(), http(c));
    }

    /** A manager on {@code self}, with TLS when the config has it; refuses to listen beyond loopback unprotected. */
    static Manager startManager(EarthlingConfig c, Endpoint self) {
        guardManager(c, self);
        return Manager.start(manager(c, self), c.schedules(), java.time.Clock.systemUTC(), http(c), c.security().tls(),
                c.security().clients());
    }

    private static void guardManager(EarthlingConfig c, Endpoint self) {
        Exposure.rpc("rpc.manager", self.address(), c.security()).ifPresent(Roles::refuse);
        Exposure.http(c.http().address(), c.httpAccess().token(), c.security()).ifPresent(Roles::refuse);
    }

    /** The assistant {@code e}, with TLS when the config has it; refuses to listen beyond loopback unprotected. */
    static Assistant startAssistant(EarthlingConfig c, AssistantEntry e, int threads) {
        Exposure.rpc("rpc.assistant " + e.endpoint().target(), e.address(), c.security()).ifPresent(Roles::refuse);
        return Assistant.start(assistant(c, e, threads), c.security().tls());
    }

    private static void refuse(String why) {
        throw new EarthlingException(why);
    }

    static HttpSettings http(EarthlingConfig c) {
        return new HttpSettings(c.http().address(), c.http().port(), c.httpAccess().token(), c.httpAccess().maxBodyBytes(),
                c.httpAccess().sessionTtl());
    }

    /** Starts every assistant of the config whose address belongs to this host. */
    static List<Assistant> startLocalAssistants(EarthlingConfig c, boolean threads) {
        List<Assistant> started = new ArrayList<>();
        try {
            for (AssistantEntry e : c.assistants()) {
                if (isLocal(e.address())) {
                    started.add(startAssistant(c, e, threads ? e.javaWorkers().size() : 0));
                }
            }
        } catch (RuntimeException ex) {
            started.forEach(Assistant::close);
            throw ex;
        }
        return started;
    }

    static boolean isLocal(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
