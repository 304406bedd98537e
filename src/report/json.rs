//! The native JSON report. Stable: fields are only ever added; a breaking change bumps `schema_version`.

use super::Report;

pub fn render(report: &Report) -> String {
    // Plain data with string keys: serialization cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::engine::{Selection, evaluate, select};

    #[test]
    fn round_trips_and_is_stable() {
        let mut inv = inventory();
        inv.resources.push(resource("b", crate::model::S3Bucket::default()));
        let checks = select(&Selection::default()).unwrap_or_default();
        let eval = evaluate(&inv, &checks, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let report = Report::new(&inv, eval, "snapshot");
        let text = render(&report);
        let back: Report = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, report);
        assert_eq!(render(&back), text);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        for key in ["schema", "schema_version", "account_id", "summary", "findings", "collection_errors"] {
            assert!(value.get(key).is_some(), "missing {key}");
        }
    }
}
