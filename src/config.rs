//! The config file (`awsaudit.toml`): regions, services, check selection, check parameters, output settings
//! and suppressions. Command-line flags override it. Errors name the file, the line and column, and the key.

use crate::check::DynCheck;
use crate::checks::REGISTRY;
use crate::cli::FailOn;
use crate::engine::{self, Params, Selection};
use crate::finding::Severity;
use crate::report::Format;
use crate::suppress::Suppression;
use clap::ValueEnum;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const DEFAULT_CONFIG_FILE: &str = "awsaudit.toml";

/// The top-level keys, for suggestions; kept in step with [`Config`] by a test.
const TOP_LEVEL_KEYS: &[&str] = &["regions", "services", "checks", "params", "output", "suppress"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Regions to audit: `["all"]` or names. Empty: not set.
    #[serde(default)]
    pub regions: Vec<RegionName>,
    /// Services to collect. Empty: the ones the selected checks read.
    #[serde(default)]
    pub services: Vec<ServiceName>,
    #[serde(default)]
    pub checks: ChecksSection,
    /// Parameters by check id: `[params.ec2_sg_ssh_restricted]` `allowed_cidrs = ["10.0.1.0/24"]`.
    #[serde(default)]
    pub params: BTreeMap<String, Spanned<toml::Table>>,
    #[serde(default)]
    pub output: OutputSection,
    #[serde(default, rename = "suppress")]
    raw_suppress: Vec<Spanned<Suppression>>,
    /// The `[[suppress]]` entries, in file order, each with its origin (`awsaudit.toml:12`).
    #[serde(skip)]
    pub suppressions: Vec<Suppression>,
    /// The file it was read from (empty for the built-in defaults).
    #[serde(skip)]
    pub path: String,
}

/// `[checks]`: which checks run.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksSection {
    /// Check ids or globs (`s3_*`); empty: every check.
    #[serde(default)]
    pub include: Vec<CheckSelector>,
    #[serde(default)]
    pub exclude: Vec<CheckSelector>,
    #[serde(default)]
    pub min_severity: Option<Severity>,
    /// Frameworks (`cis-5.0`, `fsbp`) or controls (`fsbp:S3.8`).
    #[serde(default)]
    pub compliance: Vec<ComplianceSelector>,
}

/// `[output]`: the report.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    #[serde(default)]
    pub format: Option<FormatSetting>,
    /// Write the report to this file instead of stdout (relative to the working directory).
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// More outputs, each `FORMAT=DEST` (or a bare DEST for `format`), as `--output` spells them.
    #[serde(default)]
    pub outputs: Vec<OutputSetting>,
    #[serde(default)]
    pub fail_on: Option<FailOnSetting>,
    /// As `--fail-on-unknown`.
    #[serde(default)]
    pub fail_on_unknown: Option<bool>,
    #[serde(default)]
    pub show_passed: Option<bool>,
}

/// `outputs = ["json=out.json"]`: one output, as `--output` spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSetting(pub crate::output::OutputSpec);

impl<'de> Deserialize<'de> for OutputSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        crate::output::OutputSpec::parse(&value).map(OutputSetting).map_err(|e| {
            // The value quoted first, so that the error is located at this item of the array.
            let e = if e.starts_with(&format!("{value:?}")) { e } else { format!("{value:?}: {e}") };
            serde::de::Error::custom(e)
        })
    }
}

/// Declares a string newtype whose deserialization validates the value, so that a bad value is reported
/// at its own position in the file.
macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(pub String);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = String::deserialize(d)?;
                let check: fn(&str) -> Result<(), String> = $check;
                check(&value).map_err(serde::de::Error::custom)?;
                Ok($name(value))
            }
        }
    };
}

validated_string!(
    /// `all`, or a region name such as `eu-west-1`.
    RegionName,
    |v| {
        if v == "all" || looks_like_region(v) {
            Ok(())
        } else {
            Err(format!("{v:?} is not a region name (expected e.g. \"eu-west-1\", or \"all\")"))
        }
    }
);

