package io.earthling.grpc;

import io.earthling.api.EarthlingException;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's mutual TLS: its own certificate and key, and the cluster CA it trusts, each re-read when its file
 * changes (checked every {@code tls.reloadSeconds}), so certificates rotate without a restart; connections made
 * after a change use the new files. Servers require a client certificate from the same CA; a channel also
 * checks that the server's certificate names the identity it dials (a manager, or the assistant of that node).
 */
public final class Tls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);

    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509TrustManager trust;
    private final Identity self;
    private final ScheduledExecutorService reloader;
    private final TlsFiles files;
    private List<Long> seen;

    private Tls(TlsFiles files) throws IOException, GeneralSecurityException {
        this.trust = AdvancedTlsX509TrustManager.newBuilder()
                .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION).build();
        this.self = PeerIdentity.of(leaf(files.cert())).orElseThrow(() -> new EarthlingException("tls.cert: "
                + files.cert() + " names no earthling identity (make it with earthling certs)"));
        this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "earthling-tls-reload");
            t.setDaemon(true);
            return t;
        });
        this.files = files;
        this.seen = stamps();
        keys.updateIdentityCredentials(files.cert().toFile(), files.key().toFile());
        trust.updateTrustCredentials(files.ca().toFile());
        // grpc-util's own file watch checks at most once a minute; this one checks as often as configured.
        reloader.scheduleWithFixedDelay(this::reloadIfChanged, files.reloadSeconds(), files.reloadSeconds(),
                TimeUnit.SECONDS);
    }

    private List<Long> stamps() {
        return List.of(files.ca().toFile().lastModified(), files.cert().toFile().lastModified(),
                files.key().toFile().lastModified());
    }

    /**
     * Re-reads the files when one of them changed since the last read; a pair that does not load (say, the key is
     * written and the certificate not yet) keeps the current material and is tried again next time.
     */
    void reloadIfChanged() {
        List<Long> now = stamps();
        if (now.equals(seen)) {
            return;
        }
        try {
            X509Certificate cert = leaf(files.cert());
            Identity named = PeerIdentity.of(cert).orElse(null);
            if (!self.equals(named)) {
                log.error("TLS: {} now names {}, not {}; keeping the current certificate", files.cert(), named, self);
                seen = now;
                return;
            }
            java.security.PrivateKey key;
            try (InputStream in = Files.newInputStream(files.key())) {
                key = io.grpc.util.CertificateUtils.getPrivateKey(in);
            }
            if (!pair(key, cert)) {
                throw new GeneralSecurityException("the key does not belong to the certificate (yet)");
            }
            keys.updateIdentityCredentials(new X509Certificate[] {cert}, key);
            trust.updateTrustCredentials(files.ca().toFile());
            seen = now;
            log.info("TLS: reloaded {} (valid until {}) and {}; new connections use them", files.cert(),
                    cert.getNotAfter().toInstant(), files.ca());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("TLS: {} / {} / {} changed but do not load ({}); keeping the current ones, trying again in {} s",
                    files.cert(), files.key(), files.ca(), e.toString(), files.reloadSeconds());
        }
    }

    /**
     * Reads the files now and watches them; a missing or unreadable file is one line naming its key.
     */
    public static Tls open(TlsFiles files) {
        check("tls.ca", files.ca());
        check("tls.cert", files.cert());
        check("tls.key", files.key());
        try {
            Tls tls = new Tls(files);
            log.info("TLS on as {} (CA {}, certificate {}, checked for changes every {} s)", tls.self, files.ca(),
                    files.cert(), files.reloadSeconds());
            return tls;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof EarthlingException ee) {
                throw ee;
            }
            throw new EarthlingException("tls: cannot use " + files.cert() + " / " + files.key() + " / " + files.ca()
                    + ": " + e.getMessage());
        }
    }

    private static void check(String key, Path file) {
        if (file == null) {
            throw new EarthlingException(key + ": not set (tls.ca, tls.cert and tls.key go together)");
        }
        if (!Files.isReadable(file)) {
            throw new EarthlingException(key + ": cannot read " + file);
        }
    }

    /** Whether {@code key} signs what {@code cert}'s public key verifies. */
    static boolean pair(java.security.PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "earthling key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.security.Signature sign = java.security.Signature.getInstance(alg);
        sign.initSign(key);
        sign.update(probe);
        byte[] sig = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance(alg);
        verify.initVerify(cert.getPublicKey());
        verify.update(probe);
        return verify.verify(sig);
    }

    /** The identity this process's certificate names. */
    public Identity self() {
        return self;
    }

    /**
     * A server that verifies any client certificate against the cluster CA (one of another CA fails the handshake).
     * A client without one gets through the handshake only to have every call refused as {@code UNAUTHENTICATED} by
     * {@link PeerIdentity}, which says what is missing instead of a bare handshake failure.
     */
    public ServerCredentials serverCredentials() {
        return TlsServerCredentials.newBuilder().keyManager(keys).trustManager(trust)
                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL).build();
    }

    /** A channel that shows this process's certificate and accepts only a server whose certificate names {@code expected}. */
    public ChannelCredentials channelCredentials(Identity expected) {
        return TlsChannelCredentials.newBuilder().keyManager(keys).trustManager(new Expecting(trust, expected)).build();
    }

    @Override
    public void close() {
        reloader.shutdownNow();
    }

    static X509Certificate leaf(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The cluster CA's checks, then: the server is who the caller meant to reach. */
    private static final class Expecting extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager trust;
        private final Identity expected;

        Expecting(X509ExtendedTrustManager trust, Identity expected) {
            this.trust = trust;
            this.expected = expected;
        }

        private void identity(X509Certificate[] chain) throws CertificateException {
            Identity found = PeerIdentity.of(chain[0]).orElse(null);
            if (!expected.equals(found)) {
                throw new CertificateException("the server's certificate names " + (found == null ? "no earthling identity"
                        : found) + ", expected " + expected);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            trust.checkServerTrusted(chain, authType, engine);
            identity(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust.checkServerTrusted(chain, authType, socket);
            identity(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkServerTrusted(chain, authType);
            identity(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            trust.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
