//! HTML: one self-contained page (inline CSS and JavaScript, nothing fetched) to read a report in a browser or
//! print it. A summary (counts by status and FAIL counts by severity, account, regions, duration, API calls),
//! filters by severity, status, service, region and text, the findings table with each check's remediation, and
//! the collection errors, skipped checks and configuration warnings.
//!
//! The page is an `askama` template (`templates/report.html`), compiled with the crate, which HTML-escapes
//! every value from the report. The one exception is the remediation, which is turned from the check's
//! Markdown into HTML here ([`markdown_to_html`]), escaping all of its text first.

use super::Report;
use super::ocsf::doc_section;
use crate::finding::{Finding, Severity, Status};
use askama::Template;
use std::collections::BTreeMap;

/// Statuses in the order the page shows them.
const STATUSES: [Status; 4] = [Status::Fail, Status::Unknown, Status::Muted, Status::Pass];

pub fn render(report: &Report) -> String {
    match Page::new(report).render() {
        Ok(mut html) => {
            if !html.ends_with('\n') {
                html.push('\n');
            }
            html
        }
        // The template is compiled in and rendering into a String has no I/O: an error here is a bug.
        Err(e) => format!(
            "<!doctype html>\n<title>awsaudit report</title>\n<p>cannot render the report: {}</p>\n",
            escape(&e.to_string())
        ),
    }
}

fn compliance_sections(report: &Report) -> Vec<FrameworkSection> {
    use crate::compliance::ControlStatus;
    crate::compliance::framework_totals(&report.compliance)
        .into_iter()
        .map(|(framework, totals)| FrameworkSection {
            name: framework.to_string(),
            totals: totals.iter().map(|(status, n)| format!("{n} {}", status.label())).collect::<Vec<_>>().join(", "),
            controls: report
                .compliance
                .iter()
                .filter(|c| c.framework == framework)
                .map(|c| ControlRow {
                    control: c.control.clone(),
                    status: c.status.label(),
                    status_key: match c.status {
                        ControlStatus::Failed => "fail",
                        ControlStatus::Unknown => "unknown",
                        ControlStatus::Passed => "pass",
                        ControlStatus::NoData => "muted",
                    },
                    fail: c.fail,
                    unknown: c.unknown,
                    pass: c.pass + c.muted,
                    checks: c.checks.join(" "),
                })
                .collect(),
        })
        .collect()
}

/// One value of a filter and how many findings have it.
struct Choice {
    value: String,
    label: String,
    count: usize,
    /// Ticked when the page opens.
    checked: bool,
}

struct Count {
    /// CSS class suffix and filter value (`fail`, `critical`).
    key: &'static str,
    label: String,
    count: usize,
}

struct Row {
    severity: &'static str,
    status: &'static str,
    status_key: &'static str,
    check_id: String,
    title: String,
    service: String,
    region: String,
    resource_label: String,
    resource_uid: String,
    resource_kind: String,
    message: String,
    /// Why the finding is MUTED.
    detail: Option<String>,
    compliance: Vec<String>,
    /// The check's remediation as HTML (already escaped).
    remediation: Option<String>,
    id: String,
}

struct ErrorRow {
    service: String,
    region: String,
    resource: String,
    operation: String,
    cause: String,
    message: String,
}

struct FrameworkSection {
    name: String,
    /// `3 FAILED, 1 UNKNOWN, …`
    totals: String,
    controls: Vec<ControlRow>,
}

struct ControlRow {
    control: String,
    status: &'static str,
    /// CSS class suffix, shared with the finding statuses.
    status_key: &'static str,
    fail: usize,
    unknown: usize,
    pass: usize,
    checks: String,
}

struct Fact {
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    title: String,
    subtitle: String,
    headline: String,
    generator: String,
    facts: Vec<Fact>,
    statuses: Vec<Count>,
    severities: Vec<Count>,
    severity_choices: Vec<Choice>,
    status_choices: Vec<Choice>,
    services: Vec<Choice>,
    regions: Vec<Choice>,
    rows: Vec<Row>,
    errors: Vec<ErrorRow>,
    skipped: Vec<(String, String)>,
    warnings: Vec<String>,
    compliance: Vec<FrameworkSection>,
}

