//! Sending deliveries: every replica runs a dispatcher; each claims due
//! rows (a lease in the claiming statement, `SKIP LOCKED` on PostgreSQL),
//! so two never send the same attempt, and one that dies mid-delivery
//! leaves rows that fall due again when their lease ends.
//!
//! Retries follow the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h,
//! 5 h, 10 h, 14 h, 20 h, 24 h after the failures, with up to 10 % jitter)
//! and wait at least what `Retry-After` asks. Anything but a 2xx answer
//! within the timeout is a failure (redirects are not followed); a 410
//! disables the endpoint, and so do days of nothing but failures.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use super::{WebhookSettings, signing, target};
use crate::service::clock::Clock;
use crate::storage::webhooks::{self as store, AttemptRow, DeliveryRow, EndpointRow};

/// Waits after the first, second, … failure.
pub const RETRY_DELAYS: [Duration; 9] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(14 * 3600),
    Duration::from_secs(20 * 3600),
    Duration::from_secs(24 * 3600),
];

/// Most of a receiver's answer kept in the attempt log.
const RESPONSE_KEPT_BYTES: usize = 1024;
/// Deliveries claimed (and sent at once) per round.
const BATCH: u64 = 32;
/// Longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

#[derive(Clone)]
pub struct Dispatcher {
    db: DatabaseConnection,
    clock: Clock,
    client: reqwest::Client,
    settings: WebhookSettings,
}

/// How an attempt went.
#[derive(Debug)]
struct Outcome {
    status: Option<u16>,
    latency: Duration,
    error: Option<String>,
    response: Option<String>,
    retry_after: Option<Duration>,
}

