//! Golden files of expected findings: `tests/e2e/expected/NAME.txt`, one finding per line as
//! `STATUS check region label`. `AWSAUDIT_BLESS=1` rewrites them from the current output; review the diff.

use crate::harness::findings;
use serde_json::Value;
use std::path::PathBuf;

/// What identifies a resource across runs: its name, else its id when the id is stable (bucket names,
/// the account, pseudo-resources), else its kind (moto draws fresh random ids: vpc-…, vol-…).
pub fn label(finding: &Value) -> String {
    let resource = &finding["resource"];
    if let Some(name) = resource["name"].as_str() {
        return name.to_string();
    }
    let id = resource["id"].as_str().unwrap_or_default();
    let random = id.split_once('-').is_some_and(|(prefix, rest)| {
        ["vpc", "subnet", "sg", "i", "vol", "lt", "rtb", "igw", "nat", "acl", "fl"].contains(&prefix)
            && rest.chars().all(|c| c.is_ascii_hexdigit())
    }) || (id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4);
    if random { resource["kind"].as_str().unwrap_or_default().to_string() } else { id.to_string() }
}

pub fn lines(report: &Value) -> Vec<String> {
    let mut lines: Vec<String> = findings(report)
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["status"].as_str().unwrap_or_default(),
                f["check_id"].as_str().unwrap_or_default(),
                f["region"].as_str().unwrap_or_default(),
                label(f)
            )
        })
        .collect();
    lines.sort();
    lines
}

/// Asserts the report's findings equal the golden file (as a multiset of lines).
pub fn assert_matches(name: &str, report: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/expected").join(format!("{name}.txt"));
    let actual = lines(report);
    if std::env::var_os("AWSAUDIT_BLESS").is_some() {
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path));
        std::fs::write(&path, actual.join("\n") + "\n").unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path:?}: {e}"));
    let mut expected: Vec<String> = text.lines().filter(|l| !l.trim().is_empty()).map(String::from).collect();
    expected.sort();
    if expected != actual {
        let missing: Vec<&String> = expected.iter().filter(|l| !actual.contains(l)).collect();
        let extra: Vec<&String> = actual.iter().filter(|l| !expected.contains(l)).collect();
        panic!(
            "findings differ from {}\nexpected but missing:\n  {}\nreported but not expected:\n  {}\n\
             (counts: expected {}, actual {})",
            path.display(),
            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
            extra.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
            expected.len(),
            actual.len()
        );
    }
}
