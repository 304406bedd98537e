use super::super::prelude::*;
use super::reported;

check! {
    /// ## What it does
    /// Flags RDS DB instances that are publicly accessible (`PubliclyAccessible`): their endpoint resolves to a
    /// public IP address. Aurora instances are judged one by one, as AWS sets this per instance.
    ///
    /// ## Why is this bad?
    /// A publicly accessible database is one security group rule away from the whole internet, where
    /// credential stuffing and engine exploits are automated. Applications reach a database from inside the VPC
    /// (or through a VPN, Direct Connect or a bastion); there is rarely a reason for a public address.
    ///
    /// ## Remediation
    /// ```sh
    /// aws rds modify-db-instance --db-instance-identifier DB --no-publicly-accessible --apply-immediately
    /// ```
    /// CDK: `new rds.DatabaseInstance(this, 'Db', { publiclyAccessible: false, vpcSubnets: { subnetType:
    /// ec2.SubnetType.PRIVATE_ISOLATED }, … })`; CloudFormation: `AWS::RDS::DBInstance` with
    /// `PubliclyAccessible: false` in private subnets.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2
    pub RdsInstanceNotPublic {
        id: "rds_instance_not_public",
        title: "RDS DB instances are not publicly accessible",
        severity: Severity::Critical,
        service: "rds",
        kinds: &[ResourceKind::RdsDbInstance],
        scope: CheckScope::Resource,
        compliance: &[fsbp("RDS.2"), cis("2.2.3")],
    }
}

impl Check for RdsInstanceNotPublic {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, db) in cx.inventory.iter::<DbInstance>() {
            let verdict = match reported(db.publicly_accessible, "PubliclyAccessible") {
                Ok(false) => Verdict::Pass("not publicly accessible".into()),
                Ok(true) => Verdict::Fail("publicly accessible: its endpoint resolves to a public IP address".into()),
                Err(reason) => Verdict::Unknown(reason),
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::db;
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    #[test]
    fn pass_fail_unknown() {
        let mut inv = inventory();
        inv.resources.push(resource("private", db()));
        inv.resources.push(resource("public", DbInstance { publicly_accessible: Some(true), ..db() }));
        inv.resources.push(resource("unreported", DbInstance { publicly_accessible: None, ..db() }));
        let findings = run(&RdsInstanceNotPublic, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("private".into(), Status::Pass),
                ("public".into(), Status::Fail),
                ("unreported".into(), Status::Unknown)
            ]
        );
    }

    #[test]
    fn failed_instance_listing_is_unknown_for_the_region() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::RdsDbInstance, REGION, denied("rds:DescribeDBInstances"));
        let findings = run(&RdsInstanceNotPublic, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
