//! IAM (global, collected once): roles, users, groups and customer-managed policies from one paginated
//! `GetAccountAuthorizationDetails` call family, plus the account-wide settings (password policy, account
//! summary) and the credential report.

use super::scope::{self, Scope};
use super::session::client;
use crate::model::{
    AccessKey, AttachedPolicy, Cause, Credentials, Field, IamGroup, IamManagedPolicy, IamPasswordPolicy, IamRole,
    IamRootUser, IamUser, InlinePolicy, PasswordPolicy, PolicyDocument, ResourceKind, UnknownReason,
};
use aws_sdk_iam::types::{EntityType, SummaryKeyType};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use std::collections::{BTreeMap, HashMap};

/// Customer-managed policies whose tags are read at once.
const POLICY_CONCURRENCY: usize = 16;
/// The credential report's row for the root user.
const ROOT_ROW: &str = "<root_account>";
const REPORT_OPERATION: &str = "iam:GetCredentialReport";
const AUTH_DETAILS: &str = "iam:GetAccountAuthorizationDetails";

pub async fn collect(scope: Scope) {
    let iam = client!(&scope.session, aws_sdk_iam, "iam", &scope.region);
    let account = scope.account_id.to_string();
    let (details, password_policy, summary, report) = tokio::join!(
        scope.pages(
            "GetAccountAuthorizationDetails",
            iam.get_account_authorization_details()
                .filter(EntityType::User)
                .filter(EntityType::Role)
                .filter(EntityType::Group)
                .filter(EntityType::LocalManagedPolicy)
                .into_paginator()
                .send(),
        ),
        scope.fetch(
            "GetAccountPasswordPolicy",
            &account,
            &["NoSuchEntity"],
            iam.get_account_password_policy().send(),
            |out| {
                out.password_policy()
                    .map(|p| PasswordPolicy {
                        minimum_length: p.minimum_password_length(),
                        require_symbols: p.require_symbols(),
                        require_numbers: p.require_numbers(),
                        require_uppercase: p.require_uppercase_characters(),
                        require_lowercase: p.require_lowercase_characters(),
                        allow_users_to_change: p.allow_users_to_change_password(),
                        expire_passwords: p.expire_passwords(),
                        max_age_days: p.max_password_age(),
                        reuse_prevention: p.password_reuse_prevention(),
                        hard_expiry: p.hard_expiry(),
                    })
                    .into()
            },
        ),
        scope.call("GetAccountSummary", Some(&account), iam.get_account_summary().send()),
        credential_report(&scope, &iam),
    );

    // The account-wide pseudo-resources.
    let arn = format!("arn:{}:iam::{account}:account-password-policy", scope.partition);
    scope.add(scope.resource(account.clone(), arn, None, Field::Absent, IamPasswordPolicy { policy: password_policy }));
    scope.listed(ResourceKind::IamPasswordPolicy, Ok(()));

    let summary_flag = |key: SummaryKeyType| -> Field<bool> {
        match &summary {
            Ok(out) => match out.summary_map().and_then(|m| m.get(&key)) {
                Some(value) => Field::Known(*value > 0),
                None => {
                    let reason = UnknownReason::new(
                        Cause::Malformed,
                        "iam:GetAccountSummary",
                        format!("the account summary has no {} entry", key.as_str()),
                    );
                    scope.record(Some(&account), reason.clone());
                    Field::Unknown(reason)
                }
            },
            Err(reason) => Field::Unknown(reason.clone()),
        }
    };
    let root_credentials = match &report {
        Ok(report) => match report.rows.get(ROOT_ROW) {
            Some(Ok(credentials)) => Field::Known(credentials.clone()),
            Some(Err(problem)) => {
                malformed(&scope, &account, REPORT_OPERATION, format!("the {ROOT_ROW} row {problem}"))
            }
            None => {
                malformed(&scope, &account, REPORT_OPERATION, format!("the credential report has no {ROOT_ROW} row"))
            }
        },
        Err(reason) => Field::Unknown(reason.clone()),
    };
    let root = IamRootUser {
        mfa_enabled: summary_flag(SummaryKeyType::AccountMfaEnabled),
        access_keys_present: summary_flag(SummaryKeyType::AccountAccessKeysPresent),
        credentials: root_credentials,
    };
    let arn = format!("arn:{}:iam::{account}:root", scope.partition);
    scope.add(scope.resource(account.clone(), arn, Some("root".into()), Field::Absent, root));
    scope.listed(ResourceKind::IamRootUser, Ok(()));

    let pages = match details {
        Ok(pages) => pages,
        Err(reason) => {
            for kind in
                [ResourceKind::IamRole, ResourceKind::IamUser, ResourceKind::IamGroup, ResourceKind::IamManagedPolicy]
            {
                scope.listed(kind, Err(reason.clone()));
            }
            return;
        }
    };

    for role in pages.iter().flat_map(|p| p.role_detail_list()) {
        let Some(name) = role.role_name() else { continue };
        let path = role.path().unwrap_or("/").to_string();
        let arn = role.arn().map(String::from).unwrap_or_else(|| iam_arn(&scope, "role", &path, name));
        let assume_role_policy = match role.assume_role_policy_document() {
            Some(text) => document(&scope, name, AUTH_DETAILS, text),
            None => Field::Absent,
        };
        let properties = IamRole {
            path,
            create_date: scope::time(role.create_date()),
            assume_role_policy,
            inline_policies: inline(&scope, name, role.role_policy_list()),
            attached_policies: attached(role.attached_managed_policies()),
            instance_profile_arns: role.instance_profile_list().iter().map(|p| p.arn().to_string()).collect(),
            last_used: role.role_last_used().and_then(|u| scope::time(u.last_used_date())),
            permissions_boundary_arn: role
                .permissions_boundary()
                .and_then(|b| b.permissions_boundary_arn())
                .map(String::from),
        };
        let tags = Field::Known(scope::tags(role.tags().iter().map(|t| (Some(t.key()), Some(t.value())))));
        scope.add(scope.resource(name, arn, Some(name.to_string()), tags, properties));
    }
    scope.listed(ResourceKind::IamRole, Ok(()));

    for user in pages.iter().flat_map(|p| p.user_detail_list()) {
        let Some(name) = user.user_name() else { continue };
        let path = user.path().unwrap_or("/").to_string();
        let arn = user.arn().map(String::from).unwrap_or_else(|| iam_arn(&scope, "user", &path, name));
        let credentials = match &report {
            Ok(report) => match report.rows.get(name) {
                Some(Ok(credentials)) => Field::Known(credentials.clone()),
                Some(Err(problem)) => {
                    malformed(&scope, name, REPORT_OPERATION, format!("the row of user {name} {problem}"))
                }
                None => {
                    let reason = UnknownReason::new(
                        Cause::Dependency,
                        REPORT_OPERATION,
                        format!(
                            "the credential report has no row for user {name} (created after the report was \
                             generated?): run `aws iam generate-credential-report` and audit again"
                        ),
                    );
                    scope.record(Some(name), reason.clone());
                    Field::Unknown(reason)
                }
            },
            Err(reason) => Field::Unknown(reason.clone()),
        };
        let properties = IamUser {
            path,
            create_date: scope::time(user.create_date()),
            inline_policies: inline(&scope, name, user.user_policy_list()),
            attached_policies: attached(user.attached_managed_policies()),
            groups: user.group_list().to_vec(),
            credentials,
        };
        let tags = Field::Known(scope::tags(user.tags().iter().map(|t| (Some(t.key()), Some(t.value())))));
        scope.add(scope.resource(name, arn, Some(name.to_string()), tags, properties));
    }
    scope.listed(ResourceKind::IamUser, Ok(()));

    for group in pages.iter().flat_map(|p| p.group_detail_list()) {
        let Some(name) = group.group_name() else { continue };
        let path = group.path().unwrap_or("/").to_string();
        let arn = group.arn().map(String::from).unwrap_or_else(|| iam_arn(&scope, "group", &path, name));
        let properties = IamGroup {
            path,
            inline_policies: inline(&scope, name, group.group_policy_list()),
            attached_policies: attached(group.attached_managed_policies()),
        };
        // IAM groups cannot be tagged.
        scope.add(scope.resource(name, arn, Some(name.to_string()), Field::Absent, properties));
    }
    scope.listed(ResourceKind::IamGroup, Ok(()));

    // Customer-managed policies; their tags are not part of the authorization details.
    let policies: Vec<_> = pages.iter().flat_map(|p| p.policies()).collect();
    let arns: Vec<String> = policies.iter().filter_map(|p| p.arn().map(String::from)).collect();
    let tags: HashMap<String, Field<BTreeMap<String, String>>> = stream::iter(arns)
        .map(|arn| policy_tags(&scope, &iam, arn))
        .buffer_unordered(POLICY_CONCURRENCY)
        .collect()
        .await;
    for policy in policies {
        // The ARN ends with the name: it stands in when `PolicyName` is missing.
        let Some(name) = policy.policy_name().or_else(|| policy.arn().and_then(name_from_arn)) else { continue };
        let path = policy.path().unwrap_or("/").to_string();
        let arn = policy.arn().map(String::from).unwrap_or_else(|| iam_arn(&scope, "policy", &path, name));
        let default_version_id = policy.default_version_id().map(String::from);
        let default_version = policy.policy_version_list().iter().find(|v| {
            v.is_default_version() || (v.version_id().is_some() && v.version_id() == policy.default_version_id())
        });
        let document = match default_version.and_then(|v| v.document()) {
            Some(text) => document(&scope, name, AUTH_DETAILS, text),
            None => malformed(&scope, name, AUTH_DETAILS, "the policy's default version has no document".to_string()),
        };
        let properties = IamManagedPolicy {
            path,
            default_version_id,
            attachment_count: policy.attachment_count().unwrap_or(0),
            document,
        };
        let tags = tags.get(&arn).cloned().unwrap_or_else(|| {
            Field::Unknown(UnknownReason::new(Cause::Malformed, "iam:ListPolicyTags", "the policy has no ARN"))
        });
        scope.add(scope.resource(name, arn, Some(name.to_string()), tags, properties));
    }
    scope.listed(ResourceKind::IamManagedPolicy, Ok(()));
}

