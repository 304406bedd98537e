use super::super::prelude::*;
use super::shared::{age_days, credentials, days, validate_days};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags IAM users with a console password or an active access key that has not been used for `days` days or
    /// more, from the credential report. A credential that was never used counts from when it was created: the
    /// password from `password_last_changed` (or the user's creation date), the key from its
    /// `access_key_N_last_rotated` date. Disabled passwords and inactive keys are ignored.
    ///
    /// ## Why is this bad?
    /// A credential nobody uses is pure risk: it still works for whoever finds it, and nobody will notice it being
    /// used. Unused credentials are typically left behind by people who changed role or left, by retired
    /// integrations, or by keys created "just in case".
    ///
    /// ## Remediation
    /// Deactivate the key or remove the password (keep the user until you are sure nothing breaks, then delete
    /// what is not needed):
    /// ```sh
    /// aws iam update-access-key --user-name old-ci --access-key-id KEY_ID --status Inactive
    /// aws iam delete-login-profile --user-name bob
    /// ```
    /// CloudFormation: set `Status: Inactive` on the `AWS::IAM::AccessKey`, remove `LoginProfile` from the
    /// `AWS::IAM::User`; CDK: `new iam.AccessKey(this, 'K', { user, status: iam.AccessKeyStatus.INACTIVE })`.
    ///
    /// ## Parameters
    /// - `days` (integer > 0, default `45`): a credential unused for this many days or more is flagged.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-22
    pub IamCredentialsUnused {
        id: "iam_credentials_unused",
        title: "IAM user passwords and access keys unused for the allowed period are disabled",
        severity: Severity::Medium,
        service: "iam",
        kinds: &[ResourceKind::IamUser],
        scope: CheckScope::Resource,
        compliance: &[cis("1.11")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// A credential unused for this many days or more is flagged.
    pub days: i64,
}

// Written out (not derived), as for every check's parameters, so the default is visible: CIS's 45 days.
impl Default for Params {
    fn default() -> Self {
        Params { days: 45 }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        validate_days(self.days)
    }
}

/// How one credential stands: used recently, unused (with the wording), or undetermined.
enum Usage {
    Recent,
    Unused(String),
    Undated(String),
}

fn usage(
    what: &str,
    last_used: Option<DateTime<Utc>>,
    created: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    limit: i64,
) -> Usage {
    match (last_used, created) {
        (Some(used), _) if age_days(now, used) >= limit => {
            Usage::Unused(format!("{what} last used {} ago", days(age_days(now, used))))
        }
        (Some(_), _) => Usage::Recent,
        (None, Some(created)) if age_days(now, created) >= limit => {
            Usage::Unused(format!("{what} never used, created {} ago", days(age_days(now, created))))
        }
        (None, Some(_)) => Usage::Recent,
        (None, None) => Usage::Undated(what.to_string()),
    }
}

fn judge(user: &IamUser, cx: &Context<'_>, params: &Params) -> Verdict {
    let c = match credentials(user) {
        Ok(c) => c,
        Err(reason) => return Verdict::Unknown(reason),
    };
    let mut usages = Vec::new();
    if c.password_enabled {
        let set = c.password_last_changed.or(user.create_date);
        usages.push(usage("password", c.password_last_used, set, cx.now, params.days));
    }
    for key in c.access_keys.iter().filter(|k| k.active) {
        usages.push(usage(&format!("access key {}", key.slot), key.last_used, key.last_rotated, cx.now, params.days));
    }
    if usages.is_empty() {
        return Verdict::Pass("the user has no console password and no active access key".into());
    }
    let unused: Vec<&str> =
        usages.iter().filter_map(|u| if let Usage::Unused(m) = u { Some(m.as_str()) } else { None }).collect();
    if !unused.is_empty() {
        return Verdict::Fail(format!("{} (allowed: less than {})", unused.join(", "), days(params.days)));
    }
    let undated: Vec<&str> =
        usages.iter().filter_map(|u| if let Usage::Undated(w) = u { Some(w.as_str()) } else { None }).collect();
    if !undated.is_empty() {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "iam:GetCredentialReport",
            format!(
                "the credential report gives neither a last-use nor a creation date for the {}",
                undated.join(" and ")
            ),
        ));
    }
    Verdict::Pass(format!("every enabled credential was used or created within the last {}", days(params.days)))
}

impl Check for IamCredentialsUnused {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, user) in cx.inventory.iter::<IamUser>() {
            out.verdict(resource, judge(user, cx, params));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use chrono::Duration;
    use serde_json::json;

