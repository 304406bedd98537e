//! CSV: one row per finding (every status), a header row, and a fixed column order. Quoting follows RFC 4180
//! (the `csv` crate): a field with a comma, a quote or a line break is quoted and its quotes doubled.

use super::Report;
use crate::finding::Finding;

/// The columns, in order. Only ever appended to, so scripts can address columns by position.
pub const COLUMNS: [&str; 16] = [
    "id",
    "check_id",
    "title",
    "service",
    "severity",
    "status",
    "account_id",
    "region",
    "resource_kind",
    "resource_id",
    "resource_uid",
    "resource_name",
    "message",
    "unknown_reason",
    "muted_reason",
    "compliance",
];

pub fn render(report: &Report) -> String {
    // Writing strings into memory cannot fail (no I/O, and every field is already UTF-8).
    write(report).unwrap_or_default()
}

fn write(report: &Report) -> Result<String, Box<dyn std::error::Error>> {
    let mut writer = ::csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for finding in &report.findings {
        writer.write_record(row(finding))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes)?)
}

fn row(f: &Finding) -> [String; 16] {
    [
        f.id.clone(),
        f.check_id.clone(),
        f.title.clone(),
        f.service.clone(),
        f.severity.to_string(),
        f.status.to_string(),
        f.account_id.clone(),
        f.region.clone(),
        f.resource.kind.clone(),
        f.resource.id.clone(),
        f.resource.uid.clone(),
        f.resource.name.clone().unwrap_or_default(),
        f.message.clone(),
        f.unknown_reason.as_ref().map(ToString::to_string).unwrap_or_default(),
        f.muted.as_ref().map(|m| m.reason.clone()).unwrap_or_default(),
        f.compliance.join(" "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn golden() {
        testdata::assert_golden("csv", &render(&testdata::report()));
    }

    #[test]
    fn parses_back_one_row_per_finding() {
        let report = testdata::report();
        let text = render(&report);
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap_or_else(|e| panic!("{e}")).clone();
        assert_eq!(headers.iter().collect::<Vec<_>>(), COLUMNS);
        let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect();
        assert_eq!(rows.len(), report.findings.len());
        for (row, finding) in rows.iter().zip(&report.findings) {
            assert_eq!(row.len(), COLUMNS.len());
            assert_eq!(&row[0], finding.id);
            assert_eq!(&row[5], finding.status.as_str());
            // Messages with quotes, commas, pipes and line breaks come back unchanged.
            assert_eq!(&row[12], finding.message);
        }
        let muted = rows.iter().find(|r| &r[5] == "MUTED").unwrap_or_else(|| panic!("no MUTED row"));
        assert_eq!(&muted[14], "scratch bucket, recreated nightly");
        let unknown = rows.iter().find(|r| &r[5] == "UNKNOWN").unwrap_or_else(|| panic!("no UNKNOWN row"));
        assert_eq!(&unknown[13], "s3:GetPublicAccessBlock: access denied (AccessDenied): User is not authorized");
        assert_eq!(&rows[0][15], "fsbp:S3.2 fsbp:S3.3");
    }

    #[test]
    fn empty_report_has_only_the_header() {
        let mut report = testdata::report();
        report.findings.clear();
        assert_eq!(render(&report), COLUMNS.join(",") + "\n");
    }
}