async fn policy_tags(
    scope: &Scope,
    iam: &aws_sdk_iam::Client,
    arn: String,
) -> (String, Field<BTreeMap<String, String>>) {
    let pages = scope.pages("ListPolicyTags", iam.list_policy_tags().policy_arn(&arn).into_paginator().send()).await;
    let tags = match pages {
        Ok(pages) => {
            Field::Known(scope::tags(pages.iter().flat_map(|p| p.tags()).map(|t| (Some(t.key()), Some(t.value())))))
        }
        Err(reason) => Field::Unknown(reason),
    };
    (arn, tags)
}

/// The last segment of an IAM ARN's resource part (`arn:aws:iam::1:policy/path/name` → `name`).
fn name_from_arn(arn: &str) -> Option<&str> {
    arn.split(':').nth(5)?.rsplit('/').next().filter(|n| !n.is_empty())
}

/// `arn:{partition}:iam::{account}:{kind}{path}{name}`, for the rare entity AWS returns without an ARN.
fn iam_arn(scope: &Scope, kind: &str, path: &str, name: &str) -> String {
    format!("arn:{}:iam::{}:{kind}{path}{name}", scope.partition, scope.account_id)
}

fn malformed<T>(scope: &Scope, resource: &str, operation: &str, message: String) -> Field<T> {
    let reason = UnknownReason::new(Cause::Malformed, operation, message);
    scope.record(Some(resource), reason.clone());
    Field::Unknown(reason)
}