impl Page {
    fn new(report: &Report) -> Page {
        let s = &report.summary;
        let fail = report.count(Status::Fail);
        let when = report.collected_at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        let mut facts = vec![
            Fact { label: "Account", value: format!("{} ({})", report.account_id, report.partition) },
            Fact { label: "Collected", value: format!("{when} ({})", report.source) },
            Fact { label: "Regions", value: list_or_none(&report.regions) },
            Fact { label: "Services", value: list_or_none(&report.services) },
            Fact { label: "Checks run", value: s.checks_run.to_string() },
            Fact { label: "Resources", value: s.resources.to_string() },
            Fact { label: "Duration", value: duration(s.duration_ms, &report.source) },
            Fact { label: "API calls", value: api_calls(s.api_calls, &s.api_calls_by_service) },
        ];
        if let Some(caller) = &report.caller_arn {
            facts.insert(1, Fact { label: "Caller", value: caller.clone() });
        }
        if s.collection_errors > 0 {
            facts.push(Fact { label: "Collection errors", value: s.collection_errors.to_string() });
        }

        let statuses = STATUSES
            .iter()
            .map(|&st| Count { key: status_key(st), label: st.as_str().to_string(), count: report.count(st) })
            .collect();
        let severities = Severity::ALL
            .iter()
            .map(|&sev| Count {
                key: sev.as_str(),
                label: sev.as_str().to_string(),
                count: s.failing_by_severity.get(&sev).copied().unwrap_or(0),
            })
            .collect();

        let count_by = |key: &dyn Fn(&Finding) -> String| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for f in &report.findings {
                *counts.entry(key(f)).or_default() += 1;
            }
            counts
        };
        let severity_choices = Severity::ALL
            .iter()
            .map(|&sev| Choice {
                value: sev.as_str().to_string(),
                label: sev.as_str().to_string(),
                count: report.findings.iter().filter(|f| f.severity == sev).count(),
                checked: true,
            })
            .collect();
        let status_choices = STATUSES
            .iter()
            .map(|&st| Choice {
                value: status_key(st).to_string(),
                label: st.as_str().to_string(),
                count: report.count(st),
                // PASS findings are there, but hidden until asked for, as in the table format.
                checked: st != Status::Pass,
            })
            .collect();
        let choices = |counts: BTreeMap<String, usize>| -> Vec<Choice> {
            counts
                .into_iter()
                .map(|(value, count)| Choice { label: value.clone(), value, count, checked: true })
                .collect()
        };
        let services = choices(count_by(&|f: &Finding| f.service.clone()));
        let regions = choices(count_by(&|f: &Finding| f.region.clone()));

        // The remediation of each check, converted once.
        let mut remediations: BTreeMap<&str, Option<String>> = BTreeMap::new();
        for f in &report.findings {
            remediations.entry(&f.check_id).or_insert_with(|| remediation_html(&f.check_id));
        }
        let rows = report
            .findings
            .iter()
            .map(|f| Row {
                severity: f.severity.as_str(),
                status: f.status.as_str(),
                status_key: status_key(f.status),
                check_id: f.check_id.clone(),
                title: f.title.clone(),
                service: f.service.clone(),
                region: f.region.clone(),
                resource_label: f.resource.name.clone().unwrap_or_else(|| f.resource.id.clone()),
                resource_uid: f.resource.uid.clone(),
                resource_kind: f.resource.kind.clone(),
                message: f.message.clone(),
                // An UNKNOWN finding's message already gives the reason.
                detail: f.muted.as_ref().map(|m| format!("Muted ({} before): {}", m.underlying_status, m.reason)),
                compliance: f.compliance.clone(),
                remediation: remediations.get(f.check_id.as_str()).cloned().flatten(),
                id: f.id.clone(),
            })
            .collect();

        let errors = report
            .collection_errors
            .iter()
            .map(|e| ErrorRow {
                service: e.service.clone(),
                region: e.region.clone(),
                resource: e.resource.clone().unwrap_or_default(),
                operation: e.reason.operation.clone(),
                cause: match &e.reason.code {
                    Some(code) => format!("{} ({code})", e.reason.cause.label()),
                    None => e.reason.cause.label().to_string(),
                },
                message: e.reason.message.clone(),
            })
            .collect();

        Page {
            title: format!("awsaudit: account {}", report.account_id),
            subtitle: format!(
                "awsaudit report · account {} · {} region{} · {} {when}",
                report.account_id,
                s.regions,
                if s.regions == 1 { "" } else { "s" },
                if report.source == "snapshot" { "snapshot taken" } else { "collected" },
            ),
            headline: if fail == 0 {
                "No failing findings".to_string()
            } else {
                format!("{fail} failing finding{}", if fail == 1 { "" } else { "s" })
            },
            generator: report.generator.clone(),
            facts,
            statuses,
            severities,
            severity_choices,
            status_choices,
            services,
            regions,
            rows,
            errors,
            skipped: report.skipped_checks.iter().map(|s| (s.check_id.clone(), s.reason.clone())).collect(),
            compliance: compliance_sections(report),
            warnings: report.warnings.iter().map(ToString::to_string).collect(),
        }
    }
}

fn status_key(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Unknown => "unknown",
        Status::Muted => "muted",
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".to_string() } else { items.join(", ") }
}

