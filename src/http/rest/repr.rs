//! How REST resources are written: JSON objects with the interchange
//! format's field names (chosen with `fields=`), pages with a `next` link,
//! CSV rows and JSON Lines, and exports streamed batch by batch.

use std::borrow::Cow;
use std::future::Future;

use axum::{
    Json,
    body::{Body, Bytes},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use futures::StreamExt;
use sea_orm::DatabaseConnection;
use serde::{Serialize, Serializer, ser::SerializeMap};
use serde_json::{Map, Value};

use crate::http::{error::ApiError, params::QueryParams};
use crate::service::QueryError;

/// What a list endpoint answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Jsonl,
}

impl Format {
    /// The format an `Accept` header asks a list endpoint for: the first
    /// acceptable one of JSON, CSV and JSON Lines it names; JSON otherwise.
    pub fn from_accept(headers: &HeaderMap) -> Format {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Format::Json;
        };
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match media.as_str() {
                "text/csv" => return Format::Csv,
                "application/x-ndjson" | "application/jsonl" => return Format::Jsonl,
                "application/json" | "application/*" | "*/*" => return Format::Json,
                _ => {}
            }
        }
        Format::Json
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::Jsonl => "application/x-ndjson",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// A kind of item the REST API lists.
pub trait Resource: Serialize + Send + 'static {
    /// Its collection's name in URLs and export file names.
    const NAME: &'static str;
    /// Its fields in their canonical order: the interchange format's names
    /// and order (a test checks them against what `Serialize` writes).
    const FIELDS: &'static [&'static str];
    /// Appends its interchange-format line(s) to a JSON Lines export.
    fn write_jsonl(self, out: &mut Vec<u8>) -> serde_json::Result<()>;
    /// Its CSV cell for `field`, when it writes them itself (the types
    /// exported by the million); `None`: the cell comes from its JSON form.
    fn csv_cell(&self, _field: &str) -> Option<Cow<'_, str>> {
        None
    }
}

/// The fields a client chose (`fields=`), in the order chosen; all by default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields(Vec<&'static str>);

impl Fields {
    pub fn all(known: &'static [&'static str]) -> Self {
        Fields(known.to_vec())
    }

    pub fn parse(
        params: &mut QueryParams,
        known: &'static [&'static str],
    ) -> Result<Self, ApiError> {
        let asked = params.non_empty_list("fields")?;
        if asked.is_empty() {
            return Ok(Self::all(known));
        }
        let mut chosen: Vec<&'static str> = Vec::new();
        for name in asked {
            let Some(field) = known.iter().find(|k| **k == name) else {
                return Err(ApiError::bad_parameter(
                    "fields",
                    format!("unknown field {name:?}; known: {}", known.join(", ")),
                ));
            };
            if !chosen.contains(field) {
                chosen.push(field);
            }
        }
        Ok(Fields(chosen))
    }

    /// The chosen fields of `item`, in order.
    pub fn project(&self, item: &impl Serialize) -> Result<Projected, ApiError> {
        let mut object = object_of(item).map_err(|e| ApiError::internal(&e))?;
        Ok(Projected(
            self.0
                .iter()
                .map(|f| (*f, object.remove(*f).unwrap_or(Value::Null)))
                .collect(),
        ))
    }

    fn csv_header(&self) -> Result<Vec<u8>, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.0)?;
        writer.into_inner().map_err(|e| e.into_error().into())
    }
}

pub(super) fn object_of(item: &impl Serialize) -> serde_json::Result<Map<String, Value>> {
    match serde_json::to_value(item)? {
        Value::Object(object) => Ok(object),
        _ => Err(serde::ser::Error::custom(
            "a resource serialises to an object",
        )),
    }
}

/// One CSV cell: text as is, `null` empty, a list of plain values joined
/// with `;`, and nested records (translations, roles) as a JSON array.
pub(super) fn csv_cell(value: Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s,
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => items
            .into_iter()
            .map(csv_cell)
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}

