package io.earthling.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
