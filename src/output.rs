//! Where reports go: `--output [FORMAT=]DEST`, repeatable. A DEST is a file, `-` for stdout, or (with the
//! `live` feature) an S3 location `s3://bucket/key` or `s3://bucket/prefix/`. Every output is attempted; the
//! ones that fail are returned, so that one bad destination does not cost the others.

use crate::report::Format;
use clap::ValueEnum;
use std::fmt;
use std::path::PathBuf;

/// One place a report is written to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
    /// `key` ending in `/` (or empty) is a prefix: the object is named `awsaudit-<account>-<UTC time>.<ext>`.
    S3 {
        bucket: String,
        key: String,
    },
}

impl Destination {
    pub fn parse(value: &str) -> Result<Self, String> {
        if value.is_empty() {
            return Err("empty output destination".to_string());
        }
        if value == "-" {
            return Ok(Destination::Stdout);
        }
        let Some(rest) = value.strip_prefix("s3://") else { return Ok(Destination::File(PathBuf::from(value))) };
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("{value:?}: no bucket name (expected s3://BUCKET/KEY or s3://BUCKET/PREFIX/)"));
        }
        Ok(Destination::S3 { bucket: bucket.to_string(), key: key.to_string() })
    }

    /// The object key for a report of `account` in `format`, made at `now`.
    pub fn object_key(key: &str, account: &str, format: Format, now: chrono::DateTime<chrono::Utc>) -> String {
        if key.is_empty() || key.ends_with('/') {
            format!("{key}awsaudit-{account}-{}.{}", now.format("%Y%m%dT%H%M%SZ"), extension(format))
        } else {
            key.to_string()
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Stdout => f.write_str("stdout"),
            Destination::File(path) => write!(f, "{}", path.display()),
            Destination::S3 { bucket, key } => write!(f, "s3://{bucket}/{key}"),
        }
    }
}

/// `--output` as given: `FORMAT=DEST`, or a bare DEST for the `--format` format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Option<Format>,
    pub dest: Destination,
}

impl OutputSpec {
    /// `json=out.json`, `html=s3://bucket/reports/`, `out.txt`. A prefix made only of letters before `=`
    /// must be a format name (so that a misspelt format is an error, not a file called `jsno=out.json`).
    pub fn parse(value: &str) -> Result<Self, String> {
        let named =
            value.split_once('=').filter(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()));
        if let Some((name, dest)) = named {
            let format = Format::from_str(name, true).map_err(|_| {
                let hint = crate::engine::closest(&name.to_ascii_lowercase(), FORMAT_NAMES.iter().copied());
                format!(
                    "{value:?}: unknown format {name:?}{}; expected FORMAT=DEST with FORMAT one of {}",
                    hint.map(|h| format!(" (did you mean {h:?}?)")).unwrap_or_default(),
                    FORMAT_NAMES.join(", ")
                )
            })?;
            let dest = Destination::parse(dest).map_err(|e| format!("{value:?}: {e}"))?;
            return Ok(OutputSpec { format: Some(format), dest });
        }
        Ok(OutputSpec { format: None, dest: Destination::parse(value)? })
    }
}

const FORMAT_NAMES: &[&str] = &["table", "json", "csv", "markdown", "sarif", "junit", "ocsf", "html"];

/// A resolved output: the format is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub dest: Destination,
}

/// The file extension of a format, for S3 object names.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Table => "txt",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Markdown => "md",
        Format::Sarif => "sarif",
        Format::Junit => "xml",
        Format::Ocsf => "ocsf.json",
        Format::Html => "html",
    }
}

pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Table => "text/plain; charset=utf-8",
        Format::Json | Format::Sarif | Format::Ocsf => "application/json",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Junit => "application/xml",
        Format::Html => "text/html; charset=utf-8",
    }
}

/// How to reach S3 for `s3://` outputs: the audit's own settings, or for `check --snapshot` the default
/// credential chain and region, with `AWS_ENDPOINT_URL` if set.
#[derive(Clone, Debug, Default)]
pub struct S3Access {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub max_attempts: u32,
}