    fn ago(inv: &Inventory, days: i64) -> Option<DateTime<Utc>> {
        Some(inv.collected_at - Duration::days(days))
    }

    fn key(slot: u8, active: bool, rotated: Option<DateTime<Utc>>, used: Option<DateTime<Utc>>) -> AccessKey {
        AccessKey { slot, active, last_rotated: rotated, last_used: used }
    }

    fn user(credentials: Credentials, created: Option<DateTime<Utc>>) -> IamUser {
        IamUser { credentials: Field::Known(credentials), create_date: created, ..Default::default() }
    }

    fn password(used: Option<DateTime<Utc>>, changed: Option<DateTime<Utc>>) -> Credentials {
        Credentials {
            password_enabled: true,
            password_last_used: used,
            password_last_changed: changed,
            ..Default::default()
        }
    }

    fn message(findings: &[crate::finding::Finding], id: &str) -> String {
        findings.iter().find(|f| f.resource.id == id).map(|f| f.message.clone()).unwrap_or_default()
    }

    #[test]
    fn passwords() {
        let mut inv = inventory();
        let (d10, d44, d45, d300) = (ago(&inv, 10), ago(&inv, 44), ago(&inv, 45), ago(&inv, 300));
        inv.resources.push(resource("active", user(password(d10, d300), d300)));
        inv.resources.push(resource("dormant", user(password(d45, d300), d300)));
        inv.resources.push(resource("new", user(password(None, d44), d44)));
        inv.resources.push(resource("never", user(password(None, d300), d300)));
        // No password change date: the user's creation date stands in.
        inv.resources.push(resource("never-created", user(password(None, None), d300)));
        inv.resources.push(resource("undated", user(password(None, None), None)));
        inv.resources.push(resource("no-password", user(Credentials::default(), d300)));
        let findings = run(&IamCredentialsUnused, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("active".into(), Status::Pass),
                ("dormant".into(), Status::Fail),
                ("never".into(), Status::Fail),
                ("never-created".into(), Status::Fail),
                ("new".into(), Status::Pass),
                ("no-password".into(), Status::Pass),
                ("undated".into(), Status::Unknown),
            ]
        );
        assert_eq!(message(&findings, "dormant"), "password last used 45 days ago (allowed: less than 45 days)");
        assert_eq!(
            message(&findings, "never"),
            "password never used, created 300 days ago (allowed: less than 45 days)"
        );
    }

    #[test]
    fn access_keys() {
        let mut inv = inventory();
        let (d5, d100) = (ago(&inv, 5), ago(&inv, 100));
        let keys = |k: Vec<AccessKey>| Credentials { access_keys: k, ..Default::default() };
        inv.resources.push(resource("used", user(keys(vec![key(1, true, d100, d5)]), d100)));
        inv.resources.push(resource("stale", user(keys(vec![key(1, true, d100, d5), key(2, true, d100, d100)]), d100)));
        inv.resources.push(resource("never", user(keys(vec![key(1, true, d100, None)]), d100)));
        inv.resources.push(resource("inactive", user(keys(vec![key(1, false, d100, None)]), d100)));
        inv.resources.push(resource(
            "unread",
            IamUser { credentials: Field::Unknown(denied("iam:GetCredentialReport")), ..Default::default() },
        ));
        let findings = run(&IamCredentialsUnused, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("inactive".into(), Status::Pass),
                ("never".into(), Status::Fail),
                ("stale".into(), Status::Fail),
                ("unread".into(), Status::Unknown),
                ("used".into(), Status::Pass),
            ]
        );
        assert_eq!(message(&findings, "stale"), "access key 2 last used 100 days ago (allowed: less than 45 days)");
        assert_eq!(
            message(&findings, "never"),
            "access key 1 never used, created 100 days ago (allowed: less than 45 days)"
        );

        // A longer allowance lets the 100-day-old credentials pass.
        let findings = run_with(&IamCredentialsUnused, &inv, Some(json!({"days": 120})));
        assert_eq!(findings.iter().filter(|f| f.status == Status::Fail).count(), 0);
    }

    #[test]
    fn params() {
        assert_eq!(IamCredentialsUnused.default_params(), json!({"days": 45}));
        for bad in [json!({"days": 0}), json!({"days": -45}), json!({"days": 1.5}), json!({"max_days": 45})] {
            assert!(IamCredentialsUnused.validate_params(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn failed_user_listing_is_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamUser, GLOBAL, denied("iam:GetAccountAuthorizationDetails"));
        assert_eq!(statuses(&run(&IamCredentialsUnused, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
