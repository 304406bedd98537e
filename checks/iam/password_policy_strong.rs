use super::super::prelude::*;
use serde::{Deserialize, Serialize};

check! {
    /// ## What it does
    /// Flags an account whose IAM password policy is missing or weaker than the configured baseline: a minimum
    /// length, a number of previous passwords that cannot be reused, and required character classes.
    ///
    /// ## Why is this bad?
    /// Without a password policy, IAM users can set short passwords (AWS's default allows 8 characters with no
    /// reuse prevention) that fall to guessing and credential stuffing. Length matters most; reuse prevention
    /// stops a forced change from going straight back to the leaked password. Prefer federation (IAM Identity
    /// Center) so that few or no IAM users have passwords at all.
    ///
    /// ## Remediation
    /// ```sh
    /// aws iam update-account-password-policy --minimum-password-length 14 --password-reuse-prevention 24 \
    ///   --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters \
    ///   --allow-users-to-change-password
    /// ```
    /// CloudFormation has no resource for the account password policy; set it once per account (from an account
    /// factory, or with a CDK `AwsCustomResource` calling `IAM:updateAccountPasswordPolicy`).
    ///
    /// ## Parameters
    /// - `minimum_length` (integer 6–128, default `14`): the shortest acceptable minimum password length.
    /// - `reuse_prevention` (integer 1–24, default `24`): the fewest previous passwords the policy must remember.
    /// - `require_symbols`, `require_numbers`, `require_uppercase`, `require_lowercase` (bool, default `true`):
    ///   whether the policy must require that character class.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-7
    pub IamPasswordPolicyStrong {
        id: "iam_password_policy_strong",
        title: "The IAM password policy is strong",
        severity: Severity::Medium,
        service: "iam",
        kinds: &[ResourceKind::IamPasswordPolicy],
        scope: CheckScope::Resource,
        compliance: &[fsbp("IAM.7"), cis("1.7"), cis("1.8")],
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    pub minimum_length: i32,
    pub reuse_prevention: i32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            minimum_length: 14,
            reuse_prevention: 24,
            require_symbols: true,
            require_numbers: true,
            require_uppercase: true,
            require_lowercase: true,
        }
    }
}

impl CheckParams for Params {
    fn validate(&self) -> Result<(), String> {
        // The ranges IAM itself accepts for these settings.
        if !(6..=128).contains(&self.minimum_length) {
            return Err(format!("minimum_length must be between 6 and 128, got {}", self.minimum_length));
        }
        if !(1..=24).contains(&self.reuse_prevention) {
            return Err(format!("reuse_prevention must be between 1 and 24, got {}", self.reuse_prevention));
        }
        Ok(())
    }
}

fn shortfalls(policy: &PasswordPolicy, params: &Params) -> Vec<String> {
    let mut lacks = Vec::new();
    match policy.minimum_length {
        Some(n) if n >= params.minimum_length => {}
        Some(n) => lacks.push(format!("the minimum length is {n}, below {}", params.minimum_length)),
        None => lacks.push("no minimum length is set".into()),
    }
    match policy.reuse_prevention {
        Some(n) if n >= params.reuse_prevention => {}
        Some(n) => lacks.push(format!("it remembers {n} previous passwords, fewer than {}", params.reuse_prevention)),
        None => lacks.push("password reuse is not prevented".into()),
    }
    for (wanted, has, class) in [
        (params.require_symbols, policy.require_symbols, "symbols"),
        (params.require_numbers, policy.require_numbers, "numbers"),
        (params.require_uppercase, policy.require_uppercase, "uppercase letters"),
        (params.require_lowercase, policy.require_lowercase, "lowercase letters"),
    ] {
        if wanted && !has {
            lacks.push(format!("it does not require {class}"));
        }
    }
    lacks
}

impl Check for IamPasswordPolicyStrong {
    type Params = Params;

    fn run(&self, cx: &Context<'_>, params: &Params, out: &mut Findings<'_>) {
        for (resource, setting) in cx.inventory.iter::<IamPasswordPolicy>() {
            let verdict = match setting.policy.known() {
                Ok(Some(policy)) => match shortfalls(policy, params) {
                    lacks if lacks.is_empty() => Verdict::Pass(format!(
                        "the password policy requires at least {} characters, prevents reuse of the last {} \
                         passwords and requires the configured character classes",
                        params.minimum_length, params.reuse_prevention
                    )),
                    lacks => Verdict::Fail(format!("the password policy is weak: {}", lacks.join("; "))),
                },
                Ok(None) => Verdict::Fail("the account has no IAM password policy".into()),
                Err(reason) => Verdict::Unknown(reason.clone()),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::DynCheck;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use serde_json::json;

    fn strong() -> PasswordPolicy {
        PasswordPolicy {
            minimum_length: Some(16),
            require_symbols: true,
            require_numbers: true,
            require_uppercase: true,
            require_lowercase: true,
            allow_users_to_change: true,
            reuse_prevention: Some(24),
            ..Default::default()
        }
    }

    fn judge(policy: Field<PasswordPolicy>, params: Option<serde_json::Value>) -> (Status, String) {
        let mut inv = inventory();
        inv.resources.push(resource(ACCOUNT, IamPasswordPolicy { policy }));
        let findings = run_with(&IamPasswordPolicyStrong, &inv, params);
        assert_eq!(findings.len(), 1);
        (findings[0].status, findings[0].message.clone())
    }

    #[test]
    fn pass_fail_unknown() {
        assert_eq!(judge(Field::Known(strong()), None).0, Status::Pass);
        assert_eq!(judge(Field::Absent, None), (Status::Fail, "the account has no IAM password policy".into()));
        let weak =
            PasswordPolicy { minimum_length: Some(8), reuse_prevention: None, require_symbols: false, ..strong() };
        assert_eq!(
            judge(Field::Known(weak), None),
            (
                Status::Fail,
                "the password policy is weak: the minimum length is 8, below 14; password reuse is not prevented; \
                 it does not require symbols"
                    .into()
            )
        );
        let (status, message) = judge(Field::Unknown(denied("iam:GetAccountPasswordPolicy")), None);
        assert_eq!(status, Status::Unknown);
        assert!(message.contains("iam:GetAccountPasswordPolicy"));
    }

    #[test]
    fn parameters_lower_the_bar() {
        let relaxed =
            PasswordPolicy { minimum_length: Some(8), reuse_prevention: Some(5), require_symbols: false, ..strong() };
        let params = json!({"minimum_length": 8, "reuse_prevention": 5, "require_symbols": false});
        assert_eq!(judge(Field::Known(relaxed), Some(params)).0, Status::Pass);
    }

    #[test]
    fn rejects_bad_params() {
        let err = |v| IamPasswordPolicyStrong.validate_params(&v).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(json!({"minimum_length": 5})).contains("minimum_length"));
        assert!(err(json!({"minimum_length": 200})).contains("minimum_length"));
        assert!(err(json!({"reuse_prevention": 0})).contains("reuse_prevention"));
        assert!(err(json!({"reuse_prevention": 25})).contains("reuse_prevention"));
        assert!(err(json!({"max_age": 90})).contains("max_age"));
        assert!(IamPasswordPolicyStrong.validate_params(&json!({"minimum_length": 6, "reuse_prevention": 1})).is_ok());
    }

    #[test]
    fn failed_listing_is_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamPasswordPolicy, GLOBAL, denied("iam:GetAccountPasswordPolicy"));
        let findings = run(&IamPasswordPolicyStrong, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
