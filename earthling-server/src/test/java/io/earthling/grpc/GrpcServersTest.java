package io.earthling.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.earthling.protocol.worker.TypesRequest;
import io.earthling.protocol.worker.WorkerGrpc;
import io.earthling.worker.HandlerRegistry;
import io.earthling.worker.WorkerServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcServersTest {
    @AfterEach
    void networkAgain() {
        GrpcServers.shortCircuitLocalCalls(false);
    }

    @Test
    void a_call_to_a_server_of_the_same_process_stays_in_the_process_once_local_calls_are_short_circuited() {
        GrpcServers.shortCircuitLocalCalls(true);
        Server server = GrpcServers.start("rpc.test", "127.0.0.1", 0, new WorkerServer(HandlerRegistry.load(null, List.of())));
        ManagedChannel channel = GrpcServers.channel("127.0.0.1:" + server.getPort());
        try {
            WorkerGrpc.WorkerBlockingStub stub = WorkerGrpc.newBlockingStub(channel);
            assertThat(stub.types(TypesRequest.getDefaultInstance()).getTypesList()).contains("noop");
            assertThat(channel.authority()).isEqualTo("localhost");
            GrpcServers.stop(server);
            assertThatThrownBy(() -> stub.types(TypesRequest.getDefaultInstance()))
                    .as("the in-process twin stops with its server").isInstanceOf(StatusRuntimeException.class);
        } finally {
            channel.shutdownNow();
            GrpcServers.stop(server);
        }
    }

    @Test
    void without_the_short_circuit_a_channel_goes_over_the_network() {
        Server server = GrpcServers.start("rpc.test", "127.0.0.1", 0, new WorkerServer(HandlerRegistry.load(null, List.of())));
        ManagedChannel channel = GrpcServers.channel("127.0.0.1:" + server.getPort());
        try {
            assertThat(WorkerGrpc.newBlockingStub(channel).types(TypesRequest.getDefaultInstance()).getTypesList())
                    .contains("noop");
            assertThat(channel.authority()).isEqualTo("127.0.0.1:" + server.getPort());
        } finally {
            channel.shutdownNow();
            GrpcServers.stop(server);
        }
    }

    @Test
    void a_request_over_its_methods_cap_is_refused_naming_the_method_and_the_cap() {
        Server server = GrpcServers.start("rpc.test", "127.0.0.1", 0, new WorkerServer(HandlerRegistry.load(null, List.of())));
        ManagedChannel channel = GrpcServers.channel("127.0.0.1:" + server.getPort());
        try {
            // A stranger can pad any message with fields the service does not know: 2 MiB on a call that needs none.
            TypesRequest padded = TypesRequest.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(
                            new byte[2 << 20])).build()).build()).build();
            WorkerGrpc.WorkerBlockingStub stub = WorkerGrpc.newBlockingStub(channel);
            assertThatThrownBy(() -> stub.types(padded)).isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("RESOURCE_EXHAUSTED")
                    .hasMessageContaining("earthling.worker.Worker/Types: a request of " + padded.getSerializedSize()
                            + " bytes, over the " + MessageCaps.SMALL_BYTES + " bytes this method takes");
            assertThat(stub.types(TypesRequest.getDefaultInstance()).getTypesList()).as("a small one still works")
                    .contains("noop");
            assertThat(MessageCaps.capOf("earthling.worker.Worker/Work")).isEqualTo(MessageSizes.MAX_MESSAGE_BYTES);
            assertThat(MessageCaps.capOf("Earthling/Deliver")).isEqualTo(MessageSizes.MAX_MESSAGE_BYTES);
            assertThat(MessageCaps.capOf("earthling.jobs.Jobs/Wait")).isEqualTo(MessageCaps.SMALL_BYTES);
        } finally {
            channel.shutdownNow();
            GrpcServers.stop(server);
        }
    }
}
