//! `osce-api serve`: the HTTP service until SIGTERM or Ctrl-C, then a
//! graceful stop.

use std::{future::IntoFuture, net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;

use crate::config::Settings;
use crate::http::app;
use crate::storage;

pub async fn serve(settings: &Settings) -> anyhow::Result<()> {
    // Settings that cannot work fail before the database is touched.
    settings
        .feeds()
        .map_err(|e| anyhow::anyhow!("public_url: {e}"))?;
    settings.rate_limits().map_err(anyhow::Error::msg)?;
    settings.locales().map_err(anyhow::Error::msg)?;
    let db = storage::connect(&settings.db()).await?;
    crate::boot::prepare(&db).await?;
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    tracing::info!(
        address = %listener.local_addr()?,
        database = %storage::redact_url(&settings.database_url),
        "serving"
    );
    let state = settings.app_state(db.clone()).map_err(anyhow::Error::msg)?;
    // The first release index builds on its own task while the server
    // listens; `/readyz` says 503 until it is there, so that a load balancer
    // waits for it (a request that comes earlier waits for it too). Then the
    // same task follows the change log.
    tokio::spawn(crate::service::index::follow_changes(
        db.clone(),
        state.release_index.clone(),
        state.catalog.clone(),
        Duration::from_millis(settings.content_check_interval_ms),
        state.scheduler.clone(),
    ));
    // Webhook deliveries: every replica may send; claims keep them apart.
    if settings.webhook_dispatch {
        let dispatcher = crate::service::webhooks::dispatch::Dispatcher::new(
            db.clone(),
            state.clock.clone(),
            state.webhooks.clone(),
        )
        .map_err(anyhow::Error::msg)?;
        tokio::spawn(dispatcher.run(Duration::from_millis(settings.webhook_poll_ms.max(10))));
    }
    tokio::spawn(crate::service::changes::purge_tombstones_hourly(
        db.clone(),
        state.clock.clone(),
        settings.tombstone_retention(),
    ));
    let grace = Duration::from_secs(settings.shutdown_grace_secs);
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = Arc::clone(&stopping);
    // The peer's address, for rate limits per client.
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            tracing::info!(
                grace_secs = grace.as_secs(),
                "stopping: no new connections, finishing the requests in flight"
            );
            // A permit is stored if nobody waits yet.
            signalled.notify_one();
        })
        .into_future();
    // In-flight requests get `grace` from the signal; past it they are
    // abandoned (dropped with the runtime when `run` returns).
    tokio::select! {
        served = server => served?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        } => tracing::warn!("requests still in flight after the grace period: abandoned"),
    }
    // Closing waits for connections in use; do not let one hang the exit.
    match tokio::time::timeout(POOL_CLOSE_TIMEOUT, db.close()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, "closing the database pool"),
        Err(_) => tracing::warn!("the database pool did not close in time"),
    }
    tracing::info!("stopped");
    Ok(())
}

/// How long closing the database pool may take at exit.
const POOL_CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves on Ctrl-C or SIGTERM: stop accepting, let in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