fn duration(ms: u64, source: &str) -> String {
    if ms == 0 && source != "live" {
        return "not collected in this run (snapshot)".to_string();
    }
    let secs = ms / 1000;
    match secs {
        0 => format!("{ms} ms"),
        1..60 => format!("{}.{} s", secs, (ms % 1000) / 100),
        _ => format!("{} min {} s", secs / 60, secs % 60),
    }
}

fn api_calls(total: u64, by_service: &BTreeMap<String, u64>) -> String {
    if by_service.is_empty() {
        return total.to_string();
    }
    let parts: Vec<String> = by_service.iter().map(|(service, n)| format!("{service} {n}")).collect();
    format!("{total} ({})", parts.join(", "))
}

/// The `## Remediation` section of the check's documentation as HTML, and its references as links.
fn remediation_html(check_id: &str) -> Option<String> {
    let documentation = crate::checks::find(check_id)?.meta().documentation();
    let remediation = doc_section(&documentation, "Remediation")?;
    let mut html = markdown_to_html(&remediation);
    if let Some(references) = doc_section(&documentation, "References") {
        let links: Vec<String> = references
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .map(str::trim)
            .filter(|url| url.starts_with("https://"))
            .map(|url| {
                let url = escape(url);
                format!("<li><a href=\"{url}\" rel=\"noopener noreferrer\">{url}</a></li>")
            })
            .collect();
        if !links.is_empty() {
            html.push_str(&format!("<p class=\"refs\">References:</p><ul class=\"refs\">{}</ul>", links.concat()));
        }
    }
    Some(html)
}

/// HTML-escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The little Markdown check documentation uses, as HTML: paragraphs, `- ` lists, fenced code blocks and
/// `inline code`. Everything else is text. All text is escaped before any tag is added.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut code: Option<Vec<&str>> = None;

    fn flush(out: &mut String, paragraph: &mut Vec<String>, list: &mut Vec<String>) {
        if !paragraph.is_empty() {
            out.push_str(&format!("<p>{}</p>", inline(&paragraph.join(" "))));
            paragraph.clear();
        }
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|item| format!("<li>{}</li>", inline(item))).collect();
            out.push_str(&format!("<ul>{}</ul>", items.concat()));
            list.clear();
        }
    }

    for line in markdown.lines() {
        if let Some(block) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push_str(&format!("<pre><code>{}</code></pre>", escape(&block.join("\n"))));
                code = None;
            } else {
                block.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut out, &mut paragraph, &mut list);
            code = Some(Vec::new());
        } else if trimmed.is_empty() {
            flush(&mut out, &mut paragraph, &mut list);
        } else if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            if !paragraph.is_empty() {
                let text = paragraph.join(" ");
                paragraph.clear();
                out.push_str(&format!("<p>{}</p>", inline(&text)));
            }
            list.push(item.to_string());
        } else if !list.is_empty() && line.starts_with(' ') {
            // A continuation line of the last list item.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            if !list.is_empty() {
                flush(&mut out, &mut Vec::new(), &mut list);
            }
            paragraph.push(trimmed.to_string());
        }
    }
    if let Some(block) = code {
        // An unclosed fence: keep the text.
        out.push_str(&format!("<pre><code>{}</code></pre>", escape(&block.join("\n"))));
    }
    flush(&mut out, &mut paragraph, &mut list);
    out
}

