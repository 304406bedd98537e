//! The terminal report: failing and unknown findings grouped by severity, then what could not be collected,
//! then one summary line.

use super::{RenderOptions, Report};
use crate::finding::{Finding, Severity, Status};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write;

const MAX_ERRORS_SHOWN: usize = 20;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let mut out = String::new();
    let paint = |status: Status| -> String {
        if !options.color {
            return status.to_string();
        }
        let code = match status {
            Status::Pass => "32",
            Status::Fail => "31",
            Status::Unknown => "33",
            Status::Muted => "2",
        };
        format!("\x1b[{code}m{status}\x1b[0m")
    };
    let shown = |f: &&Finding| options.show_passed || f.status != Status::Pass;

    for severity in Severity::ALL {
        let group: Vec<&Finding> = report.findings.iter().filter(|f| f.severity == severity).filter(shown).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", severity.as_str().to_uppercase(), group.len());
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec!["Status", "Check", "Region", "Resource", "Detail"]);
        if let Some((width, _)) = terminal_width() {
            table.set_width(width);
        }
        for f in group {
            let resource = f.resource.name.clone().unwrap_or_else(|| f.resource.id.clone());
            let detail = match &f.muted {
                Some(m) => format!("{} (muted: {})", f.message, m.reason),
                None => f.message.clone(),
            };
            table.add_row(vec![paint(f.status), f.check_id.clone(), f.region.clone(), resource, detail]);
        }
        let _ = writeln!(out, "{table}");
    }

    if !report.collection_errors.is_empty() {
        let _ = writeln!(out, "\nCould not collect ({}):", report.collection_errors.len());
        for e in report.collection_errors.iter().take(MAX_ERRORS_SHOWN) {
            let on = e.resource.as_deref().map(|r| format!(" [{r}]")).unwrap_or_default();
            let _ = writeln!(out, "  {} {}{}: {}", e.service, e.region, on, e.reason);
        }
        if report.collection_errors.len() > MAX_ERRORS_SHOWN {
            let _ = writeln!(
                out,
                "  … and {} more (see the json report)",
                report.collection_errors.len() - MAX_ERRORS_SHOWN
            );
        }
    }
    if !report.skipped_checks.is_empty() {
        let ids: Vec<&str> = report.skipped_checks.iter().map(|s| s.check_id.as_str()).collect();
        let _ = writeln!(out, "\nNot run (service not collected): {}", ids.join(", "));
    }
    render_compliance(report, &mut out);
    let _ = writeln!(out, "\n{}", summary_line(report));
    out
}

/// One table per framework: every selected control with its status and finding counts.
fn render_compliance(report: &Report, out: &mut String) {
    for (framework, totals) in crate::compliance::framework_totals(&report.compliance) {
        let counts: Vec<String> = totals.iter().map(|(status, n)| format!("{n} {}", status.label())).collect();
        let controls = report.compliance.iter().filter(|c| c.framework == framework);
        let n = controls.clone().count();
        let noun = if n == 1 { "control" } else { "controls" };
        let _ = writeln!(out, "\nCompliance {framework}: {n} {noun}: {}", counts.join(", "));
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec!["Control", "Status", "FAIL", "UNKNOWN", "PASS", "Checks"]);
        if let Some((width, _)) = terminal_width() {
            table.set_width(width);
        }
        for c in controls {
            let mut checks = c.checks.join(" ");
            if !c.skipped_checks.is_empty() {
                let _ = write!(checks, " (not run: {})", c.skipped_checks.join(" "));
            }
            table.add_row(vec![
                c.control.clone(),
                c.status.label().to_string(),
                c.fail.to_string(),
                c.unknown.to_string(),
                (c.pass + c.muted).to_string(),
                checks,
            ]);
        }
        let _ = writeln!(out, "{table}");
    }
}

pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let failing: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| s.failing_by_severity.get(sev).filter(|n| **n > 0).map(|n| format!("{n} {sev}")))
        .collect();
    let failing = if failing.is_empty() { String::new() } else { format!(" ({})", failing.join(", ")) };
    let mut line = format!(
        "{} checks, {} findings: {} FAIL{}, {} UNKNOWN, {} PASS, {} MUTED · {} resources in {} region{} of account {}",
        s.checks_run,
        s.findings,
        report.count(Status::Fail),
        failing,
        report.count(Status::Unknown),
        report.count(Status::Pass),
        report.count(Status::Muted),
        s.resources,
        s.regions,
        if s.regions == 1 { "" } else { "s" },
        report.account_id,
    );
    if report.source == "live" {
        let _ = write!(line, " · {} API calls · {:.1} s", s.api_calls, s.duration_ms as f64 / 1000.0);
    } else {
        let _ = write!(line, " · from a snapshot taken {}", report.collected_at.format("%Y-%m-%d %H:%M UTC"));
    }
    line
}

fn terminal_width() -> Option<(u16, u16)> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).map(|w| (w, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn compliance_table_lists_each_selected_control() {
        let mut report = testdata::every_check_report();
        let options = RenderOptions { show_passed: false, color: false };
        assert!(!render(&report, &options).contains("Compliance"));
        let checks: Vec<&'static dyn crate::check::DynCheck> = crate::checks::REGISTRY.to_vec();
        report.compliance =
            crate::compliance::summarize(&["fsbp".into()], &checks, &report.skipped_checks, &report.findings);
        let text = render(&report, &options);
        let headline = format!("Compliance fsbp: {} controls: ", report.compliance.len());
        assert!(report.compliance.len() > 1);
        assert!(text.contains(&headline), "{text}");
        for control in &report.compliance {
            assert!(text.contains(&format!(" {} ", control.control)), "{} missing", control.control);
        }
    }
}
