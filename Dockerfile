# syntax=docker/dockerfile:1
# The service as a container: built with the pinned toolchain on the same
# Debian release as the runtime image (so the binary's glibc matches), run
# as an unprivileged user. Configuration comes from OSCE_* variables (see
# the README's configuration table and docs/deployment.md).
#
#   docker build -t osce-api .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://osce:…@db/osce osce-api

FROM rust:1.95.0-bookworm AS builder
WORKDIR /build
# Only what the build reads: rust-toolchain.toml is left out on purpose,
# the image's toolchain is the pinned one.
COPY Cargo.toml Cargo.lock ./
COPY migrations ./migrations
COPY src ./src
COPY data ./data
# Cache mounts keep the registry and the build products between builds;
# the binary is copied out of the cache to be kept in the layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked --bin osce-api \
    && cp target/release/osce-api /usr/local/bin/osce-api

FROM debian:bookworm-slim
# ca-certificates: TLS to a managed PostgreSQL; curl: the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin osce \
    && mkdir -p /app/data \
    && chown -R osce:osce /app
COPY --from=builder /usr/local/bin/osce-api /usr/local/bin/osce-api
WORKDIR /app
USER osce:osce
ENV OSCE_LISTEN=0.0.0.0:8080 \
    OSCE_LOG_FORMAT=json
EXPOSE 8080
# SIGTERM: stop accepting, finish requests in flight within
# shutdown_grace_secs (default 20), close the pool, exit.
STOPSIGNAL SIGTERM
# Ready = the database answers. The start period covers migrations and the
# first build of the release index on a large corpus.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/osce-api"]
CMD ["serve"]
