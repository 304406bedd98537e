//! `docs/checks.md`, generated from the check registry. A unit test fails when the file is stale; run
//! `AWSAUDIT_UPDATE_DOCS=1 cargo test --no-default-features --lib docs` to regenerate it.

use crate::checks::REGISTRY;
use std::fmt::Write;

pub fn checks_markdown() -> String {
    let mut out = String::from(
        "# Checks\n\nGenerated from the check registry by `src/docs.rs`; do not edit by hand.\n\n\
         | id | severity | service | title | compliance |\n|---|---|---|---|---|\n",
    );
    for check in REGISTRY.iter() {
        let m = check.meta();
        let controls: Vec<String> = m.compliance.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} | {} | {} |",
            m.severity,
            m.service,
            m.title,
            controls.join(", "),
            id = m.id
        );
    }
    for check in REGISTRY.iter() {
        let m = check.meta();
        let kinds: Vec<&str> = m.kinds.iter().map(|k| k.name()).collect();
        let _ =
            write!(out, "\n## {}\n\n{}\n\n- Severity: {}\n- Reads: {}\n", m.id, m.title, m.severity, kinds.join(", "));
        if !m.compliance.is_empty() {
            let controls: Vec<String> = m.compliance.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "- Compliance: {}", controls.join(", "));
        }
        let defaults = check.default_params();
        if defaults.as_object().is_some_and(|o| !o.is_empty()) {
            let _ = writeln!(out, "- Default parameters: `{defaults}`");
        }
        // Demote the check's own headings one level below its `##` title.
        let doc = m.documentation().replace("\n## ", "\n### ");
        let doc = doc.strip_prefix("## ").map(|d| format!("### {d}")).unwrap_or(doc);
        let _ = writeln!(out, "\n{doc}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_checks_md_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md");
        let wanted = checks_markdown();
        if std::env::var_os("AWSAUDIT_UPDATE_DOCS").is_some() {
            std::fs::write(path, &wanted).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            current == wanted,
            "docs/checks.md is out of date: run AWSAUDIT_UPDATE_DOCS=1 cargo test --no-default-features --lib docs"
        );
    }
}