/// Escapes the text and turns `` `code` `` spans into `<code>`.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks leaves the last one as text.
    let paired = if parts.len() % 2 == 0 { parts.len() - 1 } else { parts.len() };
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i >= paired {
            out.push('`');
            out.push_str(&escape(part));
        } else if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cause, CollectionError, UnknownReason};
    use crate::report::testdata;

    #[test]
    fn golden() {
        testdata::assert_golden("html", &render(&testdata::report()));
    }

    #[test]
    fn compliance_tables_only_when_selected() {
        let mut report = testdata::every_check_report();
        assert!(!render(&report).contains("class=\"compliance\""));
        let checks: Vec<&'static dyn crate::check::DynCheck> = crate::checks::REGISTRY.to_vec();
        report.compliance =
            crate::compliance::summarize(&["cis-5.0".into()], &checks, &report.skipped_checks, &report.findings);
        let html = render(&report);
        assert!(html.contains("<h2>Compliance cis-5.0 ("), "{html}");
        assert!(!html.contains("Compliance fsbp"));
        let rows = html.matches("<tr><td class=\"mono\">").count();
        assert!(rows >= report.compliance.len(), "{rows} rows");
    }

    /// The fixed report with a collection error, a skipped check and a warning, and hostile text.
    fn eventful() -> Report {
        let mut report = testdata::report();
        report.collection_errors.push(CollectionError {
            service: "ec2".to_string(),
            region: "us-east-1".to_string(),
            resource: None,
            reason: UnknownReason::new(Cause::Throttled, "ec2:DescribeVpcs", "Rate <b>exceeded</b>")
                .with_code("Throttling"),
        });
        report.summary.collection_errors = 1;
        report.skipped_checks.push(crate::engine::SkippedCheck {
            check_id: "kms_key_rotation_enabled".to_string(),
            reason: "no KMS data in the snapshot".to_string(),
        });
        report.findings[0].message = "<script>alert('x')</script> & \"quoted\"".to_string();
        report.findings[1].resource.name = Some("<img src=x onerror=alert(1)>".to_string());
        report
    }

    #[test]
    fn is_self_contained() {
        let html = render(&eventful());
        let lower = html.to_lowercase();
        for needle in ["<script src", "<link", "@import", "url(", "<iframe", "<img"] {
            assert!(!lower.contains(needle), "the page contains {needle}");
        }
        // The only absolute URLs are the documentation links of the checks' references.
        for (i, _) in lower.match_indices("http") {
            let before = &lower[..i];
            assert!(before.ends_with("<a href=\"") || before.ends_with("\">"), "a URL outside a link at {i}");
        }
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("<style>") && html.contains("<script>"));
    }

    #[test]
    fn escapes_everything_from_the_report() {
        let html = render(&eventful());
        assert!(!html.contains("<script>alert"));
        // askama writes numeric character references.
        assert!(html.contains("&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#34;quoted&#34;"));
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("<b>exceeded"));
        assert!(html.contains("Rate &#60;b&#62;exceeded&#60;/b&#62;"));
        assert!(html.contains("&#60;img src=x onerror=alert(1)&#62;"));
    }

    #[test]
    fn every_finding_has_a_row_with_filter_attributes() {
        let report = eventful();
        let html = render(&report);
        let rows: Vec<&str> = html.split("<tr class=\"finding\"").skip(1).collect();
        assert_eq!(rows.len(), report.findings.len());
        for (row, f) in rows.iter().zip(&report.findings) {
            assert!(row.contains(&format!("data-severity=\"{}\"", f.severity)), "{row}");
            assert!(row.contains(&format!("data-status=\"{}\"", f.status.as_str().to_lowercase())), "{row}");
            assert!(row.contains(&format!("data-service=\"{}\"", f.service)), "{row}");
            assert!(row.contains(&format!("data-region=\"{}\"", f.region)), "{row}");
            assert!(row.contains(&f.check_id), "{row}");
        }
        // Remediation of a documented check, rendered from its Markdown.
        assert!(rows[0].contains("<pre><code>aws s3api put-bucket-ownership-controls"), "{}", rows[0]);
        // No remediation for a check this build does not know.
        assert!(!rows[rows.len() - 1].contains("<details"));
    }

    #[test]
    fn has_the_filters_and_summary() {
        let report = eventful();
        let html = render(&report);
        for filter in ["severity", "status", "service", "region"] {
            assert!(html.contains(&format!("data-filter=\"{filter}\"")), "no {filter} filter");
        }
        for severity in Severity::ALL {
            assert!(html.contains(&format!("name=\"severity\" value=\"{severity}\"")));
        }
        for value in ["s3", "iam", "ec2", "global", "eu-west-1", "us-east-1"] {
            assert!(html.contains(&format!("value=\"{value}\"")), "no option {value}");
        }
        assert!(html.contains("id=\"search\""));
        // Counts by status, the account, the collection error and the skipped check.
        assert!(html.contains("<span class=\"n\">5</span> <span class=\"label\">FAIL</span>"), "{html}");
        assert!(html.contains(testdata::ACCOUNT));
        assert!(html.contains("ec2:DescribeVpcs") && html.contains("throttled (Throttling)"));
        assert!(html.contains("kms_key_rotation_enabled"));
    }

    #[test]
    fn markdown() {
        assert_eq!(
            markdown_to_html("Run `a <b>`:\n```sh\nx && y\n```\n- one\n  more\n- two\n\nEnd & done."),
            "<p>Run <code>a &lt;b&gt;</code>:</p><pre><code>x &amp;&amp; y</code></pre>\
             <ul><li>one more</li><li>two</li></ul><p>End &amp; done.</p>"
        );
        assert_eq!(markdown_to_html("odd ` tick"), "<p>odd ` tick</p>");
        assert_eq!(markdown_to_html("```\nunclosed <"), "<pre><code>unclosed &lt;</code></pre>");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(0, "snapshot"), "not collected in this run (snapshot)");
        assert_eq!(duration(450, "live"), "450 ms");
        assert_eq!(duration(12_345, "live"), "12.3 s");
        assert_eq!(duration(125_000, "live"), "2 min 5 s");
    }
}
