//! Running one request (limits, the cost budget, the response cache) and the reply in the shape the client asked for.

use super::super::AppState;
use super::super::persisted;
use super::super::ratelimit::{Client, RATE_LIMITED, Verdict};
use super::answer::{Answer, error_code};
use super::*;
use crate::graphql::cost::{CatalogCounts, ListSizes};
use crate::graphql::error::{SEARCH_BUSY, SERVICE_UNAVAILABLE};
use crate::graphql::locale::RequestLocales;
use crate::graphql::{RequestedCost, limits, new_loader};
use crate::service::{BUSY_RETRY_AFTER_SECS, RETRY_AFTER_SECS};
use async_graphql::Value;
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use axum::{
    body::Bytes,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::sync::Arc;
use std::time::Duration;

/// How the answers go back: one over GET (cacheable), one over POST, or
/// a batch (a JSON array).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Get,
    Post,
    Batch,
}

/// Charges a query's requested cost to the client's budget; the refusal if
/// it does not fit. The budget bounds what a client may ask of the
/// service, whatever the result (or whether it was cached).
pub(super) fn charge(
    state: &AppState,
    client: Option<Client>,
    requested: u64,
    cost: &mut Option<Verdict>,
) -> Result<(), Answer> {
    let (Some(limiter), Some(client)) = (state.rate_limiter.as_deref(), client) else {
        return Ok(());
    };
    let Some(verdict) = limiter.take_cost(client, requested) else {
        return Ok(());
    };
    // A refusal's verdict is the one reported, even if a later operation
    // of the batch fitted.
    if cost.is_none_or(|earlier| earlier.allowed) {
        *cost = Some(verdict);
    }
    if verdict.allowed {
        return Ok(());
    }
    Err(Answer::refused(
        RATE_LIMITED,
        format!(
            "the query's cost ({requested}) is more than this client may still spend this minute \
             ({} of {}); retry in {} s",
            verdict.remaining, verdict.limit, verdict.retry_after
        ),
    ))
}

/// Matches a search had the database rank per unit of cost: a search of
/// 20,000 matches costs 200 beyond its page, one of 120,000 costs 1,200.
pub const MATCHES_PER_COST: u64 = 100;

/// Charges, after the run, the work of the operation's searches (their
/// matches), which no one knows before: a client whose searches are broad
/// spends its budget faster. Never refuses: the answer is already made.
fn charge_search_work(
    state: &AppState,
    client: Option<Client>,
    search_cost: u64,
    cost: &mut Option<Verdict>,
) {
    let (Some(limiter), Some(client)) = (state.rate_limiter.as_deref(), client) else {
        return;
    };
    if search_cost == 0 {
        return;
    }
    if let Some(verdict) = limiter.charge_cost(client, search_cost)
        && cost.is_none_or(|earlier| earlier.allowed)
    {
        *cost = Some(verdict);
    }
}

/// One operation: its persisted query resolved, then from the response
/// cache, or run (and cached when complete).
pub(super) async fn answer(
    state: &AppState,
    request: async_graphql::Request,
    over_get: bool,
    client: Option<Client>,
    cost: &mut Option<Verdict>,
    accept_language: Option<&str>,
) -> Answer {
    let locales = Arc::new(RequestLocales::new(
        Arc::clone(&state.locales),
        accept_language,
    ));
    let mut request = request.data(Arc::clone(&locales));
    let to_register = match state.persisted_queries.resolve(&mut request) {
        Ok(hash) => hash,
        Err(error) => return Answer::refused(error.code, error.message),
    };
    if request.query.is_empty() {
        return Answer::refused(
            "BAD_REQUEST",
            "the request has no `query` (nor a known persisted query)".into(),
        );
    }
    // The generation as last read (at most once per check interval): the
    // cache's key, and the snapshot's, sparing the run a database read.
    // Unreadable: run uncached, and let the run report why.
    let version = state.content_clock.version(&state.db).await.ok();
    let cache = &state.graphql_cache;
    let key = cache
        .enabled()
        .then(|| cache_key(&request, locales.negotiated().as_str()))
        .flatten();
    if let (Some(key), Some(version)) = (&key, &version)
        && let Some(hit) = cache.get(&version.generation, key)
    {
        if let Err(refused) = charge(state, client, hit.cost, cost) {
            return refused;
        }
        // It passed the limits and ran when it was cached.
        if let Some(hash) = to_register {
            state.persisted_queries.register(hash, &request.query);
        }
        state
            .metrics
            .operation(hit.operation.as_deref(), Duration::ZERO);
        return Answer {
            body: hit.body.clone(),
            ran: true,
            codes: Vec::new(),
            hint: Some(hit.hint),
            etag: Some(hit.etag.clone()),
            varies_by_language: hit.varies_by_language,
        };
    }
    let generation = version.as_ref().map(|v| v.generation.clone());
    let ran = execute_one(
        state,
        request,
        over_get,
        client,
        cost,
        to_register,
        generation,
    )
    .await;
    let (mut answer, run) = match ran {
        Ok(ran) => ran,
        Err(refused) => return refused,
    };
    answer.varies_by_language = locales.default_used();
    // Kept only if the schema's hints allow sharing it, and only while its
    // generation is still the current one.
    if let (Some(key), Some(version), Some(hint)) = (key, version, answer.hint)
        && hint.public
        && hint.max_age >= 0
        && state.content_clock.is_current(&version.generation)
        && !run.stale
    {
        // The run read at this generation (its snapshot was given it).
        let etag = etag_of(&answer.body);
        cache.insert(
            &version.generation,
            key,
            Arc::new(CachedAnswer {
                body: answer.body.clone(),
                etag,
                hint,
                cost: run.cost,
                operation: run.operation,
                varies_by_language: answer.varies_by_language,
            }),
        );
    }
    answer
}