fn inline(scope: &Scope, owner: &str, policies: &[aws_sdk_iam::types::PolicyDetail]) -> Vec<InlinePolicy> {
    policies
        .iter()
        .map(|p| {
            let name = p.policy_name().unwrap_or_default().to_string();
            let document = match p.policy_document() {
                Some(text) => document(scope, owner, AUTH_DETAILS, text),
                None => Field::Absent,
            };
            InlinePolicy { name, document }
        })
        .collect()
}

fn attached(policies: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<AttachedPolicy> {
    policies
        .iter()
        .filter_map(|p| {
            Some(AttachedPolicy {
                name: p.policy_name().unwrap_or_default().to_string(),
                arn: p.policy_arn()?.to_string(),
            })
        })
        .collect()
}

/// An IAM policy document; unreadable ones are unknown (and recorded against `resource`).
fn document(scope: &Scope, resource: &str, operation: &str, text: &str) -> Field<PolicyDocument> {
    match decode_policy(text) {
        Ok(doc) => Field::Known(doc),
        Err(problem) => {
            let reason = UnknownReason::new(Cause::Malformed, operation, format!("policy document {problem}"));
            scope.record(Some(resource), reason.clone());
            Field::Unknown(reason)
        }
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986); a document that already starts as a JSON object is
/// taken as it is.
fn decode_policy(text: &str) -> Result<PolicyDocument, String> {
    let trimmed = text.trim_start();
    let decoded = if trimmed.starts_with('{') {
        std::borrow::Cow::Borrowed(trimmed)
    } else {
        percent_encoding::percent_decode_str(trimmed)
            .decode_utf8()
            .map_err(|e| format!("is not URL-encoded UTF-8: {e}"))?
    };
    PolicyDocument::parse(&decoded).map_err(|e| format!("is not valid JSON: {e}"))
}

/// The credential report: each row's parsed credentials, or what is wrong with the row, by user name.
#[derive(Debug, Default)]
struct CredentialReport {
    rows: BTreeMap<String, Result<Credentials, String>>,
}

/// Reads the credential report. awsaudit only makes read calls: it never asks IAM to generate one, it tells the
/// operator how to.
async fn credential_report(scope: &Scope, iam: &aws_sdk_iam::Client) -> Result<CredentialReport, UnknownReason> {
    let result = {
        let _permit = scope.session.permits.acquire().await;
        iam.get_credential_report().send().await
    };
    let reason = match result {
        Ok(out) => {
            let content = out.content().map(|c| c.as_ref()).unwrap_or_default();
            match parse_credential_report(content) {
                Ok(report) => return Ok(report),
                Err(problem) => UnknownReason::new(Cause::Malformed, REPORT_OPERATION, problem),
            }
        }
        Err(err) => {
            let mut reason = scope::classify(REPORT_OPERATION, &err);
            if let Some(hint) = err.code().and_then(report_hint) {
                reason.message = hint.to_string();
            }
            reason
        }
    };
    scope.record(None, reason.clone());
    Err(reason)
}

/// What to tell the operator when IAM has no usable credential report.
fn report_hint(code: &str) -> Option<&'static str> {
    match code {
        "ReportNotPresent" => Some(
            "the account has no credential report: generate one with `aws iam generate-credential-report` and \
             audit again (awsaudit only makes read calls)",
        ),
        "ReportExpired" => Some(
            "the credential report has expired: generate a new one with `aws iam generate-credential-report` and \
             audit again (awsaudit only makes read calls)",
        ),
        "ReportInProgress" => Some("the credential report is still being generated: wait a minute and audit again"),
        _ => None,
    }
}

/// Parses the credential report CSV (columns found by header name). A report whose header lacks a needed
/// column is malformed as a whole; a row with an unreadable value is malformed on its own.
fn parse_credential_report(content: &[u8]) -> Result<CredentialReport, String> {
    const REQUIRED: [&str; 4] = ["user", "password_enabled", "mfa_active", "access_key_1_active"];
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(content);
    let header = reader.headers().map_err(|e| format!("the credential report is not CSV: {e}"))?.clone();
    if header.is_empty() || (header.len() == 1 && header.get(0) == Some("")) {
        return Err("the credential report is empty".into());
    }
    let columns: HashMap<&str, usize> = header.iter().enumerate().map(|(i, name)| (name, i)).collect();
    if let Some(missing) = REQUIRED.iter().find(|c| !columns.contains_key(**c)) {
        return Err(format!("the credential report has no `{missing}` column"));
    }

    let mut report = CredentialReport::default();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("the credential report is not readable CSV: {e}"))?;
        let Some(user) = columns.get("user").and_then(|i| record.get(*i)).filter(|u| !u.is_empty()) else { continue };
        let row = Row { record: &record, columns: &columns };
        let parsed = if record.len() < header.len() {
            Err(format!("has {} fields where the header has {} (line {})", record.len(), header.len(), line + 2))
        } else {
            row.credentials()
        };
        report.rows.insert(user.to_string(), parsed);
    }
    Ok(report)
}

struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'a str, usize>,
}

impl Row<'_> {
    fn value(&self, column: &str) -> Option<&str> {
        self.columns.get(column).and_then(|i| self.record.get(*i))
    }

    fn flag(&self, column: &str) -> Result<bool, String> {
        match self.value(column) {
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") || no_value(v) => Ok(false),
            None => Ok(false),
            Some(v) => Err(format!("has `{v}` in `{column}` where true/false was expected")),
        }
    }

    fn date(&self, column: &str) -> Result<Option<DateTime<Utc>>, String> {
        match self.value(column) {
            None => Ok(None),
            Some(v) if no_value(v) => Ok(None),
            Some(v) => DateTime::parse_from_rfc3339(v)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|e| format!("has `{v}` in `{column}` where a date was expected: {e}")),
        }
    }

    fn credentials(&self) -> Result<Credentials, String> {
        let mut access_keys = Vec::new();
        for slot in [1u8, 2] {
            let active = self.flag(&format!("access_key_{slot}_active"))?;
            let last_rotated = self.date(&format!("access_key_{slot}_last_rotated"))?;
            let last_used = self.date(&format!("access_key_{slot}_last_used_date"))?;
            // A slot that is neither active nor was ever rotated holds no key.
            if active || last_rotated.is_some() {
                access_keys.push(AccessKey { slot, active, last_rotated, last_used });
            }
        }
        Ok(Credentials {
            password_enabled: self.flag("password_enabled")?,
            password_last_used: self.date("password_last_used")?,
            password_last_changed: self.date("password_last_changed")?,
            mfa_active: self.flag("mfa_active")?,
            access_keys,
        })
    }
}

