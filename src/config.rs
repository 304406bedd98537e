//! The config file (`awsaudit.toml`): check parameters for now.

use crate::engine::Params;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const DEFAULT_CONFIG_FILE: &str = "awsaudit.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Parameters by check id: `[params.ec2_sg_ssh_restricted]` `allowed_cidrs = ["10.0.1.0/24"]`.
    #[serde(default)]
    pub params: BTreeMap<String, toml::Table>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("config file {path}: {detail}")]
    Invalid { path: String, detail: String },
    #[error("--param {arg:?}: {detail}")]
    BadParam { arg: String, detail: String },
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
        toml::from_str(&text).map_err(|e| ConfigError::Invalid { path: shown, detail: e.to_string() })
    }

    /// The check parameters, with `--param CHECK.PARAM=VALUE` overrides applied.
    pub fn params(&self, overrides: &[String]) -> Result<Params, ConfigError> {
        let mut params: Params = BTreeMap::new();
        for (check, table) in &self.params {
            let value = serde_json::to_value(table)
                .map_err(|e| ConfigError::Invalid { path: DEFAULT_CONFIG_FILE.into(), detail: e.to_string() })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_json_or_string() {
        let cfg: Config = toml::from_str("[params.tags_required]\nkeys = [\"Owner\"]\n").unwrap_or_default();
        let p = cfg
            .params(&["tags_required.keys=[\"Environment\"]".into(), "x.y=plain".into()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p["tags_required"]["keys"][0], "Environment");
        assert_eq!(p["x"]["y"], "plain");
        assert!(cfg.params(&["nodot=1".into()]).is_err());
    }

    #[test]
    fn unknown_top_level_key_is_rejected() {
        let err = toml::from_str::<Config>("[parms.x]\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("parms"), "{err}");
    }
}