/// What a run tells the cache about itself.
pub(super) struct Run {
    pub(super) cost: u64,
    pub(super) operation: Option<String>,
    /// It answered from an index older than its generation (a rebuild was
    /// running): right for now, not for the cache.
    pub(super) stale: bool,
}

/// The HTTP response for the answers: status per GraphQL over HTTP, the
/// cost budget's headers, and HTTP caching for a GET.
pub(super) fn respond(
    state: &AppState,
    headers: &HeaderMap,
    answers: Vec<Answer>,
    shape: Shape,
    cost: Option<Verdict>,
) -> Response {
    // The database out of reach is the server's problem, not the
    // request's: 503 with `Retry-After`, whatever else the response holds,
    // so that clients and load balancers back off.
    let unavailable = answers.iter().any(|a| a.has_code(SERVICE_UNAVAILABLE));
    let busy = answers.iter().any(|a| a.has_code(SEARCH_BUSY));
    let rate_limited = answers.iter().any(|a| a.has_code(RATE_LIMITED));
    for code in answers.iter().flat_map(|a| &a.codes) {
        state.metrics.error(code.as_deref().unwrap_or("NONE"));
    }
    let status = if unavailable || busy {
        StatusCode::SERVICE_UNAVAILABLE
    } else if rate_limited {
        StatusCode::TOO_MANY_REQUESTS
    } else if answers.iter().any(|a| a.ran) {
        StatusCode::OK
    } else if answers
        .iter()
        .all(|a| a.has_code(persisted::NOT_FOUND_CODE))
    {
        // Apollo clients send the query on a 200 `PersistedQueryNotFound`,
        // but give persisted queries up for good on a 400.
        StatusCode::OK
    } else if answers.iter().any(|a| a.has_code("METHOD_NOT_ALLOWED")) {
        StatusCode::METHOD_NOT_ALLOWED
    } else {
        StatusCode::BAD_REQUEST
    };
    let cacheable = match (shape, answers.as_slice()) {
        (Shape::Get, [only]) if status == StatusCode::OK => {
            only.hint.map(|hint| (hint, only.etag.clone()))
        }
        _ => None,
    };
    let body = match shape {
        Shape::Get | Shape::Post => answers
            .into_iter()
            .next()
            .map(|a| a.body)
            .unwrap_or_default(),
        Shape::Batch => {
            let mut joined =
                Vec::with_capacity(answers.iter().map(|a| a.body.len() + 1).sum::<usize>() + 2);
            joined.push(b'[');
            for (i, answer) in answers.iter().enumerate() {
                if i > 0 {
                    joined.push(b',');
                }
                joined.extend_from_slice(&answer.body);
            }
            joined.push(b']');
            Bytes::from(joined)
        }
    };
    let mut response = match cacheable {
        Some((hint, etag)) => {
            let etag = etag.unwrap_or_else(|| etag_of(&body));
            // One validator per representation: the bytes are the same, the
            // media type (which follows `Accept`) is not.
            let etag = if accepts(headers, GRAPHQL_RESPONSE) {
                format!("{}-g\"", etag.trim_end_matches('"'))
            } else {
                etag
            };
            let mut response = if super::super::feeds::if_none_match(headers, &etag) {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                json_response(headers, status, body)
            };
            let out = response.headers_mut();
            if let Ok(etag) = HeaderValue::from_str(&etag) {
                out.insert(header::ETAG, etag);
            }
            if let Ok(value) = HeaderValue::from_str(&cache_control(&hint, state.graphql_max_age)) {
                out.insert(header::CACHE_CONTROL, value);
            }
            response
        }
        None => {
            let mut response = json_response(headers, status, body);
            if shape == Shape::Get {
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            response
        }
    };
    // The cost budget is what binds a GraphQL client: its headers win over
    // the request budget's (which the middleware adds only when absent).
    if let Some(cost) = cost {
        cost.write_headers(response.headers_mut());
    }
    if unavailable || busy {
        let wait = if unavailable {
            RETRY_AFTER_SECS
        } else {
            BUSY_RETRY_AFTER_SECS
        };
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    }
    response
}

/// The name of the operation that will run, for metrics: the one asked
/// for if the document has it, or the document's only operation's; `None`
/// for an anonymous one.
pub(super) fn operation_name(
    document: &ExecutableDocument,
    wanted: Option<&str>,
) -> Option<String> {
    let mut operations = document.operations.iter();
    match wanted {
        Some(wanted) => operations
            .find_map(|(name, _)| name.filter(|n| n.as_str() == wanted))
            .map(|n| n.to_string()),
        None => match (operations.next(), operations.next()) {
            (Some((name, _)), None) => name.map(|n| n.to_string()),
            _ => None,
        },
    }
}

/// How long unpaged lists can be, from the request's catalog (which most
/// queries read anyway), or generous bounds if it cannot be read now (the
/// run will then report why).
async fn list_sizes(snapshot: &crate::service::snapshot::Snapshot) -> ListSizes {
    let Ok(catalog) = snapshot.catalog().await else {
        return ListSizes::default();
    };
    ListSizes::of_counts(CatalogCounts {
        countries: catalog.countries.len() as u64,
        fields_of_work: catalog.fields_of_work.len() as u64,
        org_units: catalog.org_units.len() as u64,
        roles_per_holder: catalog.most_roles_per_holder as u64,
    })
}

/// Runs one operation. The answer, with `ran` false when it could not run
/// at all (a request error), and what the cache needs to keep it; `Err`
/// for a refusal before running.
pub(super) async fn execute_one(
    state: &AppState,
    mut request: async_graphql::Request,
    over_get: bool,
    client: Option<Client>,
    cost: &mut Option<Verdict>,
    to_register: Option<persisted::Hash>,
    generation: Option<String>,
) -> Result<(Answer, Run), Answer> {
    let snapshot = state.snapshot_at(generation);
    let sizes = list_sizes(&snapshot).await;
    let (document, stats) =
        match limits::check(&request.query, &request.variables, &state.limits, &sizes) {
            Ok(checked) => checked,
            Err(error) => {
                let mut refusal = coded_error(error.code, error.message);
                refusal.locations = error.locations;
                return Err(Answer::from_response(
                    async_graphql::Response::from_errors(vec![refusal]),
                    false,
                ));
            }
        };
    if over_get
        && document.operations.iter().any(|(name, operation)| {
            operation.node.ty != OperationType::Query
                && request
                    .operation_name
                    .as_deref()
                    .is_none_or(|wanted| name.map(|n| n.as_str()) == Some(wanted))
        })
    {
        return Err(Answer::refused(
            "METHOD_NOT_ALLOWED",
            "only queries may be sent with GET; use POST".into(),
        ));
    }
    charge(state, client, stats.cost, cost)?;
    // Registered once it has passed the limits and validation (below).
    let to_register = to_register.map(|hash| (hash, request.query.clone()));
    let operation = operation_name(&document, request.operation_name.as_deref());
    // Only queries are cached: anything else is run every time.
    let only_queries = document
        .operations
        .iter()
        .all(|(_, operation)| operation.node.ty == OperationType::Query);
    request.set_parsed_query(document);
    // A mutation's answer reads what it wrote: its snapshot reads the
    // content version when it is first needed, after the write.
    let snapshot = if only_queries {
        snapshot
    } else {
        state.snapshot()
    };
    let stale = snapshot.stale_flag();
    let search_work = snapshot.search_work();
    let request = request.data(new_loader(snapshot, state.loader_delay));
    let requested = RequestedCost {
        requested: stats.cost,
        limit: state.limits.max_cost,
    };
    let started = std::time::Instant::now();
    let mut response = state.schema.execute(request).await;
    state
        .metrics
        .operation(operation.as_deref(), started.elapsed());
    // A request error (validation) has no data and no error with a path; a
    // field error that nulled the whole result still ran.
    let ran = !(response.is_err()
        && response.data == Value::Null
        && response.errors.iter().all(|e| e.path.is_empty()));
    if !ran {
        for error in &mut response.errors {
            if error_code(error).is_none() {
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("code", "GRAPHQL_VALIDATION_FAILED");
            }
        }
    }
    let search_cost = search_work
        .load(std::sync::atomic::Ordering::Relaxed)
        .div_ceil(MATCHES_PER_COST);
    charge_search_work(state, client, search_cost, cost);
    if ran {
        response = requested.report(response, search_cost);
        if let Some((hash, query)) = to_register {
            state.persisted_queries.register(hash, &query);
        }
    }
    let mut answer = Answer::from_response_within(response, ran, state.limits.max_response_bytes);
    if !only_queries {
        answer.hint = None;
    }
    Ok((
        answer,
        Run {
            cost: stats.cost,
            operation,
            stale: stale.load(std::sync::atomic::Ordering::Relaxed),
        },
    ))
}
