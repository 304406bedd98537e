"""rds resources for the reference accounts (see mocks/scenarios.py)."""

from scenarios import ACCOUNT, HOME, OTHER, TAGS, tag_list

CRITICAL = {**TAGS, "Criticality": "critical"}
MONITORING_ROLE = f"arn:aws:iam::{ACCOUNT}:role/rds-monitoring-role"


def tls_group(rds, name, family, parameter, value):
    rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily=family, Description=name)
    rds.modify_db_parameter_group(
        DBParameterGroupName=name,
        Parameters=[{"ParameterName": parameter, "ParameterValue": value, "ApplyMethod": "pending-reboot"}],
    )


def default_security_group(account, region):
    ec2 = account.client("ec2", region)
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    return groups[0]["GroupId"]


def database(account, region, name, engine, version, tags, **overrides):
    """An instance with every setting good unless overridden."""
    rds = account.client("rds", region)
    args = dict(
        # moto: without security groups it looks up the default VPC, which the compliant account deleted.
        VpcSecurityGroupIds=[default_security_group(account, region)],
        DBInstanceIdentifier=name,
        Engine=engine,
        EngineVersion=version,
        DBInstanceClass="db.m6g.large",
        AllocatedStorage=20,
        MasterUsername="app",
        MasterUserPassword="not-a-real-password-1",
        StorageEncrypted=True,
        KmsKeyId="alias/aws/rds",
        MultiAZ=True,
        PubliclyAccessible=False,
        MonitoringInterval=60,
        MonitoringRoleArn=MONITORING_ROLE,
        EnableCloudwatchLogsExports=["postgresql", "upgrade"],
        BackupRetentionPeriod=7,
        DeletionProtection=True,
        EnablePerformanceInsights=True,
        PerformanceInsightsKMSKeyId="alias/aws/rds",
        Tags=tag_list(tags),
    )
    args.update(overrides)
    # None drops a setting, leaving the engine default.
    args = {k: v for k, v in args.items() if v is not None}
    return rds.create_db_instance(**args)["DBInstance"]


def cross_region_replica(account, source, region, name):
    # moto: a replica copies its source's parameter group name, and fails to describe if the destination region
    # has no group of that name; AWS gives the replica the destination's default group. Create it there first.
    account.client("rds", region).create_db_instance_read_replica(
        DBInstanceIdentifier=name, SourceDBInstanceIdentifier=source["DBInstanceArn"], DBInstanceClass="db.m6g.large"
    )


def compliant(account):
    # A critical PostgreSQL database forcing TLS, with a read replica in the other region.
    home, other = account.client("rds", HOME), account.client("rds", OTHER)
    for rds in (home, other):
        tls_group(rds, "orders-postgres16", "postgres16", "rds.force_ssl", "1")
    orders = database(account, HOME, "orders", "postgres", "16.3", CRITICAL, DBParameterGroupName="orders-postgres16")
    cross_region_replica(account, orders, OTHER, "orders-dr")


def misconfigured(account):
    home, other = account.client("rds", HOME), account.client("rds", OTHER)
    # Everything wrong: old MySQL, unencrypted, public, single-AZ, unmonitored, no logs, no backups, deletable,
    # default parameter group (TLS optional), critical and not replicated anywhere.
    database(
        account,
        HOME,
        "legacy",
        "mysql",
        "5.7.44",
        CRITICAL,
        StorageEncrypted=False,
        KmsKeyId=None,
        PubliclyAccessible=True,
        MultiAZ=False,
        MonitoringInterval=0,
        MonitoringRoleArn=None,
        EnableCloudwatchLogsExports=[],
        BackupRetentionPeriod=0,
        DeletionProtection=False,
        EnablePerformanceInsights=False,
        PerformanceInsightsKMSKeyId=None,
    )
    # Cross-region: a critical database in eu-west-1 replicated to us-east-1 (that check passes), with TLS
    # explicitly optional and too few days of backups.
    for rds in (home, other):
        tls_group(rds, "billing-postgres14", "postgres14", "rds.force_ssl", "0")
    billing = database(
        account, OTHER, "billing", "postgres", "14.12", CRITICAL, DBParameterGroupName="billing-postgres14", BackupRetentionPeriod=3
    )
    cross_region_replica(account, billing, HOME, "billing-dr")