validated_string!(
    /// A service awsaudit collects.
    ServiceName,
    |v| {
        if crate::model::SERVICES.contains(&v) {
            return Ok(());
        }
        let hint = engine::closest(v, crate::model::SERVICES.iter().copied());
        Err(format!(
            "unknown service {v:?}{}; known services: {}",
            hint.map(|h| format!(" (did you mean {h:?}?)")).unwrap_or_default(),
            crate::model::SERVICES.join(", ")
        ))
    }
);

validated_string!(
    /// A check id or a glob over check ids.
    CheckSelector,
    |v| engine::validate_check_selector(v).map_err(|e| e.to_string())
);

validated_string!(
    /// A compliance framework or control.
    ComplianceSelector,
    |v| engine::validate_compliance_selector(v).map_err(|e| e.to_string())
);

/// `format = "json"`: a report format, as `--format` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatSetting(pub Format);

impl<'de> Deserialize<'de> for FormatSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        Format::from_str(&value, true).map(FormatSetting).map_err(|_| {
            serde::de::Error::custom(format!("unknown format {value:?}; expected one of {}", format_names().join(", ")))
        })
    }
}

fn format_names() -> Vec<String> {
    Format::value_variants().iter().filter_map(|f| f.to_possible_value()).map(|v| v.get_name().to_string()).collect()
}

/// `fail_on = "high"`, as `--fail-on` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailOnSetting(pub FailOn);

impl<'de> Deserialize<'de> for FailOnSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = String::deserialize(d)?;
        crate::cli::parse_fail_on(&value).map(FailOnSetting).map_err(serde::de::Error::custom)
    }
}

/// Same rule as `--regions`: `eu-west-1`, `us-gov-west-1`, `ap-southeast-3`.
fn looks_like_region(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let Some((last, rest)) = parts.split_last() else { return false };
    parts.len() >= 3
        && rest[0].len() == 2
        && rest.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && !last.is_empty()
        && last.chars().all(|c| c.is_ascii_digit())
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// `location` is `FILE:LINE:COLUMN` (or just `FILE`).
    #[error("config file {location}: {detail}")]
    Invalid { location: String, detail: String },
    #[error("--param {arg:?}: {detail}")]
    BadParam { arg: String, detail: String },
    #[error("{path} already exists; use --force to overwrite it")]
    Exists { path: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

impl Config {
    /// Loads `path`, or `./awsaudit.toml` when no path is given and it exists.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => DEFAULT_CONFIG_FILE.into(),
            None => return Ok(Config::default()),
        };
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path: shown.clone(), source })?;
        Config::parse(&text, &shown)
    }

    /// Parses and validates a config file's text; `path` is how errors and warnings name the file.
    pub fn parse(text: &str, path: &str) -> Result<Self, ConfigError> {
        if let Err(e) = toml::de::DeTable::parse(text) {
            let (location, _) = locate(text, path, e.span());
            let message = e.message().trim().replace('\n', "; ");
            return Err(ConfigError::Invalid { location, detail: format!("TOML syntax error: {message}") });
        }
        let mut config: Config = toml::from_str(text).map_err(|e| data_error(text, path, &e))?;
        config.path = path.to_string();
        if config.regions.len() > 1 && config.regions.iter().any(|r| r.0 == "all") {
            let (location, _) = locate(text, path, key_span(text, &["regions"]));
            let detail = "`regions`: \"all\" cannot be combined with region names".to_string();
            return Err(ConfigError::Invalid { location, detail });
        }
        for (check, table) in &config.params {
            let value = serde_json::to_value(table.get_ref())
                .map_err(|e| ConfigError::Invalid { location: path.to_string(), detail: e.to_string() })?;
            let single: Params = BTreeMap::from([(check.clone(), value)]);
            engine::validate_params(&single).map_err(|e| param_error(text, path, check, table, &e))?;
        }
        config.suppressions = config
            .raw_suppress
            .iter()
            .map(|s| {
                let mut entry = s.get_ref().clone();
                entry.origin = format!("{path}:{}", line_col(text, s.span().start).0);
                entry
            })
            .collect();
        Ok(config)
    }

    /// The check selection the file asks for (before command-line overrides).
    pub fn selection(&self) -> Selection {
        let strings = |v: &[CheckSelector]| v.iter().map(|s| s.0.clone()).collect();
        Selection {
            checks: strings(&self.checks.include),
            exclude: strings(&self.checks.exclude),
            services: self.services.iter().map(|s| s.0.clone()).collect(),
            min_severity: self.checks.min_severity,
            compliance: self.checks.compliance.iter().map(|s| s.0.clone()).collect(),
        }
    }

    pub fn regions(&self) -> Vec<String> {
        self.regions.iter().map(|r| r.0.clone()).collect()
    }

    /// The check parameters, with `--param CHECK.PARAM=VALUE` overrides applied.
    pub fn params(&self, overrides: &[String]) -> Result<Params, ConfigError> {
        let mut params: Params = BTreeMap::new();
        for (check, table) in &self.params {
            let value = serde_json::to_value(table.get_ref())
                .map_err(|e| ConfigError::Invalid { location: self.path.clone(), detail: e.to_string() })?;
            params.insert(check.clone(), value);
        }
        for arg in overrides {
            let bad = |detail: &str| ConfigError::BadParam { arg: arg.clone(), detail: detail.to_string() };
            let (key, raw) = arg.split_once('=').ok_or_else(|| bad("expected CHECK.PARAM=VALUE"))?;
            let (check, name) = key.split_once('.').ok_or_else(|| bad("expected CHECK.PARAM before '='"))?;
            if check.is_empty() || name.is_empty() {
                return Err(bad("expected CHECK.PARAM before '='"));
            }
            let value = serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::String(raw.to_string()));
            let entry = params.entry(check.to_string()).or_insert_with(|| serde_json::json!({}));
            match entry.as_object_mut() {
                Some(map) => {
                    map.insert(name.to_string(), value);
                }
                None => return Err(bad("the config file's value for this check is not a table")),
            }
        }
        Ok(params)
    }
}

