//! The HTML report in a real browser (Debian's headless Chromium, installed by `scripts/test.sh`): it renders,
//! and its filters show exactly the findings they select.

use crate::harness::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    let path = std::env::var_os("AWSAUDIT_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(path.exists(), "no Chromium at {}: run scripts/test.sh (it installs Debian's chromium)", path.display());
    path
}

/// Runs headless Chromium with its own empty profile and no background traffic.
fn headless(args: &[&str]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chromium: {e}"));
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn demo_report(dir: &Path) -> (String, serde_json::Value) {
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/mocks/demo.json");
    let html = temp_path(dir, "report.html");
    let json = temp_path(dir, "report.json");
    let run = awsaudit(&[
        "check",
        "--snapshot",
        demo,
        "--fail-on",
        "none",
        "--output",
        &format!("html={html}"),
        "--output",
        &format!("json={json}"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or_default();
    (html, report)
}

/// The rows a filtered page shows, as (severity, status, region).
fn visible_rows(dom: &str) -> Vec<(String, String, String)> {
    let attr = |row: &str, name: &str| {
        row.split(&format!("{name}=\"")).nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().to_string()
    };
    dom.split("<tr class=\"finding")
        .skip(1)
        .map(|row| row.split('>').next().unwrap_or_default())
        .filter(|tag| !tag.contains(" hidden"))
        .map(|tag| (attr(tag, "data-severity"), attr(tag, "data-status"), attr(tag, "data-region")))
        .collect()
}

#[test]
fn the_html_report_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (html, _) = demo_report(dir.path());
    let png = temp_path(dir.path(), "report.png");
    headless(&["--window-size=1400,1000", &format!("--screenshot={png}"), &format!("file://{html}")]);
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot: {e}"));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!((width, height), (1400, 1000));
    // A blank or unstyled page compresses to a few KiB; the rendered report (chips, tables, text) does not.
    assert!(bytes.len() > 60_000, "screenshot is only {} bytes: the page did not render", bytes.len());
}

#[test]
fn the_html_filters_show_exactly_the_selected_findings() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (html, report) = demo_report(dir.path());
    let findings = findings(&report);
    let count = |keep: &dyn Fn(&serde_json::Value) -> bool| findings.iter().filter(|f| keep(f)).count();

    // Default view: everything but PASS.
    let dom = String::from_utf8_lossy(&headless(&["--dump-dom", &format!("file://{html}")])).into_owned();
    assert_eq!(visible_rows(&dom).len(), count(&|f| f["status"] != "PASS"));

    // Filters set through the URL fragment, as a shared link would.
    let url = format!("file://{html}#severity=critical,high&status=FAIL&region={HOME}");
    let dom = String::from_utf8_lossy(&headless(&["--dump-dom", &url])).into_owned();
    let rows = visible_rows(&dom);
    let expected = count(&|f| {
        f["status"] == "FAIL"
            && ["critical", "high"].contains(&f["severity"].as_str().unwrap_or_default())
            && f["region"] == HOME
    });
    assert!(expected > 0);
    assert_eq!(rows.len(), expected, "{rows:?}");
    assert!(
        rows.iter().all(|(sev, st, region)| (sev == "critical" || sev == "high") && st == "fail" && region == HOME)
    );
    assert!(dom.contains(&format!("{expected} of {} findings shown", findings.len())), "the counter is not updated");

    let dom = String::from_utf8_lossy(&headless(&["--dump-dom", &format!("file://{html}#status=pass")])).into_owned();
    assert_eq!(visible_rows(&dom).len(), count(&|f| f["status"] == "PASS"));
}
