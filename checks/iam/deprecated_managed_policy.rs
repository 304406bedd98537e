use super::super::prelude::*;
use super::shared::secondary_listing_gap;

check! {
    /// ## What it does
    /// Flags IAM roles, users and groups that have a deprecated AWS managed policy attached, and names the
    /// policy that replaces it. The deprecated policies awsaudit knows are:
    ///
    /// | deprecated | replacement |
    /// |---|---|
    /// | `service-role/AWSConfigRole` | `service-role/AWS_ConfigRole` |
    /// | `service-role/AmazonEC2RoleforSSM` | `AmazonSSMManagedInstanceCore` |
    /// | `AWSLambdaFullAccess` | `AWSLambda_FullAccess` |
    /// | `AmazonElasticMapReduceReadOnlyAccess` | `AmazonEMRReadOnlyAccessPolicy_v2` |
    ///
    /// ## Why is this bad?
    /// AWS deprecates a managed policy when fixing it in place would break its users, typically because it
    /// grants more than the service needs (`AmazonEC2RoleforSSM` lets every instance read and write objects in
    /// any S3 bucket) or no longer matches what the service does. A deprecated policy keeps working but is
    /// frozen: it gets no new permissions, cannot be attached again once detached, and the identity silently
    /// drifts from what its service expects (a Config role stops covering newly recordable resource types).
    ///
    /// ## Remediation
    /// Attach the replacement, check the workload still works, then detach the deprecated policy:
    /// ```sh
    /// aws iam attach-role-policy --role-name ROLE --policy-arn arn:aws:iam::aws:policy/service-role/AWS_ConfigRole
    /// aws iam detach-role-policy --role-name ROLE --policy-arn arn:aws:iam::aws:policy/service-role/AWSConfigRole
    /// ```
    /// CDK: `iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')`; CloudFormation: the
    /// replacement ARN in `ManagedPolicyArns` of `AWS::IAM::Role`, `AWS::IAM::User` or `AWS::IAM::Group`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-deprecated.html
    /// - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWS_ConfigRole.html
    /// - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2RoleforSSM.html
    /// - https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaFullAccess.html
    /// - https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-policy-readonly.html
    pub IamDeprecatedManagedPolicy {
        id: "iam_deprecated_managed_policy",
        title: "IAM identities do not use deprecated AWS managed policies",
        severity: Severity::Low,
        service: "iam",
        kinds: &[ResourceKind::IamRole, ResourceKind::IamUser, ResourceKind::IamGroup],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

/// Deprecated AWS managed policies (by name: AWS managed policy names are unique, whatever their path) and
/// their replacements. Sources:
/// - `AWSConfigRole`: AWS Config's managed policy is `service-role/AWS_ConfigRole` (AWS Managed Policy Reference,
///   "AWS_ConfigRole"); the older `service-role/AWSConfigRole` is deprecated and no longer listed.
/// - `AmazonEC2RoleforSSM`: AWS Managed Policy Reference, "AmazonEC2RoleforSSM" ("This policy will soon be
///   deprecated. Please use AmazonSSMManagedInstanceCore").
/// - `AWSLambdaFullAccess`: AWS Managed Policy Reference, "AWSLambdaFullAccess" ("on a deprecation path"; the
///   Lambda Developer Guide names `AWSLambda_FullAccess`).
/// - `AmazonElasticMapReduceReadOnlyAccess`: Amazon EMR Management Guide, "IAM managed policy for read-only access
///   (on path to deprecation)", replaced by `AmazonEMRReadOnlyAccessPolicy_v2`.
const DEPRECATED: &[(&str, &str)] = &[
    ("AWSConfigRole", "service-role/AWS_ConfigRole"),
    ("AmazonEC2RoleforSSM", "AmazonSSMManagedInstanceCore"),
    ("AWSLambdaFullAccess", "AWSLambda_FullAccess"),
    ("AmazonElasticMapReduceReadOnlyAccess", "AmazonEMRReadOnlyAccessPolicy_v2"),
];

/// The replacement of an attached policy, when it is a deprecated AWS managed policy
/// (`arn:PARTITION:iam::aws:policy/[PATH/]NAME`).
fn replacement(policy_arn: &str) -> Option<&'static str> {
    let mut parts = policy_arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("iam"), Some(""), Some("aws"), Some(resource)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let name = resource.strip_prefix("policy/")?.rsplit('/').next()?;
    DEPRECATED.iter().find(|(deprecated, _)| *deprecated == name).map(|(_, replacement)| *replacement)
}

fn judge(attached: &[AttachedPolicy]) -> Verdict {
    let found: Vec<String> =
        attached.iter().filter_map(|p| replacement(&p.arn).map(|r| format!("{} (replaced by {r})", p.name))).collect();
    if found.is_empty() {
        Verdict::Pass(match attached.len() {
            0 => "no managed policy is attached".to_string(),
            1 => "the attached managed policy is not deprecated".to_string(),
            n => format!("none of the {n} attached managed policies is deprecated"),
        })
    } else {
        Verdict::Fail(format!("deprecated AWS managed policy attached: {}", found.join(", ")))
    }
}

impl Check for IamDeprecatedManagedPolicy {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        let inventory = cx.inventory;
        for (resource, role) in inventory.iter::<IamRole>() {
            out.verdict(resource, judge(&role.attached_policies));
        }
        for (resource, user) in inventory.iter::<IamUser>() {
            out.verdict(resource, judge(&user.attached_policies));
        }
        for (resource, group) in inventory.iter::<IamGroup>() {
            out.verdict(resource, judge(&group.attached_policies));
        }
        secondary_listing_gap(inventory, ResourceKind::IamRole, &[ResourceKind::IamUser, ResourceKind::IamGroup], out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn attached(arn: &str) -> AttachedPolicy {
        AttachedPolicy { name: arn.rsplit('/').next().unwrap_or_default().to_string(), arn: arn.to_string() }
    }

    #[test]
    fn replacements() {
        assert_eq!(
            replacement("arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
            Some("service-role/AWS_ConfigRole")
        );
        assert_eq!(
            replacement("arn:aws-cn:iam::aws:policy/service-role/AmazonEC2RoleforSSM"),
            Some("AmazonSSMManagedInstanceCore")
        );
        assert_eq!(replacement("arn:aws:iam::aws:policy/AWSLambdaFullAccess"), Some("AWSLambda_FullAccess"));
        assert_eq!(replacement("arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"), None);
        // A customer-managed policy that happens to have the name is the customer's own.
        assert_eq!(replacement("arn:aws:iam::123456789012:policy/AWSConfigRole"), None);
        assert_eq!(replacement("not-an-arn"), None);
    }

    #[test]
    fn pass_fail() {
        let mut inv = inventory();
        inv.resources.push(resource(
            "config-legacy",
            IamRole {
                attached_policies: vec![
                    attached("arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
                    attached("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                ],
                ..Default::default()
            },
        ));
        inv.resources.push(resource(
            "config",
            IamRole {
                attached_policies: vec![attached("arn:aws:iam::aws:policy/service-role/AWS_ConfigRole")],
                ..Default::default()
            },
        ));
        inv.resources.push(resource("bare", IamUser::default()));
        inv.resources.push(resource(
            "lambda-devs",
            IamGroup {
                attached_policies: vec![attached("arn:aws:iam::aws:policy/AWSLambdaFullAccess")],
                ..Default::default()
            },
        ));
        let findings = run(&IamDeprecatedManagedPolicy, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("bare".into(), Status::Pass),
                ("config".into(), Status::Pass),
                ("config-legacy".into(), Status::Fail),
                ("lambda-devs".into(), Status::Fail),
            ]
        );
        let legacy = findings.iter().find(|f| f.resource.id == "config-legacy").map(|f| f.message.as_str());
        assert_eq!(
            legacy,
            Some("deprecated AWS managed policy attached: AWSConfigRole (replaced by service-role/AWS_ConfigRole)")
        );
    }

    #[test]
    fn failed_listings_are_unknown() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::IamUser, GLOBAL, denied("iam:GetAccountAuthorizationDetails"));
        let findings = run(&IamDeprecatedManagedPolicy, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);

        fail_listing(&mut inv, ResourceKind::IamRole, GLOBAL, denied("iam:GetAccountAuthorizationDetails"));
        let findings = run(&IamDeprecatedManagedPolicy, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
