//! Helpers shared by the IAM checks: credential ages, and listings of the identity kinds a check reads besides
//! its first one.

use super::super::prelude::*;
use chrono::{DateTime, Utc};

/// Reports one region-level UNKNOWN finding when a listing of one of `kinds` failed: identities of that kind
/// are missing from the inventory, so the check's silence about them proves nothing. The engine already reports
/// a failed listing of the check's first kind; this covers the others. One finding at most, so finding ids stay
/// unique.
pub fn secondary_listing_gap(
    inventory: &Inventory,
    primary: ResourceKind,
    kinds: &[ResourceKind],
    out: &mut Findings<'_>,
) {
    if matches!(inventory.listing(primary, GLOBAL), ListingState::Failed(_)) {
        return;
    }
    for kind in kinds {
        let state = inventory.listing(*kind, GLOBAL);
        if let (ListingState::Failed(_), Err(reason)) = (&state, state.complete(*kind, GLOBAL)) {
            out.region(GLOBAL, Verdict::Unknown(reason));
            return;
        }
    }
}

/// The run of a policy-content check: every customer-managed policy, and the inline policies of every role,
/// user and group, judged by `grants` (one line per offending statement). `what` names the forbidden grant in
/// PASS messages (`"*" on all resources`). A grant found is a FAIL whatever the unreadable policies say.
pub fn judge_policies(
    inventory: &Inventory,
    grants: impl Fn(&PolicyDocument) -> Vec<String>,
    what: &str,
    out: &mut Findings<'_>,
) {
    for (resource, policy) in inventory.iter::<IamManagedPolicy>() {
        let attached = match policy.attachment_count {
            0 => "it is not attached to any identity".to_string(),
            1 => "it is attached to 1 identity".to_string(),
            n => format!("it is attached to {n} identities"),
        };
        let verdict = match policy.document.known() {
            Ok(Some(document)) => match grants(document) {
                found if found.is_empty() => Verdict::Pass(format!("the policy does not allow {what}")),
                found => Verdict::Fail(format!("{}; {attached}", found.join("; "))),
            },
            Ok(None) => Verdict::Pass("the policy has no document".into()),
            Err(reason) => Verdict::Unknown(reason.clone()),
        };
        out.verdict(resource, verdict);
    }
    let inline = |policies: &[InlinePolicy]| -> Verdict {
        if policies.is_empty() {
            return Verdict::Pass("there are no inline policies".into());
        }
        let mut found = Vec::new();
        let mut unknown = None;
        for policy in policies {
            match policy.document.known() {
                Ok(Some(document)) => {
                    found.extend(grants(document).into_iter().map(|g| format!("inline policy {}: {g}", policy.name)))
                }
                Ok(None) => {}
                Err(reason) => unknown = unknown.or_else(|| Some(reason.clone())),
            }
        }
        if !found.is_empty() {
            Verdict::Fail(found.join("; "))
        } else if let Some(reason) = unknown {
            Verdict::Unknown(reason)
        } else {
            Verdict::Pass(format!("no inline policy allows {what}"))
        }
    };
    for (resource, role) in inventory.iter::<IamRole>() {
        out.verdict(resource, inline(&role.inline_policies));
    }
    for (resource, user) in inventory.iter::<IamUser>() {
        out.verdict(resource, inline(&user.inline_policies));
    }
    for (resource, group) in inventory.iter::<IamGroup>() {
        out.verdict(resource, inline(&group.inline_policies));
    }
    secondary_listing_gap(
        inventory,
        ResourceKind::IamManagedPolicy,
        &[ResourceKind::IamRole, ResourceKind::IamUser, ResourceKind::IamGroup],
        out,
    );
}

/// Whole days from `then` to `now` (0 when `then` is in the future: clocks drift).
pub fn age_days(now: DateTime<Utc>, then: DateTime<Utc>) -> i64 {
    (now - then).num_days().max(0)
}

/// `1 day` / `N days`.
pub fn days(n: i64) -> String {
    if n == 1 { "1 day".to_string() } else { format!("{n} days") }
}

/// Validates a `days` parameter: a whole number of days greater than zero.
pub fn validate_days(days: i64) -> Result<(), String> {
    if days <= 0 {
        return Err(format!("days: must be a whole number of days greater than 0, got {days}"));
    }
    // Beyond this chrono's duration arithmetic is meaningless for credential ages anyway.
    if days > 36_500 {
        return Err(format!("days: {days} is more than 100 years; use a realistic threshold"));
    }
    Ok(())
}

/// The credential-report row of a user, or why it is not known. A user always has a row (the report lists every
/// user), so a known absence is reported as malformed.
pub fn credentials(user: &IamUser) -> Result<&Credentials, UnknownReason> {
    match user.credentials.known() {
        Ok(Some(credentials)) => Ok(credentials),
        Ok(None) => Err(UnknownReason::new(
            Cause::Malformed,
            "iam:GetCredentialReport",
            "the credential report has no row for the user",
        )),
        Err(reason) => Err(reason.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ages_and_wording() {
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single().unwrap_or_default();
        let then = Utc.with_ymd_and_hms(2026, 8, 3, 12, 0, 1).single().unwrap_or_default();
        assert_eq!(age_days(now, then), 89);
        assert_eq!(age_days(then, now), 0);
        assert_eq!(days(1), "1 day");
        assert_eq!(days(90), "90 days");
        assert!(validate_days(0).is_err_and(|e| e.starts_with("days:")));
        assert!(validate_days(-5).is_err());
        assert!(validate_days(36_501).is_err());
        assert!(validate_days(90).is_ok());
    }
}
