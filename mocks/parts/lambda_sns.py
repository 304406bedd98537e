"""Lambda and SNS resources for the reference accounts (see mocks/scenarios.py).

moto gaps worked around here are listed under "Lambda and SNS" in mocks/README.md.
"""

import io
import json
import zipfile

from scenarios import ACCOUNT, HOME, OTHER, TAGS, tag_list


def code():
    """A minimal .zip package (moto stores it; nothing is ever invoked)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


def execution_role(account, name):
    """moto, like AWS, refuses a function whose role does not exist."""
    iam = account.client("iam")
    role = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
        Tags=tag_list(TAGS),
    )
    return role["Role"]["Arn"]


def vpc_config(account, region, subnet_names):
    """The app subnets and the bastion security group that the core scenario built in `region`."""
    ec2 = account.client("ec2", region)
    subnets = ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": subnet_names}])["Subnets"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["bastion"]}])["SecurityGroups"]
    return {"SubnetIds": sorted(s["SubnetId"] for s in subnets), "SecurityGroupIds": [groups[0]["GroupId"]]}


def function(account, region, name, role, runtime, tracing, vpc=None):
    args = dict(FunctionName=name, Runtime=runtime, Role=role, Handler="index.handler", Code={"ZipFile": code()},
                TracingConfig={"Mode": tracing}, Tags=TAGS,
                # Never read by the auditor: environment values are not collected.
                Environment={"Variables": {"API_TOKEN": "not-a-real-secret"}})
    if vpc:
        args["VpcConfig"] = vpc
    return account.client("lambda", region).create_function(**args)["FunctionArn"]


def topic(account, region, name, kms_key=None, policy=None):
    sns = account.client("sns", region)
    attributes = {}
    if kms_key:
        attributes["KmsMasterKeyId"] = kms_key
    if policy:
        attributes["Policy"] = json.dumps(policy)
    return sns.create_topic(Name=name, Attributes=attributes, Tags=tag_list(TAGS))["TopicArn"]


def compliant(account):
    role = execution_role(account, "orders-api-lambda")
    # Current runtime, tracing on, subnets in two zones, invoked only by the account's own bucket.
    orders = function(account, HOME, "orders-api", role, "python3.13", "Active",
                      vpc=vpc_config(account, HOME, ["app-a", "app-b"]))
    account.client("lambda", HOME).add_permission(
        FunctionName="orders-api", StatementId="s3-uploads", Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com", SourceAccount=ACCOUNT, SourceArn="arn:aws:s3:::compliant-data")
    # Encrypted with the account's key, default policy (owner only), a Lambda subscriber (confirmed at once).
    alerts = topic(account, HOME, "alerts", kms_key=f"alias/data-{HOME}")
    account.client("sns", HOME).subscribe(TopicArn=alerts, Protocol="lambda", Endpoint=orders)


def misconfigured(account):
    role = execution_role(account, "legacy-lambda")
    # us-east-1: a deprecated runtime, no tracing, one subnet, invocable by anyone.
    function(account, HOME, "legacy-report", role, "python3.8", "PassThrough",
             vpc=vpc_config(account, HOME, ["app-a"]))
    account.client("lambda", HOME).add_permission(
        FunctionName="legacy-report", StatementId="anyone", Action="lambda:InvokeFunction", Principal="*")
    # eu-west-1: current and traced, but any bucket in any account may invoke it.
    function(account, OTHER, "thumbnailer", role, "nodejs22.x", "Active")
    account.client("lambda", OTHER).add_permission(
        FunctionName="thumbnailer", StatementId="s3-any-bucket", Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::uploads")

    # us-east-1: unencrypted, anyone may publish and subscribe. moto confirms every subscription at once
    # (mocks/README.md), so the email subscriber shows as confirmed.
    events = topic(account, HOME, "public-events", policy={"Version": "2012-10-17", "Statement": [{
        "Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": ["sns:Publish", "sns:Subscribe"],
        "Resource": f"arn:aws:sns:{HOME}:{ACCOUNT}:public-events"}]})
    account.client("sns", HOME).subscribe(TopicArn=events, Protocol="email", Endpoint="ops@example.com")
    # eu-west-1: encrypted with the AWS-managed key, default policy.
    topic(account, OTHER, "orders", kms_key="alias/aws/sns")
