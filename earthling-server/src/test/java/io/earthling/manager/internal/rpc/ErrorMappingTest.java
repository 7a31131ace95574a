package io.earthling.manager.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.internal.RetryHints;
import io.earthling.manager.internal.api.Refusal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ErrorMappingTest {
    @ParameterizedTest(name = "{0} is gRPC {1} and HTTP {2}")
    @CsvSource({
            "INVALID, INVALID_ARGUMENT, 400",
            "NOT_FOUND, NOT_FOUND, 404",
            "EXISTS, ALREADY_EXISTS, 409",
            "CONFLICT, FAILED_PRECONDITION, 409",
            "UNAVAILABLE, UNAVAILABLE, 503",
            "BUSY, RESOURCE_EXHAUSTED, 429",
    })
    void every_refusal_maps_to_one_grpc_code_and_one_http_status(Refusal.Reason reason, Status.Code code, int http) {
        Refusal r = switch (reason) {
            case INVALID -> Refusal.invalid("m");
            case NOT_FOUND -> Refusal.notFound("m");
            case EXISTS -> Refusal.exists("m");
            case CONFLICT -> Refusal.conflict("m");
            case UNAVAILABLE -> Refusal.unavailable("m");
            case BUSY -> Refusal.busy("m", 100);
        };

        StatusRuntimeException s = ErrorMapping.status(new CompletionException(r));

        assertThat(s.getStatus().getCode()).isEqualTo(code);
        assertThat(s.getStatus().getDescription()).isEqualTo("m");
        assertThat(ErrorMapping.httpStatus(s.getStatus().getCode())).isEqualTo(http);
    }

    @Test
    void a_refusal_with_a_retry_hint_carries_it_to_the_client() {
        StatusRuntimeException s = ErrorMapping.status(Refusal.unavailable("no worker yet", 500));

        assertThat(RetryHints.hintMs(s)).isEqualTo(500);
    }

    @Test
    void an_unexpected_exception_is_internal_and_does_not_show_its_text() {
        StatusRuntimeException s = ErrorMapping.status(new IllegalStateException("secret detail"));

        assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(s.getStatus().getDescription()).doesNotContain("secret detail");
    }
}