/// `awsaudit config init`: writes the commented default config to `path`.
pub fn init(path: &Path, force: bool) -> Result<(), ConfigError> {
    let shown = path.display().to_string();
    if path.exists() && !force {
        return Err(ConfigError::Exists { path: shown });
    }
    std::fs::write(path, default_template()).map_err(|source| ConfigError::Write { path: shown, source })
}

/// The default config file: every setting at its default, with comments; parameters and suppressions as
/// commented-out examples.
pub fn default_template() -> String {
    let mut out = String::from(
        "# awsaudit configuration. awsaudit reads ./awsaudit.toml, or the file given with --config;\n\
         # command-line flags override what is set here. Reference: README.md, section \"Configuration\".\n\
         \n\
         # Regions to audit: [\"all\"] for every region enabled for the account, or names such as \"eu-west-1\".\n\
         # `awsaudit check --snapshot` keeps the findings of these regions only.\n\
         regions = [\"all\"]\n\
         \n",
    );
    let _ = write!(
        out,
        "# Services to collect ({}); empty: the ones the selected checks read.\n\
         services = []\n\
         \n\
         [checks]\n\
         # Check ids or globs to run (\"s3_*\"); empty: every check. See `awsaudit checks list`.\n\
         include = []\n\
         # Check ids or globs to leave out.\n\
         exclude = []\n\
         # Only checks of at least this severity: info, low, medium, high, critical.\n\
         min_severity = \"info\"\n\
         # Only checks mapped to these frameworks ({}) or controls (\"fsbp:S3.8\"); empty: no filter.\n\
         compliance = []\n\
         \n\
         [output]\n\
         # Report format: {}.\n\
         format = \"table\"\n\
         # Write the report to this file instead of stdout (relative to the working directory).\n\
         # path = \"awsaudit-report.json\"\n\
         # More outputs at once, each FORMAT=DEST (DEST: a file, \"-\" for stdout, s3://BUCKET/KEY or\n\
         # s3://BUCKET/PREFIX/), as --output spells them.\n\
         # outputs = [\"json=findings.json\", \"html=report.html\"]\n\
         # Exit 1 when a FAIL finding has at least this severity: critical, high, medium, low, info, or none.\n\
         fail_on = \"low\"\n\
         # Exit 1 also when a finding is UNKNOWN (and not muted).\n\
         fail_on_unknown = false\n\
         # Also list passing findings in the table.\n\
         show_passed = false\n\
         \n\
         # Check parameters, by check id (`awsaudit checks explain ID` documents them). Their defaults:\n",
        crate::model::SERVICES.join(", "),
        engine::FRAMEWORKS.map(|f| format!("\"{}\"", f.key())).join(", "),
        format_names().join(", "),
    );
    out.push_str(&commented(&params_example()));
    out.push_str(
        "\n# Suppressions mute accepted findings: a FAIL or UNKNOWN finding that an entry matches is reported as\n\
         # MUTED with the reason, and no longer fails the run. An expired entry mutes nothing and warns; so does\n\
         # an entry that matched nothing. Repeat the [[suppress]] table for each entry.\n",
    );
    out.push_str(&commented(SUPPRESS_EXAMPLE));
    out
}

