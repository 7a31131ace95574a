package io.earthling.grpc;

import io.earthling.api.EarthlingException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority, kept as two PEM files ({@code ca.crt}, {@code ca.key}) in one directory, and
 * the certificates it issues: each names one {@link Identity} (URI subject alternative name and common name) and
 * the hosts it serves from (IP or DNS names, checked by TLS clients). Keys are EC P-256, written PKCS#8 with mode
 * 0600. Bouncy Castle builds the certificates. docs/operations.md, "Securing a cluster".
 */
public final class ClusterCa {
    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate cert;
    private final PrivateKey key;
    private final Clock clock;

    private ClusterCa(X509Certificate cert, PrivateKey key, Clock clock) {
        this.cert = cert;
        this.key = key;
        this.clock = clock;
    }

    /** A certificate and key written to disk. */
    public record Issued(Path cert, Path key, X509Certificate certificate) {
    }

    /** Makes a new CA in {@code dir}; refuses to replace one that is there (its certificates would stop working). */
    public static ClusterCa create(Path dir, String cluster, Duration validity, Clock clock) {
        try {
            Files.createDirectories(dir);
            KeyPair pair = newKey();
            X500Name name = name("earthling cluster CA " + cluster);
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), name, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, pair.getPrivate());
            write(dir.resolve(CA_KEY), pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
            write(dir.resolve(CA_CERT), pem(cert), false);
            return new ClusterCa(cert, pair.getPrivate(), clock);
        } catch (IOException e) {
            throw new EarthlingException("certs: cannot write to " + dir + ": " + e.getMessage());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("certs: " + e.getMessage(), e);
        }
    }

    /** The CA of {@code dir} ({@code ca.crt}, {@code ca.key}). */
    public static ClusterCa load(Path dir, Clock clock) {
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (!Files.isReadable(certFile) || !Files.isReadable(keyFile)) {
            throw new EarthlingException("certs: no CA in " + dir + " (" + CA_CERT + " and " + CA_KEY
                    + "); make one with: earthling certs ca --dir " + dir);
        }
        try (Reader r = Files.newBufferedReader(keyFile)) {
            Object o = new PEMParser(r).readObject();
            if (!(o instanceof PrivateKeyInfo info)) {
                throw new EarthlingException("certs: " + keyFile + " is not a PKCS#8 private key");
            }
            return new ClusterCa(Tls.leaf(certFile), new JcaPEMKeyConverter().getPrivateKey(info), clock);
        } catch (IOException | GeneralSecurityException e) {
            throw new EarthlingException("certs: cannot read the CA in " + dir + ": " + e.getMessage());
        }
    }

    public X509Certificate certificate() {
        return cert;
    }

    /**
     * Issues a certificate naming {@code who}, valid for {@code hosts} (IP addresses or DNS names; none for a
     * client), written as {@code dir/base.crt} and {@code dir/base.key}. Existing files are replaced: that is how
     * a certificate is rotated (running roles pick the new files up).
     */
    public Issued issue(Identity who, List<String> hosts, Duration validity, Path dir, String base) {
        try {
            Files.createDirectories(dir);
            KeyPair pair = newKey();
            Instant now = clock.instant();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), name(who.uri()),
                    pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            // Each role both serves and calls (a manager dials assistants, an assistant dials the manager).
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, who.uri()));
            for (String h : hosts) {
                boolean ip = IPV4.matcher(h).matches() || h.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            X509Certificate issued = sign(b, key);
            Path keyFile = dir.resolve(base + ".key");
            Path certFile = dir.resolve(base + ".crt");
            // The key first: a role that reloads between the two writes sees the old pair or, briefly, a mismatch it refuses.
            replace(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
            replace(certFile, pem(issued), false);
            return new Issued(certFile, keyFile, issued);
        } catch (IOException e) {
            throw new EarthlingException("certs: cannot write to " + dir + ": " + e.getMessage());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("certs: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Earthling").addRDN(BCStyle.CN, cn).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o instanceof JcaPKCS8Generator g ? g.generate() : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes a new file; never replaces one (a CA's key is not overwritten by accident). */
    private static void write(Path file, String text, boolean secret) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file + " exists (remove it to make a new CA; every certificate it"
                    + " issued stops working)");
        }
        replace(file, text, secret);
    }

    /** Writes {@code file} through a temporary file and a rename, so a reader sees the old or the new text. */
    private static void replace(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its own defaults apply.
            }
        }
        Files.writeString(tmp, text, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