impl S3Access {
    pub fn from_environment() -> Self {
        S3Access {
            profile: std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()),
            region: None,
            endpoint_url: std::env::var("AWS_ENDPOINT_URL").ok().filter(|p| !p.is_empty()),
            max_attempts: 3,
        }
    }
}

/// One report body to upload.
pub struct Upload<'a> {
    pub bucket: &'a str,
    pub key: String,
    pub body: &'a str,
    pub content_type: &'static str,
}

/// Uploads every object with `PutObject`; the result of each, in order.
#[cfg(feature = "live")]
pub fn upload(access: &S3Access, uploads: &[Upload<'_>]) -> Vec<anyhow::Result<()>> {
    use crate::collect::session::{Session, SessionOptions};
    use anyhow::Context as _;
    if uploads.is_empty() {
        return Vec::new();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let message = format!("cannot start the async runtime: {e}");
            return uploads.iter().map(|_| Err(anyhow::anyhow!("{message}"))).collect();
        }
    };
    runtime.block_on(async {
        let session = Session::new(&SessionOptions {
            profile: access.profile.clone(),
            home_region: access.region.clone(),
            endpoint_url: access.endpoint_url.clone(),
            concurrency: 1,
            max_attempts: access.max_attempts.max(1),
        })
        .await;
        let client = session.s3_client(&session.home_region);
        let mut results = Vec::new();
        for upload in uploads {
            let result = client
                .put_object()
                .bucket(upload.bucket)
                .key(&upload.key)
                .content_type(upload.content_type)
                .body(aws_sdk_s3::primitives::ByteStream::from(upload.body.as_bytes().to_vec()))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| anyhow::anyhow!(aws_smithy_types::error::display::DisplayErrorContext(e).to_string()))
                .with_context(|| format!("PutObject s3://{}/{}", upload.bucket, upload.key));
            results.push(result);
        }
        results
    })
}

#[cfg(not(feature = "live"))]
pub fn upload(_: &S3Access, uploads: &[Upload<'_>]) -> Vec<anyhow::Result<()>> {
    uploads
        .iter()
        .map(|_| {
            Err(anyhow::anyhow!(
                "this awsaudit was built without the AWS SDK (cargo feature `live`): it cannot write to S3"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let spec = |v: &str| OutputSpec::parse(v).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec("out.json"), OutputSpec { format: None, dest: Destination::File("out.json".into()) });
        assert_eq!(
            spec("json=out.json"),
            OutputSpec { format: Some(Format::Json), dest: Destination::File("out.json".into()) }
        );
        assert_eq!(spec("HTML=-"), OutputSpec { format: Some(Format::Html), dest: Destination::Stdout });
        assert_eq!(
            spec("json=s3://reports/daily/"),
            OutputSpec {
                format: Some(Format::Json),
                dest: Destination::S3 { bucket: "reports".into(), key: "daily/".into() }
            }
        );
        assert_eq!(spec("./a=b.txt").dest, Destination::File("./a=b.txt".into()));
        let err = OutputSpec::parse("jsno=out.json").err().unwrap_or_default();
        assert!(err.contains("unknown format \"jsno\"") && err.contains("did you mean \"json\"?"), "{err}");
        assert!(OutputSpec::parse("json=").is_err());
        assert!(OutputSpec::parse("s3:///key").is_err());
        for name in FORMAT_NAMES {
            assert!(Format::from_str(name, false).is_ok(), "{name}");
        }
        assert_eq!(FORMAT_NAMES.len(), Format::value_variants().len());
    }

    #[test]
    fn object_keys() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T14:05:09Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Destination::object_key("daily/", "123456789012", Format::Json, now),
            "daily/awsaudit-123456789012-20261123T140509Z.json"
        );
        assert_eq!(Destination::object_key("", "1", Format::Html, now), "awsaudit-1-20261123T140509Z.html");
        assert_eq!(Destination::object_key("x/report.json", "1", Format::Json, now), "x/report.json");
    }
}
