package io.earthling.grpc;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-method caps on request messages, below the transport's {@link MessageSizes#MAX_MESSAGE_BYTES}: only the methods
 * that carry jobs, outcomes or payloads take large messages; every other one (a Get, a Wait, a Heartbeat, a Cancel)
 * takes at most {@link #SMALL_BYTES}. A larger request is answered {@code RESOURCE_EXHAUSTED} naming the method and
 * the cap, before any service code runs. A plain table and an interceptor on every server.
 */
public final class MessageCaps implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(MessageCaps.class);
    /** What every method not in {@link #LARGE} takes: room for 100,000 ids or a long schedule. */
    public static final int SMALL_BYTES = 1 << 20;
    /** The methods that carry jobs, outcomes, payloads or the node's job types. */
    private static final Set<String> LARGE = Set.of(
            "earthling.jobs.Jobs/Submit", "earthling.jobs.Jobs/SubmitBatch", "earthling.jobs.Jobs/CreateSchedule",
            "earthling.manager.Coordinator/ReportResults", "earthling.manager.Coordinator/Register",
            "Earthling/Deliver", "earthling.worker.Worker/Work");

    /** The largest request {@code fullMethodName} accepts. */
    public static int capOf(String fullMethodName) {
        return LARGE.contains(fullMethodName) ? MessageSizes.MAX_MESSAGE_BYTES : SMALL_BYTES;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        int cap = capOf(method);
        if (cap >= MessageSizes.MAX_MESSAGE_BYTES) {
            return next.startCall(call, headers);
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                int size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
                if (size > cap) {
                    refused = true;
                    log.warn("Refused {} from {}: a request of {} bytes, over the {} bytes this method takes", method,
                            call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), size, cap);
                    call.close(Status.RESOURCE_EXHAUSTED.withDescription(method + ": a request of " + size
                            + " bytes, over the " + cap + " bytes this method takes"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
