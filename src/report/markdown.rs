//! Markdown: a short summary to paste in a chat message or a pull request. A headline with the counts, FAIL
//! counts by severity, the failing findings grouped by severity (at most [`MAX_ROWS`]), then how many findings
//! could not be evaluated and why. PASS and MUTED findings are only counted.

use super::Report;
use crate::finding::{Severity, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Failing findings listed, over all severities; the rest are counted in an "… and N more" line.
pub const MAX_ROWS: usize = 50;
/// UNKNOWN reasons listed.
pub const MAX_REASONS: usize = 5;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let fail = report.count(Status::Fail);
    let unknown = report.count(Status::Unknown);
    let when = report.collected_at.format("%Y-%m-%d %H:%M UTC");
    let source = if report.source == "snapshot" { format!("snapshot taken {when}") } else { when.to_string() };
    let _ = writeln!(
        out,
        "### awsaudit: {} · account `{}` · {} region{} · {}",
        if fail == 0 { "no failing findings".to_string() } else { format!("{fail} failing") },
        report.account_id.replace('`', "'"),
        s.regions,
        if s.regions == 1 { "" } else { "s" },
        source,
    );
    let _ = writeln!(
        out,
        "\n**{fail} FAIL** · {unknown} UNKNOWN · {} PASS · {} MUTED: {} findings from {} checks on {} resources",
        report.count(Status::Pass),
        report.count(Status::Muted),
        s.findings,
        s.checks_run,
        s.resources,
    );

    if fail > 0 {
        let _ = writeln!(out, "\n| Severity | FAIL |\n|---|---:|");
        for severity in Severity::ALL {
            let n = s.failing_by_severity.get(&severity).copied().unwrap_or(0);
            let _ = writeln!(out, "| {severity} | {n} |");
        }

        let _ = writeln!(out, "\n#### Failing\n");
        let _ = writeln!(out, "| Severity | Check | Region | Resource | Finding |\n|---|---|---|---|---|");
        let mut shown = 0;
        for severity in Severity::ALL {
            let group = report.findings.iter().filter(|f| f.status == Status::Fail && f.severity == severity);
            for f in group.take(MAX_ROWS - shown) {
                let resource = f.resource.name.as_deref().unwrap_or(&f.resource.id);
                let _ = writeln!(
                    out,
                    "| {severity} | `{}` | {} | {} | {} |",
                    f.check_id.replace('`', "'"),
                    escape(&f.region),
                    escape(resource),
                    escape(&f.message)
                );
                shown += 1;
            }
        }
        if fail > shown {
            let _ = writeln!(out, "\n… and {} more failing findings (see the full report).", fail - shown);
        }
    }

    if unknown > 0 {
        let _ = writeln!(out, "\n#### Could not be evaluated: {unknown} UNKNOWN\n");
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for f in report.findings.iter().filter(|f| f.status == Status::Unknown) {
            let reason = match &f.unknown_reason {
                Some(r) => {
                    let code = r.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                    format!("`{}`: {}{}", r.operation.replace('`', "'"), escape(r.cause.label()), escape(&code))
                }
                None => "no reason recorded".to_string(),
            };
            *reasons.entry(reason).or_default() += 1;
        }
        let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
        // Most frequent first; ties in a stable (alphabetical) order.
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        for (reason, n) in reasons.iter().take(MAX_REASONS) {
            let _ = writeln!(out, "- {reason}: {n}");
        }
        if reasons.len() > MAX_REASONS {
            let rest: usize = reasons.iter().skip(MAX_REASONS).map(|(_, n)| n).sum();
            let _ = writeln!(out, "- … {rest} more with other reasons");
        }
    }
    for (framework, totals) in crate::compliance::framework_totals(&report.compliance) {
        let counts: Vec<String> = totals.iter().map(|(status, n)| format!("{n} {}", status.label())).collect();
        let _ = writeln!(out, "\n#### Compliance `{framework}`: {}\n", counts.join(" · "));
        let _ = writeln!(out, "| Control | Status | FAIL | UNKNOWN | PASS | Checks |\n|---|---|---:|---:|---:|---|");
        for c in report.compliance.iter().filter(|c| c.framework == framework) {
            let checks: Vec<String> = c.checks.iter().map(|id| format!("`{id}`")).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                escape(&c.control),
                c.status.label(),
                c.fail,
                c.unknown,
                c.pass + c.muted,
                checks.join(" ")
            );
        }
    }
    out
}

/// Makes text safe inside a table cell: Markdown punctuation is backslash-escaped (so `|` cannot end the cell
/// and `*`, `_` do not turn into emphasis), `<`/`>` cannot open HTML, and line breaks become `<br>`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn golden() {
        testdata::assert_golden("markdown", &render(&testdata::report()));
    }

    #[test]
    fn escapes_cells() {
        assert_eq!(escape("a|b\nc\r\nd"), "a\\|b<br>c<br>d");
        assert_eq!(escape("*:* on <all>"), "\\*:\\* on \\<all\\>");
        // Every table row keeps its five cell separators, whatever the message holds.
        let text = render(&testdata::report());
        for line in text.lines().filter(|l| l.starts_with("| ") && l.contains(" | `")) {
            let unescaped = line.replace("\\|", "");
            assert_eq!(unescaped.matches('|').count(), 6, "{line}");
        }
    }

    #[test]
    fn caps_the_rows() {
        let mut report = testdata::report();
        let template = report.findings[0].clone();
        for i in 0..60 {
            let mut f = template.clone();
            f.resource.name = Some(format!("bucket-{i}"));
            report.findings.push(f);
        }
        let fails = report.findings.iter().filter(|f| f.status == Status::Fail).count();
        report.summary.by_status.insert(Status::Fail, fails);
        let text = render(&report);
        let rows = text.lines().filter(|l| l.starts_with("| ") && l.contains(" | `")).count();
        assert_eq!(rows, MAX_ROWS);
        assert!(text.contains(&format!("… and {} more failing findings", fails - MAX_ROWS)), "{text}");
    }

    #[test]
    fn compliance_section_per_framework() {
        let mut report = testdata::every_check_report();
        let checks: Vec<&'static dyn crate::check::DynCheck> = crate::checks::REGISTRY.to_vec();
        report.compliance =
            crate::compliance::summarize(&["fsbp:S3.8".into()], &checks, &report.skipped_checks, &report.findings);
        let text = render(&report);
        assert!(text.contains("#### Compliance `fsbp`: "), "{text}");
        let row = text.lines().find(|l| l.starts_with("| S3.8 |")).unwrap_or_default();
        assert!(row.contains("`s3_bucket_public_access_block`"), "{text}");
        assert!(!text.contains("#### Compliance `cis-5.0`"), "{text}");
    }

    #[test]
    fn no_failures_no_table() {
        let mut report = testdata::report();
        report.findings.retain(|f| f.status == Status::Pass);
        report.summary.by_status = [(Status::Pass, report.findings.len())].into_iter().collect();
        let text = render(&report);
        assert!(text.contains("no failing findings"), "{text}");
        assert!(!text.contains('|'), "{text}");
    }
}