const SUPPRESS_EXAMPLE: &str = r#"[[suppress]]
check = "s3_bucket_versioning_enabled"   # a check id or a glob ("s3_*"); required
resource = "arn:aws:s3:::logs-*"         # a glob on the resource ARN; or resource_regex = "^arn:aws:s3:::tmp-[0-9]+$"
account = "123456789012"                 # optional
region = "*"                             # optional; a glob, "global" for global resources
tags = { Environment = "dev" }           # optional; the resource must carry every one of these tags
reason = "Log buckets are written once by the log pipeline"   # required
expires = 2026-12-31                     # optional; the last day it mutes
"#;

/// Every check's default parameters as `[params.ID]` tables.
fn params_example() -> String {
    let tables: Vec<String> = REGISTRY
        .iter()
        .filter_map(|check| {
            let table = default_params_table(*check).filter(|t| !t.is_empty())?;
            Some(format!("[params.{}]\n{}", check.meta().id, toml::to_string(&table).ok()?))
        })
        .collect();
    tables.join("\n")
}

fn default_params_table(check: &dyn DynCheck) -> Option<toml::Table> {
    fn strip_nulls(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(strip_nulls);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
            _ => {}
        }
    }
    let mut value = check.default_params();
    strip_nulls(&mut value);
    serde_json::from_value(value).ok()
}

fn commented(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { "#\n".to_string() } else { format!("# {l}\n") }).collect()
}

/// `FILE:LINE:COLUMN` for a byte span, and the line number.
fn locate(text: &str, path: &str, span: Option<std::ops::Range<usize>>) -> (String, Option<usize>) {
    match span {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            (format!("{path}:{line}:{col}"), Some(line))
        }
        None => (path.to_string(), None),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A data error (unknown key, bad value, missing key), with the key it is about and a suggestion.
fn data_error(text: &str, path: &str, e: &toml::de::Error) -> ConfigError {
    let message = e.message().trim().replace('\n', "; ");
    let span = e.span().map(|span| narrow_to_item(text, span, &message));
    let (location, _) = locate(text, path, span.clone());
    let key = span.and_then(|span| key_path(text, span.start));
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let detail = if message.starts_with("unknown field ") {
        let unknown = quoted.first().copied().unwrap_or_default();
        let known: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let known = if known.is_empty() && key.as_deref() == Some(unknown) { TOP_LEVEL_KEYS.to_vec() } else { known };
        let hint = engine::closest(unknown, known.iter().copied());
        format!(
            "unknown key `{}`{}; {}",
            key.clone().unwrap_or_else(|| unknown.to_string()),
            hint.map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default(),
            if known.is_empty() {
                "no keys are allowed here".to_string()
            } else {
                format!("known keys: {}", known.join(", "))
            }
        )
    } else if message.starts_with("unknown variant ") {
        let unknown = quoted.first().copied().unwrap_or_default();
        let known: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let hint = engine::closest(unknown, known.iter().copied());
        format!(
            "`{}`: unknown value {unknown:?}{}; expected one of {}",
            key.unwrap_or_default(),
            hint.map(|h| format!(" (did you mean {h:?}?)")).unwrap_or_default(),
            known.join(", ")
        )
    } else if let Some(missing) = message.strip_prefix("missing field ") {
        let within = key.map(|k| format!(" in `{k}`")).unwrap_or_default();
        format!("missing key {missing}{within}")
    } else {
        match key {
            Some(key) => format!("`{key}`: {message}"),
            None => message,
        }
    };
    ConfigError::Invalid { location, detail }
}

/// A `[params.CHECK]` table that the check rejects: located at the parameter the error names, if the table has
/// it, else at the check id.
fn param_error(
    text: &str,
    path: &str,
    check: &str,
    table: &Spanned<toml::Table>,
    e: &crate::check::ParamError,
) -> ConfigError {
    let named = e.detail.split_once(':').map(|(name, _)| name.trim()).filter(|n| table.get_ref().contains_key(*n));
    let unknown = e.detail.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next());
    let param = named.or(unknown).and_then(|name| Some((key_span(text, &["params", check, name])?, name)));
    let (span, key) = match param {
        Some((span, name)) => (span, format!("params.{check}.{name}")),
        None => (key_span(text, &["params", check]).unwrap_or_else(|| table.span()), format!("params.{check}")),
    };
    let (location, _) = locate(text, path, Some(span));
    ConfigError::Invalid { location, detail: format!("`{key}`: {e}") }
}

