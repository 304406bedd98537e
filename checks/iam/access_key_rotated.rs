use super::super::prelude::*;
use super::shared::{age_days, credentials, days, validate_days};
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags IAM users with an active access key created (last rotated) more than `days` days before the data
    /// was collected, from the credential report (`access_key_N_active`, `access_key_N_last_rotated`). Inactive
    /// keys are ignored; users without keys pass.
    ///
    /// ## Why is this bad?
    /// An access key is a long-lived secret. The older it is, the more places it has been copied to (laptops, CI
    /// variables, old containers, backups) and the longer a leaked copy keeps working. Regular rotation bounds
    /// how long a leak is useful and proves that the key's users can survive a rotation when it matters.
    ///
    /// ## Remediation
    /// Create a second key, move every consumer to it, deactivate the old key, watch for failures (CloudTrail,
    /// `get-access-key-last-used`), then delete it. Better, replace the key with a role (instance profile, IAM
    /// Roles Anywhere, OIDC federation for CI):
    /// ```sh
    /// aws iam create-access-key --user-name deploy
    /// aws iam update-access-key --user-name deploy --access-key-id OLD_KEY_ID --status Inactive
    /// aws iam delete-access-key --user-name deploy --access-key-id OLD_KEY_ID
    /// ```
    /// CloudFormation: an `AWS::IAM::AccessKey` is rotated by changing its `Serial`; CDK: `new iam.AccessKey(this,
    /// 'K', { user, serial: 2 })`, with the secret stored in Secrets Manager.
    ///
    /// ## Parameters
    /// - `days` (integer > 0, default `90`): the oldest acceptable active key, in days.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-3
    pub IamAccessKeyRotated {
        id: "iam_access_key_rotated",
        title: "Active IAM access keys are rotated within the allowed age",
        severity: Severity::Medium,
        service: "iam",
        kinds: &[ResourceKind::IamUser],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.3"), cis("1.13")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// The oldest acceptable active access key, in days.
    pub days: i64,
}

// Written out (not derived), as for every check's parameters, so the default is visible: CIS and Security Hub's 90.
impl Default for Params {
    fn default() -> Self {
        Params { days: 90 }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        validate_days(self.days)
    }
}

fn judge(user: &IamUser, cx: &Context<'_>, params: &Params) -> Verdict {
    let c = match credentials(user) {
        Ok(c) => c,
        Err(reason) => return Verdict::Unknown(reason),
    };
    let active: Vec<&AccessKey> = c.access_keys.iter().filter(|k| k.active).collect();
    if active.is_empty() {
        return Verdict::Pass("the user has no active access key".into());
    }
    let mut old = Vec::new();
    let mut undated = Vec::new();
    for key in &active {
        match key.last_rotated {
            Some(rotated) if age_days(cx.now, rotated) > params.days => {
                old.push(format!("key {} is {} old", key.slot, days(age_days(cx.now, rotated))))
            }
            Some(_) => {}
            None => undated.push(key.slot.to_string()),
        }
    }
    if !old.is_empty() {
        return Verdict::Fail(format!("{} (allowed: {})", old.join(", "), days(params.days)));
    }
    if !undated.is_empty() {
        return Verdict::Unknown(UnknownReason::new(
            Cause::Malformed,
            "iam:GetCredentialReport",
            format!("the credential report gives no rotation date for active key {}", undated.join(" and ")),
        ));
    }
    Verdict::Pass(format!(
        "{} within {}",
        if active.len() == 1 { "the active key was rotated" } else { "the active keys were rotated" },
        days(params.days)
    ))
}

impl Check for IamAccessKeyRotated {
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
    use chrono::{DateTime, Duration, Utc};
    use serde_json::json;

    fn ago(inv: &Inventory, days: i64) -> Option<DateTime<Utc>> {
        Some(inv.collected_at - Duration::days(days))
    }

    fn user(keys: Vec<AccessKey>) -> IamUser {
        IamUser {
            credentials: Field::Known(Credentials { access_keys: keys, ..Default::default() }),
            ..Default::default()
        }
    }

    fn key(slot: u8, active: bool, rotated: Option<DateTime<Utc>>) -> AccessKey {
        AccessKey { slot, active, last_rotated: rotated, last_used: None }
    }

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        let (fresh, stale) = (ago(&inv, 30), ago(&inv, 120));
        inv.resources.push(resource("none", user(vec![])));
        inv.resources.push(resource("fresh", user(vec![key(1, true, fresh)])));
        // An old key that is inactive is not in use.
        inv.resources.push(resource("old-inactive", user(vec![key(1, false, stale), key(2, true, fresh)])));
        inv.resources.push(resource("stale", user(vec![key(1, true, fresh), key(2, true, stale)])));
        inv.resources.push(resource("undated", user(vec![key(1, true, None)])));
        inv.resources.push(resource(
            "unread",
            IamUser { credentials: Field::Unknown(denied("iam:GetCredentialReport")), ..Default::default() },
        ));
        let findings = run(&IamAccessKeyRotated, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("fresh".into(), Status::Pass),
                ("none".into(), Status::Pass),
                ("old-inactive".into(), Status::Pass),
                ("stale".into(), Status::Fail),
                ("undated".into(), Status::Unknown),
                ("unread".into(), Status::Unknown),
            ]
        );
        let stale = findings.iter().find(|f| f.resource.id == "stale").map(|f| f.message.as_str());
        assert_eq!(stale, Some("key 2 is 120 days old (allowed: 90 days)"));

        // A stricter threshold catches the 30-day key too.
        let findings = run_with(&IamAccessKeyRotated, &inv, Some(json!({"days": 14})));
        let fresh = findings.iter().find(|f| f.resource.id == "fresh").map(|f| f.status);
        assert_eq!(fresh, Some(Status::Fail));
    }

    #[test]
    fn params() {
        assert_eq!(IamAccessKeyRotated.default_params(), json!({"days": 90}));
        for bad in [json!({"days": 0}), json!({"days": -1}), json!({"days": "90"}), json!({"age": 90})] {
            assert!(IamAccessKeyRotated.validate_params(&bad).is_err(), "{bad}");
        }
        let err = IamAccessKeyRotated.validate_params(&json!({"days": 0})).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("days")));
    }

    #[test]
    fn failed_user_listing_is_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamUser, GLOBAL, denied("iam:GetAccountAuthorizationDetails"));
        assert_eq!(statuses(&run(&IamAccessKeyRotated, &inv)), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