impl Dispatcher {
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        settings: WebhookSettings,
    ) -> Result<Self, String> {
        // rustls needs a process-wide provider; ring is the one in the tree.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(target::PublicResolver {
                allow_loopback: settings.allow_loopback,
            }))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(concat!("osce-api-webhooks/", env!("CARGO_PKG_VERSION")))
            .no_proxy()
            .build()
            .map_err(|e| format!("the webhook client cannot start: {e}"))?;
        Ok(Self {
            db,
            clock,
            client,
            settings,
        })
    }

    /// How long a claim holds a delivery: past any attempt's timeout.
    fn lease(&self) -> Duration {
        self.settings.timeout * 2 + Duration::from_secs(30)
    }

    /// Claims what is due and sends it; returns how many were attempted.
    pub async fn run_once(&self) -> Result<usize, DbErr> {
        let now = self.clock.now();
        if !store::any_due(&self.db, now).await? {
            return Ok(0);
        }
        let lease_until = now + chrono::Duration::from_std(self.lease()).unwrap_or_default();
        let txn = self.db.begin().await?;
        let claimed = store::claim_due(&txn, now, lease_until, BATCH).await?;
        txn.commit().await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let endpoints: HashMap<i64, EndpointRow> = store::endpoints(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        let sends = claimed.iter().filter_map(|delivery| {
            let endpoint = endpoints.get(&delivery.endpoint_id)?;
            Some(async move { (delivery, endpoint, self.send(endpoint, delivery).await) })
        });
        let results = futures::future::join_all(sends).await;
        let n = results.len();
        for (delivery, endpoint, outcome) in results {
            // One failure to record must not leave the rest unrecorded
            // (they would be sent again when their lease ends).
            if let Err(error) = self.record(endpoint, delivery, outcome).await {
                tracing::warn!(%error, delivery = delivery.id, "recording a webhook attempt");
            }
        }
        Ok(n)
    }

    async fn send(&self, endpoint: &EndpointRow, delivery: &DeliveryRow) -> Outcome {
        let now = self.clock.now();
        let started = Instant::now();
        let failed = |error: String| Outcome {
            status: None,
            latency: started.elapsed(),
            error: Some(error),
            response: None,
            retry_after: None,
        };
        // The address rules hold at send time too (an IP in the URL skips
        // the resolver, so it is checked here).
        let url = match target::parse(&endpoint.url, self.settings.allow_loopback) {
            Ok(url) => url,
            Err(e) => return failed(format!("the URL is not allowed: {e}")),
        };
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            _ => None,
        };
        if let Some(ip) = literal
            && !target::allowed(ip, self.settings.allow_loopback)
        {
            return failed(format!("{ip} is not a public address"));
        }
        let mut secrets = vec![endpoint.secret.as_str()];
        if let (Some(previous), Some(until)) =
            (&endpoint.previous_secret, endpoint.previous_secret_until)
            && until > now
        {
            secrets.push(previous.as_str());
        }
        let timestamp = now.timestamp();
        let signature =
            signing::signature_header(&secrets, &delivery.message_id, timestamp, &delivery.payload);
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(e) if e.is_timeout() => return failed("timed out".into()),
            Err(e) => return failed(describe(&e)),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, now));
        let mut kept = Vec::new();
        while kept.len() < RESPONSE_KEPT_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
                _ => break,
            }
        }
        kept.truncate(RESPONSE_KEPT_BYTES);
        Outcome {
            status: Some(status.as_u16()),
            latency: started.elapsed(),
            error: None,
            response: Some(String::from_utf8_lossy(&kept).into_owned()),
            retry_after,
        }
    }

    async fn record(
        &self,
        endpoint: &EndpointRow,
        delivery: &DeliveryRow,
        outcome: Outcome,
    ) -> Result<(), DbErr> {
        let now = self.clock.now();
        let succeeded = outcome.status.is_some_and(|s| (200..300).contains(&s));
        let gone = outcome.status == Some(410);
        let attempts_made = delivery.attempts as usize + 1;
        let (status, next) = if succeeded {
            ("delivered", now)
        } else if gone {
            ("failed", now)
        } else if let Some(delay) = RETRY_DELAYS.get(attempts_made - 1) {
            let jitter = rand::rng().random_range(0.0..0.1);
            let mut wait = delay.mul_f64(1.0 + jitter);
            if let Some(asked) = outcome.retry_after {
                wait = wait.max(asked.min(MAX_RETRY_AFTER));
            }
            (
                "pending",
                now + chrono::Duration::from_std(wait).unwrap_or_default(),
            )
        } else {
            ("failed", now)
        };
        let attempt = AttemptRow {
            id: 0,
            delivery_id: delivery.id,
            attempted_at: now,
            status_code: outcome.status.map(i32::from),
            latency_ms: outcome.latency.as_millis().min(i64::MAX as u128) as i64,
            error: outcome.error,
            response: outcome.response,
        };
        let txn = self.db.begin().await?;
        // `next_attempt_at` as claimed is the lease this dispatcher holds.
        if !store::finish_attempt(&txn, &attempt, delivery.next_attempt_at, status, next).await? {
            tracing::info!(
                delivery = delivery.id,
                "a webhook delivery was replayed, taken over or removed while being sent"
            );
            return txn.commit().await;
        }
        // The endpoint as it is now (another delivery may have changed it).
        if let Some(mut current) = store::endpoint(&txn, endpoint.id).await? {
            let before = current.clone();
            if succeeded {
                current.failing_since = None;
            } else {
                let since = *current.failing_since.get_or_insert(now);
                let too_long = chrono::Duration::from_std(self.settings.disable_after)
                    .is_ok_and(|limit| now - since >= limit);
                if current.active && gone {
                    current.active = false;
                    current.disabled_reason = Some("the endpoint answered 410 Gone".into());
                } else if current.active && too_long {
                    current.active = false;
                    current.disabled_reason = Some(format!(
                        "every delivery failed for {} days",
                        self.settings.disable_after.as_secs() / 86_400
                    ));
                }
            }
            if current != before {
                current.updated_at = now;
                store::update_endpoint(&txn, &current).await?;
            }
        }
        txn.commit().await
    }

    /// Sends due deliveries until the process ends, looking every `interval`
    /// (at once again after a full batch); forgets old finished deliveries
    /// hourly.
    pub async fn run(self, interval: Duration) {
        let mut last_purge: Option<DateTime<Utc>> = None;
        loop {
            let busy = match self.run_once().await {
                Ok(n) => n as u64 >= BATCH,
                Err(error) => {
                    tracing::warn!(%error, "webhook dispatch");
                    false
                }
            };
            let now = self.clock.now();
            if last_purge.is_none_or(|at| now - at > chrono::Duration::hours(1)) {
                last_purge = Some(now);
                let before = chrono::Duration::from_std(self.settings.log_retention)
                    .ok()
                    .and_then(|kept| now.checked_sub_signed(kept))
                    .unwrap_or(DateTime::<Utc>::MIN_UTC);
                if let Err(error) = store::purge_finished(&self.db, before).await {
                    tracing::warn!(%error, "purging the webhook log");
                }
            }
            // A full batch means more may be due: go on at once.
            if !busy {
                tokio::time::sleep(interval).await;
            }
        }
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at: DateTime<Utc> = httpdate::parse_http_date(value.trim()).ok()?.into();
    (at - now).to_std().ok()
}

/// A transport error with its causes (reqwest's own message is terse).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Mon, 07 Dec 2026 09:10:00 GMT", now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