/// The span of a key given by its path.
fn key_span(text: &str, path: &[&str]) -> Option<std::ops::Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = doc.get_ref();
    let (last, parents) = path.split_last()?;
    for name in parents {
        let (_, value) = table.iter().find(|(k, _)| k.get_ref() == name)?;
        let DeValue::Table(inner) = value.get_ref() else { return None };
        table = inner;
    }
    table.iter().find(|(k, _)| k.get_ref() == last).map(|(k, _)| k.span())
}

/// An error about one string of an array is reported on the whole array: this narrows the span to the item
/// that the message quotes.
fn narrow_to_item(text: &str, span: std::ops::Range<usize>, message: &str) -> std::ops::Range<usize> {
    let Some(array) = text.get(span.clone()).filter(|t| t.starts_with('[')) else { return span };
    let Ok(items) = toml::de::DeValue::parse(array) else { return span };
    let toml::de::DeValue::Array(items) = items.get_ref() else { return span };
    // The value the message quotes first (a hint may quote another).
    let quoted_at = |item: &Spanned<toml::de::DeValue<'_>>| match item.get_ref() {
        toml::de::DeValue::String(s) => message.find(&format!("{:?}", s.as_ref())),
        _ => None,
    };
    match items.iter().filter_map(|item| quoted_at(item).map(|at| (at, item))).min_by_key(|(at, _)| *at) {
        Some((_, item)) => span.start + item.span().start..span.start + item.span().end,
        None => span,
    }
}

