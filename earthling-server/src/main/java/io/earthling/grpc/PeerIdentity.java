package io.earthling.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a TLS port: reads the caller's identity from its (already verified) certificate, refuses a call that
 * {@link CallerRules} refuses, and puts the identity in the gRPC {@link Context} for the service, which checks what
 * depends on the request (an assistant speaks only for its own node). On the manager's port a call may carry a token
 * instead ({@code authorization: Bearer TOKEN}): then the token's principal and roles decide, whatever certificate
 * the connection showed, and a bad token is {@code UNAUTHENTICATED}. Without TLS a call without a token is let
 * through and {@link #current()} is null.
 */
public final class PeerIdentity implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(PeerIdentity.class);
    private static final Context.Key<Identity> CALLER = Context.key("earthling-caller");

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of(BearerTokens.HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final CallerRules rules;
    private final BearerTokens tokens;
    private final boolean tls;

    /** On a TLS port without tokens (an assistant's). */
    public PeerIdentity(CallerRules rules) {
        this(rules, null, true);
    }

    /** {@code tokens} null: tokens are not accepted; {@code tls} false: a call without a token needs nothing. */
    public PeerIdentity(CallerRules rules, BearerTokens tokens, boolean tls) {
        this.rules = rules;
        this.tokens = tokens;
        this.tls = tls;
    }

    /** The identity of the caller of the current call; null when the port does not use TLS. */
    public static Identity current() {
        return CALLER.get();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        String token = tokens == null ? null : BearerTokens.bearer(headers.get(AUTHORIZATION));
        if (token != null) {
            BearerTokens.Check check = token.isEmpty()
                    ? BearerTokens.Check.refused("the authorization header is not \"Bearer TOKEN\"")
                    : tokens.check(token);
            if (check.principal() == null) {
                return refuse(call, "a caller with a bad token", CallerRules.badToken(check.refusal()));
            }
            Optional<CallerRules.Refused> refused = rules.callWithToken(check.principal(), method);
            if (refused.isPresent()) {
                return refuse(call, check.principal().name(), refused.get());
            }
            return next.startCall(call, headers);
        }
        if (!tls) {
            return next.startCall(call, headers);
        }
        Optional<Identity> caller = identity(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        Optional<CallerRules.Refused> refused = rules.call(caller, method);
        if (refused.isPresent()) {
            return refuse(call, caller.map(Identity::toString).orElse("a caller without identity"), refused.get());
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller.get()), call, headers, next);
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, String who, CallerRules.Refused refused) {
        log.warn("Refused {} from {} at {}: {}; the call fails with {}", call.getMethodDescriptor().getFullMethodName(),
                who, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), refused.message(),
                refused.status().getCode());
        call.close(refused.status(), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    /** The identity of the peer certificate of {@code session}, if it carries one of ours. */
    static Optional<Identity> identity(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 || !(chain[0] instanceof X509Certificate x) ? Optional.empty() : of(x);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The identity in a certificate's URI subject alternative names: exactly one of ours, or none. */
    public static Optional<Identity> of(X509Certificate cert) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            List<Identity> found = names.stream().filter(n -> n.size() == 2 && Integer.valueOf(6).equals(n.get(0)))
                    .map(n -> Identity.parse(String.valueOf(n.get(1)))).flatMap(Optional::stream).toList();
            return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