/// The report's markers for "nothing here".
fn no_value(v: &str) -> bool {
    v.is_empty() || v == "N/A" || v == "no_information" || v == "not_supported"
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,\
password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,\
access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,\
cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    fn at(y: i32, mo: u32, d: u32) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(y, mo, d, 0, 0, 0).single()
    }

    #[test]
    fn credential_report_rows() {
        let csv = format!(
            "{HEADER}\n\
<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-10-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
alice,arn:aws:iam::123456789012:user/alice,2021-01-01T00:00:00+00:00,true,no_information,2021-01-01T00:00:00Z,N/A,false,true,2022-03-04T00:00:00+00:00,2026-10-30T00:00:00+00:00,eu-west-1,s3,false,2023-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n\
bob,arn:aws:iam::123456789012:user/bob,2021-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
short,arn:aws:iam::123456789012:user/short,2021-01-01T00:00:00+00:00,true\n\
baddate,arn:aws:iam::123456789012:user/baddate,2021-01-01T00:00:00+00:00,true,yesterday,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
\n"
        );
        let report = parse_credential_report(csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));

        let root = report.rows[ROOT_ROW].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert!(!root.password_enabled && root.mfa_active && root.access_keys.is_empty());
        assert_eq!(root.password_last_used, at(2026, 10, 1));
        assert_eq!(root.password_last_changed, None);

        let alice = report.rows["alice"].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert!(alice.password_enabled && !alice.mfa_active);
        assert_eq!(alice.password_last_used, None);
        assert_eq!(alice.password_last_changed, at(2021, 1, 1));
        assert_eq!(
            alice.access_keys,
            vec![
                AccessKey { slot: 1, active: true, last_rotated: at(2022, 3, 4), last_used: at(2026, 10, 30) },
                AccessKey { slot: 2, active: false, last_rotated: at(2023, 1, 1), last_used: None },
            ]
        );

        let bob = report.rows["bob"].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bob, &Credentials::default());

        assert!(report.rows["short"].as_ref().is_err_and(|e| e.contains("fields")));
        assert!(report.rows["baddate"].as_ref().is_err_and(|e| e.contains("yesterday")));
        assert_eq!(report.rows.len(), 5);
    }

    #[test]
    fn credential_report_without_needed_columns_or_content() {
        assert!(parse_credential_report(b"").is_err());
        assert!(
            parse_credential_report(b"user,arn\nalice,arn:aws:iam::1:user/alice\n")
                .is_err_and(|e| e.contains("password_enabled"))
        );
        let report = parse_credential_report(format!("{HEADER}\n").as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.rows.is_empty());
    }

    #[test]
    fn policy_documents_are_url_decoded() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C\
%22Action%22%3A%22s3%3AGet%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Amy%20bucket%2F%2A%22%7D%5D%7D";
        let doc = decode_policy(encoded).unwrap_or_else(|e| panic!("{e}"));
        let statements = doc.statements();
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].actions, vec!["s3:Get*"]);
        assert_eq!(statements[0].resources, vec!["arn:aws:s3:::my bucket/*"]);

        // Already-decoded JSON (some emulators) is taken as it is, `%` and all.
        let raw = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%25"}]}"#;
        let doc = decode_policy(raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.statements()[0].resources, vec!["arn:aws:s3:::b/100%25"]);

        assert!(decode_policy("%7Bnot json").is_err_and(|e| e.contains("JSON")));
        assert!(decode_policy("%FF%FE").is_err_and(|e| e.contains("UTF-8")));
    }

    #[test]
    fn names_from_arns() {
        assert_eq!(name_from_arn("arn:aws:iam::123456789012:policy/app/team/read-only"), Some("read-only"));
        assert_eq!(name_from_arn("arn:aws:iam::123456789012:policy/boundary"), Some("boundary"));
        assert_eq!(name_from_arn("arn:aws:iam::123456789012:policy/"), None);
        assert_eq!(name_from_arn("not-an-arn"), None);
    }

    #[test]
    fn report_hints_name_the_generate_command() {
        assert!(report_hint("ReportNotPresent").is_some_and(|h| h.contains("generate-credential-report")));
        assert!(report_hint("ReportExpired").is_some_and(|h| h.contains("generate-credential-report")));
        assert!(report_hint("ReportInProgress").is_some());
        assert_eq!(report_hint("AccessDenied"), None);
    }
}