/// The dotted key (`output.fail_on`, `suppress[1].reason`) whose key or value holds byte `pos`.
fn key_path(text: &str, pos: usize) -> Option<String> {
    use toml::de::{DeTable, DeValue};

    fn in_table(table: &DeTable<'_>, pos: usize, path: &mut String) -> bool {
        for (key, value) in table.iter() {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key.get_ref());
            if key.span().contains(&pos) || in_value(value, pos, path) {
                return true;
            }
            path.truncate(len);
        }
        false
    }

    // Container spans may not cover their contents (a `[table]` header), so containers are searched always.
    fn in_value(value: &Spanned<DeValue<'_>>, pos: usize, path: &mut String) -> bool {
        match value.get_ref() {
            DeValue::Table(table) => in_table(table, pos, path) || value.span().contains(&pos),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    let _ = write!(path, "[{i}]");
                    if in_value(item, pos, path) {
                        return true;
                    }
                    path.truncate(len);
                }
                value.span().contains(&pos)
            }
            _ => value.span().contains(&pos),
        }
    }

    let doc = DeTable::parse(text).ok()?;
    let mut path = String::new();
    (in_table(doc.get_ref(), pos, &mut path) && !path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, "awsaudit.toml").map_err(|e| e.to_string())
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("accepted: {text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn overrides_parse_json_or_string() {
        let cfg = parse("[params.tags_required]\nkeys = [\"Owner\"]\n").unwrap_or_else(|e| panic!("{e}"));
        let p = cfg
            .params(&["tags_required.keys=[\"Environment\"]".into(), "x.y=plain".into()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p["tags_required"]["keys"][0], "Environment");
        assert_eq!(p["x"]["y"], "plain");
        assert!(cfg.params(&["nodot=1".into()]).is_err());
    }

    #[test]
    fn unknown_top_level_key_is_rejected_with_a_suggestion() {
        let err = error("regions = [\"eu-west-1\"]\n[parms.x]\n");
        assert!(err.contains("awsaudit.toml:2:2"), "{err}");
        assert!(err.contains("unknown key `parms`") && err.contains("did you mean `params`?"), "{err}");
    }

    #[test]
    fn unknown_nested_keys_name_their_path() {
        let err = error("[checks]\ninclde = [\"s3_*\"]\n");
        assert!(err.contains("awsaudit.toml:2:1"), "{err}");
        assert!(err.contains("`checks.inclde`") && err.contains("did you mean `include`?"), "{err}");

        let err = error("[output]\nformat = \"json\"\nshow_pased = true\n");
        assert!(err.contains(":3:1") && err.contains("did you mean `show_passed`?"), "{err}");

        let err = error("[[suppress]]\ncheck = \"s3_*\"\nreason = \"x\"\nexpire = 2026-01-01\n");
        assert!(err.contains(":4:1") && err.contains("suppress[0].expire"), "{err}");
        assert!(err.contains("did you mean `expires`?"), "{err}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = error("regions = [\"eu-west-1\"]\n\n[output\nformat = \"json\"\n");
        assert!(err.contains("awsaudit.toml:3:"), "{err}");
        assert!(err.contains("TOML syntax error"), "{err}");
        let err = error("regions = [\"eu-west-1\"\n");
        assert!(err.contains("awsaudit.toml:1:") || err.contains("awsaudit.toml:2:"), "{err}");
    }

    #[test]
    fn bad_values_name_the_key_and_the_value() {
        let cases = [
            ("[output]\nfail_on = \"severe\"\n", ":2:11", "output.fail_on", "severe"),
            ("[output]\nformat = \"xml\"\n", ":2:10", "output.format", "xml"),
            ("[output]\nshow_passed = \"yes\"\n", ":2:15", "output.show_passed", "bool"),
            (
                "[output]\noutputs = [\"json=a.json\", \"jsno=b.json\"]\n",
                ":2:27",
                "output.outputs[1]",
                "did you mean \"json\"?",
            ),
            ("[output]\noutputs = [\"json=s3://\"]\n", ":2:12", "output.outputs[0]", "no bucket name"),
            ("regions = [\"eu-west-1\", \"europe\"]\n", ":1:25", "regions[1]", "europe"),
            ("services = [\"s4\"]\n", ":1:13", "services[0]", "did you mean \"s3\"?"),
            ("[checks]\nmin_severity = \"hgh\"\n", ":2:16", "checks.min_severity", "did you mean \"high\"?"),
            ("[checks]\ninclude = [\"s3_bucket_versioning\"]\n", ":2:12", "checks.include[0]", "did you mean"),
            ("[checks]\nexclude = [\"zz_*\"]\n", ":2:12", "checks.exclude[0]", "matches no check"),
            ("[checks]\ncompliance = [\"cis\"]\n", ":2:15", "checks.compliance[0]", "did you mean \"cis-5.0\"?"),
            ("[params.ec2_sg_ssh_restricted]\nallowed_cidrs = [\"10.0.0.0/33\"]\n", ":2:1", "allowed_cidrs", "/33"),
            ("[params.ec2_sg_ssh_restricted]\nallowd_cidrs = []\n", ":2:1", "allowd_cidrs", "allowed_cidrs"),
            ("[params.nosuchcheck]\nx = 1\n", ":1:9", "params.nosuchcheck", "no such check"),
        ];
        for (text, at, key, what) in cases {
            let err = error(text);
            assert!(err.contains(&format!("awsaudit.toml{at}")), "{text}: {err}");
            assert!(err.contains(key) && err.contains(what), "{text}: {err}");
        }
    }

    #[test]
    fn suppressions_need_a_reason() {
        let err = error("[[suppress]]\ncheck = \"s3_*\"\n");
        assert!(err.contains("awsaudit.toml:1:") && err.contains("missing key `reason`"), "{err}");
        let err = error("[[suppress]]\ncheck = \"s3_*\"\nreason = \"\"\n");
        assert!(err.contains("awsaudit.toml:3:10") && err.contains("suppress[0].reason"), "{err}");
    }

    #[test]
    fn a_full_file_is_read() {
        let cfg = parse(
            r#"
regions = ["eu-west-1", "us-east-1"]
services = ["s3", "kms"]

[checks]
include = ["s3_*", "kms_cmk_rotation_enabled"]
exclude = ["s3_bucket_versioning_enabled"]
min_severity = "medium"
compliance = ["fsbp"]

[output]
format = "json"
path = "out.json"
outputs = ["html=report.html", "json=s3://reports/daily/"]
fail_on = "none"
show_passed = true

[[suppress]]
check = "s3_*"
resource = "arn:aws:s3:::logs-*"
reason = "log buckets"

[[suppress]]
check = "*"
tags = { Environment = "dev" }
reason = "dev"
expires = 2026-12-31
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.regions(), ["eu-west-1", "us-east-1"]);
        let sel = cfg.selection();
        assert_eq!(sel.checks, ["s3_*", "kms_cmk_rotation_enabled"]);
        assert_eq!(sel.min_severity, Some(Severity::Medium));
        assert_eq!(cfg.output.format, Some(FormatSetting(Format::Json)));
        assert_eq!(cfg.output.fail_on, Some(FailOnSetting(FailOn(None))));
        assert_eq!(cfg.output.show_passed, Some(true));
        assert_eq!(cfg.output.outputs.len(), 2);
        assert_eq!(cfg.output.outputs[1].0.format, Some(Format::Json));
        assert_eq!(cfg.suppressions.len(), 2);
        assert_eq!(cfg.suppressions[0].origin, "awsaudit.toml:18");
        assert_eq!(cfg.suppressions[1].origin, "awsaudit.toml:23");
        assert!(engine::select(&sel).is_ok());
    }

    #[test]
    fn the_default_template_parses_and_validates() {
        let text = default_template();
        let cfg = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(cfg.regions(), ["all"]);
        assert_eq!(engine::select(&cfg.selection()).map(|c| c.len()).ok(), Some(REGISTRY.len()));
        assert_eq!(cfg.output.format, Some(FormatSetting(Format::Table)));
        assert_eq!(cfg.output.fail_on, Some(FailOnSetting(FailOn(Some(Severity::Low)))));
        // Uncommented, the examples are valid too.
        let examples = format!("{}\n{SUPPRESS_EXAMPLE}", params_example());
        assert!(examples.contains("[params.ec2_sg_ssh_restricted]"), "{examples}");
        let cfg = parse(&examples).unwrap_or_else(|e| panic!("{e}\n{examples}"));
        assert_eq!(cfg.suppressions.len(), 1);
        engine::validate_params(&cfg.params(&[]).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_readme_example_is_valid() {
        let readme = include_str!("../README.md");
        let section = readme.split("## Configuration").nth(1).unwrap_or_default();
        let example = section.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).unwrap_or_default();
        assert!(example.contains("[[suppress]]"), "no example in the README's Configuration section");
        let cfg = parse(example).unwrap_or_else(|e| panic!("{e}"));
        assert!(engine::select(&cfg.selection()).is_ok());
        assert_eq!(cfg.suppressions.len(), 2);
    }

    #[test]
    fn init_refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(DEFAULT_CONFIG_FILE);
        init(&path, false).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, "# mine\n").unwrap_or_else(|e| panic!("{e}"));
        let err = init(&path, false).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("already exists") && err.contains("--force"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), "# mine\n");
        init(&path, true).unwrap_or_else(|e| panic!("{e}"));
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(Config::parse(&written, "x").is_ok());
    }

    #[test]
    fn top_level_keys_are_the_struct_fields() {
        let err = error("zzzzzzzzzzzz = 1\n");
        for key in TOP_LEVEL_KEYS {
            assert!(err.contains(key), "{key}: {err}");
        }
    }

    #[test]
    fn region_names() {
        for ok in ["eu-west-1", "us-gov-west-1", "ap-southeast-3", "all"] {
            assert!(parse(&format!("regions = [\"{ok}\"]")).is_ok(), "{ok}");
        }
        for bad in ["europe", "eu-west", "EU-WEST-1", "eu--1", ""] {
            assert!(parse(&format!("regions = [\"{bad}\"]")).is_err(), "{bad}");
        }
        let err = error("\nregions = [\"all\", \"eu-west-1\"]\n");
        assert!(err.contains("awsaudit.toml:2:1") && err.contains("cannot be combined"), "{err}");
    }
}
