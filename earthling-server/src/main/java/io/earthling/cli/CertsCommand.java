package io.earthling.cli;

import io.earthling.api.EarthlingException;
import io.earthling.grpc.ClusterCa;
import io.earthling.grpc.Identity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code earthling certs}: the cluster CA and the certificates of its roles, as files for {@code tls.ca},
 * {@code tls.cert} and {@code tls.key}. docs/operations.md, "Securing a cluster".
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"Makes the cluster CA and issues certificates that name a role (mutual TLS).",
                "A cluster is secured in three commands: earthling certs ca; earthling certs manager --host HOST;",
                "earthling certs assistant --node ADDRESS:PORT (one per node), and a client: earthling certs client --name NAME.",
                "Issuing again replaces the files: that is how a certificate is rotated (roles reload them, no restart)."},
        subcommands = {CertsCommand.Ca.class, CertsCommand.ManagerCert.class, CertsCommand.AssistantCert.class,
                CertsCommand.ClientCert.class})
final class CertsCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    abstract static class Common {
        @Option(names = "--dir", paramLabel = "DIR", description = "where the CA and certificates live (default: certs)")
        Path dir = Path.of("certs");

        @Option(names = "--days", paramLabel = "DAYS", description = "how long the certificate is valid (default: ${DEFAULT-VALUE})")
        long days = 365;

        void printIssued(ClusterCa.Issued issued, Identity who) {
            System.out.println("issued " + who + " until " + issued.certificate().getNotAfter().toInstant());
            System.out.println("  tls: { ca: " + dir.resolve(ClusterCa.CA_CERT) + ", cert: " + issued.cert() + ", key: "
                    + issued.key() + " }");
        }

        ClusterCa ca() {
            return ClusterCa.load(dir, Clock.systemUTC());
        }

        Duration validity() {
            if (days < 1) {
                throw new EarthlingException("--days: must be at least 1, got " + days);
            }
            return Duration.ofDays(days);
        }
    }

    @Command(name = "ca", mixinStandardHelpOptions = true, description = "Makes the cluster CA (ca.crt, ca.key); keep ca.key offline.")
    static final class Ca extends Common implements Callable<Integer> {
        @Option(names = "--name", paramLabel = "NAME", description = "the cluster's name in the CA certificate (default: ${DEFAULT-VALUE})")
        String name = "earthling";

        Ca() {
            days = 3650;
        }

        @Override
        public Integer call() {
            ClusterCa ca = ClusterCa.create(dir, name, validity(), Clock.systemUTC());
            System.out.println("created the cluster CA " + dir.resolve(ClusterCa.CA_CERT) + " until "
                    + ca.certificate().getNotAfter().toInstant() + " (its key: " + dir.resolve(ClusterCa.CA_KEY) + ")");
            return 0;
        }
    }

    @Command(name = "manager", mixinStandardHelpOptions = true, description = "Issues manager.crt/.key: the manager's identity.")
    static final class ManagerCert extends Common implements Callable<Integer> {
        @Option(names = "--host", paramLabel = "HOST", description = {"an address or DNS name clients use to reach the"
                + " manager (repeat; default 127.0.0.1 and localhost)"})
        List<String> hosts = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> h = hosts.isEmpty() ? List.of("127.0.0.1", "localhost") : hosts;
            printIssued(ca().issue(Identity.manager(), h, validity(), dir, "manager"), Identity.manager());
            return 0;
        }
    }

    @Command(name = "assistant", mixinStandardHelpOptions = true,
            description = "Issues assistant-ADDRESS_PORT.crt/.key: one node's identity, valid for that node only.")
    static final class AssistantCert extends Common implements Callable<Integer> {
        @Option(names = "--node", required = true, paramLabel = "ADDRESS:PORT",
                description = "the node id: the assistant's rpc address and port")
        String node;

        @Option(names = "--host", paramLabel = "HOST", description = "more names the manager may dial it by (repeat)")
        List<String> hosts = new ArrayList<>();

        @Override
        public Integer call() {
            int colon = node.lastIndexOf(':');
            if (colon < 1) {
                throw new EarthlingException("--node: expected ADDRESS:PORT, e.g. 10.0.0.2:50052, got \"" + node + "\"");
            }
            List<String> h = new ArrayList<>(List.of(node.substring(0, colon).replaceAll("^\\[|]$", "")));
            h.addAll(hosts);
            Identity who = Identity.assistant(node);
            printIssued(ca().issue(who, h, validity(), dir, "assistant-" + node.replaceAll("[^A-Za-z0-9.-]", "_")), who);
            return 0;
        }
    }

    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "Issues client-NAME.crt/.key: a person or program that uses the client API.")
    static final class ClientCert extends Common implements Callable<Integer> {
        @Option(names = "--name", paramLabel = "NAME", required = true, description = "who holds it (letters, digits, '.', '_', '-')")
        String name;

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new EarthlingException("--name: letters, digits, '.', '_', '-' (at most 64), got \"" + name + "\"");
            }
            Identity who = Identity.client(name);
            printIssued(ca().issue(who, List.of(), validity(), dir, "client-" + name), who);
            return 0;
        }
    }
}
