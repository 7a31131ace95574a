package io.earthling.manager.internal.rpc;

import io.earthling.manager.internal.access.ApiTokens;
import io.earthling.protocol.tokens.CreateTokenRequest;
import io.earthling.protocol.tokens.CreateTokenResponse;
import io.earthling.protocol.tokens.ListTokensRequest;
import io.earthling.protocol.tokens.ListTokensResponse;
import io.earthling.protocol.tokens.RevokeTokenRequest;
import io.earthling.protocol.tokens.TokenInfo;
import io.earthling.protocol.tokens.TokensGrpc;
import io.earthling.store.StoredToken;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The {@code Tokens} gRPC service over {@link ApiTokens}; every method needs the role admin (ClientRoles). */
public final class TokensService extends TokensGrpc.TokensImplBase {
    private final ApiTokens tokens;

    public TokensService(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void create(CreateTokenRequest r, StreamObserver<CreateTokenResponse> out) {
        JobsService.reply(() -> {
            ApiTokens.Issued issued = tokens.create(r.getName(), r.getRolesList(),
                    Duration.ofMillis(r.getExpiresInMs()));
            return CompletableFuture.completedFuture(CreateTokenResponse.newBuilder().setToken(issued.token())
                    .setInfo(info(issued.stored())).build());
        }, out);
    }

    @Override
    public void list(ListTokensRequest r, StreamObserver<ListTokensResponse> out) {
        JobsService.reply(() -> CompletableFuture.completedFuture(ListTokensResponse.newBuilder()
                .addAllTokens(tokens.list().stream().map(TokensService::info).toList()).build()), out);
    }

    @Override
    public void revoke(RevokeTokenRequest r, StreamObserver<TokenInfo> out) {
        JobsService.reply(() -> CompletableFuture.completedFuture(info(tokens.revoke(r.getName()))), out);
    }

    static TokenInfo info(StoredToken t) {
        return TokenInfo.newBuilder().setName(t.name()).addAllRoles(t.roles()).setCreatedMs(t.createdMs())
                .setExpiresMs(t.expiresMs()).setRevokedMs(t.revokedMs()).build();
    }
}
