"""Cross-service account checks (region coverage, workload footprint, the CloudTrail bucket) in the reference
accounts (see mocks/scenarios.py). Runs after the core, so the VPCs, buckets and trails already exist."""

from scenarios import HOME, OTHER


def tag_main_vpc(account, region, workload):
    ec2 = account.client("ec2", region)
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["main"]}])["Vpcs"]
    ec2.create_tags(Resources=[v["VpcId"] for v in vpcs], Tags=[{"Key": "Workload", "Value": workload}])


def compliant(account):
    # The shop workload runs in both regions.
    for region in (HOME, OTHER):
        tag_main_vpc(account, region, "shop")


def misconfigured(account):
    # The orders workload runs in eu-west-1 only.
    tag_main_vpc(account, OTHER, "orders")
    # The legacy trail delivers to the public website bucket, which has no access logging.
    account.client("cloudtrail", HOME).update_trail(Name="legacy", S3BucketName="public-site")