/// An item cut down to the chosen fields, written in their order.
pub struct Projected(Vec<(&'static str, Value)>);

impl Serialize for Projected {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The URL of the next page: this request's path and parameters with `cursor` replaced.
pub fn next_link(path: &str, query: Option<&str>, cursor: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if k != "cursor" {
            out.append_pair(&k, &v);
        }
    }
    out.append_pair("cursor", cursor);
    format!("{path}?{}", out.finish())
}

#[derive(Serialize)]
struct PageBody {
    items: Vec<Projected>,
    next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count: Option<u64>,
}

/// A page of items as JSON, with its `next` link in the body and a `Link` header.
pub fn page(items: Vec<Projected>, next: Option<String>, total_count: Option<u64>) -> Response {
    let link = next
        .as_deref()
        .and_then(|n| HeaderValue::from_str(&format!("<{n}>; rel=\"next\"")).ok());
    let mut response = Json(PageBody {
        items,
        next,
        total_count,
    })
    .into_response();
    if let Some(link) = link {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// An item as JSON.
pub fn item(projected: Projected) -> Response {
    Json(projected).into_response()
}

/// Where an export's items come from, one batch at a time.
pub trait Batches: Send + 'static {
    type Item: Resource;
    /// The next batch; `None` at the end.
    fn next(
        &mut self,
        db: &DatabaseConnection,
    ) -> impl Future<Output = Result<Option<Vec<Self::Item>>, QueryError>> + Send;
}

/// A list small enough to read whole (taxonomy, structure): one batch.
pub struct Whole<T>(pub Option<Vec<T>>);

impl<T: Resource> Batches for Whole<T> {
    type Item = T;
    async fn next(&mut self, _db: &DatabaseConnection) -> Result<Option<Vec<T>>, QueryError> {
        Ok(self.0.take())
    }
}

/// An export's body, one rendered chunk at a time.
pub trait Chunks: Send + 'static {
    /// The file name's stem (`Content-Disposition`).
    const NAME: &'static str;
    /// The next chunk; `None` at the end.
    fn next(&mut self) -> impl Future<Output = Result<Option<Bytes>, QueryError>> + Send;
}

/// Batches rendered as they are read, one at a time.
pub struct Rendered<B> {
    db: DatabaseConnection,
    batches: B,
    format: Format,
    fields: Fields,
}

impl<B: Batches> Rendered<B> {
    pub fn new(db: DatabaseConnection, batches: B, format: Format, fields: &Fields) -> Self {
        Self {
            db,
            batches,
            format,
            fields: fields.clone(),
        }
    }
}

impl<B: Batches> Chunks for Rendered<B> {
    const NAME: &'static str = B::Item::NAME;
    async fn next(&mut self) -> Result<Option<Bytes>, QueryError> {
        match self.batches.next(&self.db).await? {
            Some(batch) => render(batch, self.format, &self.fields)
                .map(Some)
                .map_err(|e| QueryError::Database(sea_orm::DbErr::Custom(e))),
            None => Ok(None),
        }
    }
}

/// A whole export as CSV or JSON Lines, streamed: the next chunk is produced
/// only when the client has taken the last (the body is pulled as the
/// connection drains), so memory is a few chunks whatever the size. The
/// first chunk is produced before answering, so that a bad filter is a 400,
/// not a broken download; a later database error ends the download early
/// (and is logged), which a client sees as a truncated transfer.
pub async fn export<C: Chunks>(
    mut chunks: C,
    format: Format,
    fields: &Fields,
    total: Option<u64>,
) -> Result<Response, ApiError> {
    let first = chunks.next().await?;
    let header = match format {
        Format::Csv => Some(Bytes::from(
            fields.csv_header().map_err(|e| ApiError::internal(&e))?,
        )),
        _ => None,
    };
    let done = first.is_none();
    let rest = futures::stream::try_unfold((chunks, done), |(mut chunks, done)| async move {
        if done {
            return Ok(None);
        }
        match chunks.next().await {
            Ok(Some(chunk)) => Ok(Some((chunk, (chunks, false)))),
            Ok(None) => Ok(None),
            Err(error) => Err(aborted(&error)),
        }
    });
    let body = Body::from_stream(
        futures::stream::iter(header.into_iter().chain(first).map(Ok)).chain(rest),
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let disposition = format!(
        "attachment; filename=\"{}.{}\"",
        C::NAME,
        format.extension()
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Some(total) = total {
        headers.insert("x-total-count", HeaderValue::from(total));
    }
    Ok(response)
}

/// Writes items one at a time into one chunk of an export (CSV rows
/// without the header, or JSON Lines).
pub enum ChunkWriter {
    Csv {
        fields: Fields,
        writer: Box<csv::Writer<Vec<u8>>>,
    },
    Jsonl(Vec<u8>),
}

impl ChunkWriter {
    /// `capacity`: the bytes expected, reserved up front so that the chunk
    /// is not copied as it grows (pages never written cost no memory).
    pub fn new(format: Format, fields: &Fields, capacity: usize) -> Self {
        let out = Vec::with_capacity(capacity);
        match format {
            Format::Csv => ChunkWriter::Csv {
                fields: fields.clone(),
                writer: Box::new(
                    csv::WriterBuilder::new()
                        .has_headers(false)
                        .from_writer(out),
                ),
            },
            Format::Jsonl | Format::Json => ChunkWriter::Jsonl(out),
        }
    }

    pub fn push<T: Resource>(&mut self, item: T) -> Result<(), String> {
        match self {
            ChunkWriter::Csv { fields, writer } => csv_row(fields, writer, &item),
            ChunkWriter::Jsonl(out) => item.write_jsonl(out).map_err(|e| e.to_string()),
        }
    }

    pub fn finish(self) -> Result<Bytes, String> {
        match self {
            ChunkWriter::Csv { writer, .. } => writer
                .into_inner()
                .map(Bytes::from)
                .map_err(|e| e.into_error().to_string()),
            ChunkWriter::Jsonl(out) => Ok(Bytes::from(out)),
        }
    }
}

fn csv_row<T: Resource>(
    fields: &Fields,
    writer: &mut csv::Writer<Vec<u8>>,
    item: &T,
) -> Result<(), String> {
    let written = if let Some(first) = fields.0.first()
        && item.csv_cell(first).is_some()
    {
        fields.0.iter().try_for_each(|field| {
            writer.write_field(item.csv_cell(field).unwrap_or_default().as_bytes())
        })
    } else {
        let mut object = object_of(item).map_err(|e| e.to_string())?;
        fields.0.iter().try_for_each(|field| {
            writer.write_field(csv_cell(object.remove(*field).unwrap_or(Value::Null)))
        })
    };
    written
        .and_then(|()| writer.write_record(None::<&[u8]>))
        .map_err(|e| e.to_string())
}

/// A batch as the bytes of `format` (CSV rows without the header).
pub fn render<T: Resource>(
    batch: Vec<T>,
    format: Format,
    fields: &Fields,
) -> Result<Bytes, String> {
    let mut writer = ChunkWriter::new(format, fields, batch.len() * 512);
    for item in batch {
        writer.push(item)?;
    }
    writer.finish()
}

fn aborted(cause: &dyn std::fmt::Debug) -> std::io::Error {
    tracing::error!(error = ?cause, "export aborted");
    std::io::Error::other("export aborted")
}
