"""CloudWatch Logs and CloudWatch alarms for the reference accounts (see mocks/scenarios.py).

The compliant account's multi-region trail delivers to TRAIL_LOG_GROUP (created by `Account.trail`); here it gets
the CIS v5.0 monitoring filters (4.1-4.15) and an alarm on each that notifies an SNS topic.
"""

import json

from scenarios import ACCOUNT, HOME, OTHER, TAGS, TRAIL_LOG_GROUP, tag_list

# CIS v5.0 4.x: (control, metric name, filter pattern). Spellings vary on purpose (quotes, spacing, grouping): the
# check compares patterns by meaning.
CIS_FILTERS = [
    ("4.1", "UnauthorizedApiCalls",
     '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'),
    ("4.2", "ConsoleSigninWithoutMfa",
     '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'),
    ("4.3", "RootUsage",
     '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'),
    ("4.4", "IamPolicyChanges",
     "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||"
     "($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||"
     "($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||"
     "($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||"
     "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||"
     "($.eventName=DetachGroupPolicy)}"),
    ("4.5", "CloudTrailChanges",
     "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
     "($.eventName = StartLogging) || ($.eventName = StopLogging) }"),
    ("4.6", "ConsoleAuthFailures",
     '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
    ("4.7", "KeyDisableOrDeletion",
     "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"),
    ("4.8", "BucketPolicyChanges",
     "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
     "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || "
     "($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || "
     "($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
    ("4.9", "ConfigChanges",
     "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || "
     "($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || "
     "($.eventName = PutConfigurationRecorder)) }"),
    ("4.10", "SecurityGroupChanges",
     "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
     "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
     "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || "
     "($.eventName = ModifySecurityGroupRules) }"),
    ("4.11", "NetworkAclChanges",
     "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || "
     "($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || "
     "($.eventName = ReplaceNetworkAclAssociation) }"),
    ("4.12", "NetworkGatewayChanges",
     "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || "
     "($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || "
     "($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"),
    ("4.13", "RouteTableChanges",
     "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || "
     "($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || "
     "($.eventName = DisassociateRouteTable) }"),
    ("4.14", "VpcChanges",
     "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || "
     "($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || "
     "($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || "
     "($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || "
     "($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"),
    ("4.15", "OrganizationsChanges",
     "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || "
     "($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || "
     "($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || "
     "($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || "
     "($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || "
     "($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || "
     "($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || "
     "($.eventName = UpdateOrganizationalUnit)) }"),
]


def alarm(cloudwatch, name, metric, namespace, actions, enabled=True, tags=TAGS):
    cloudwatch.put_metric_alarm(
        AlarmName=name, MetricName=metric, Namespace=namespace, Statistic="Sum", Period=300, Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold", EvaluationPeriods=1, TreatMissingData="notBreaching",
        AlarmActions=actions, ActionsEnabled=enabled, Tags=tag_list(tags),
    )


def compliant(account):
    logs, cloudwatch = account.client("logs", HOME), account.client("cloudwatch", HOME)
    sns = account.client("sns", HOME)
    # The alarms' topic: encrypted, and only CloudWatch of this account may publish to it.
    topic = sns.create_topic(Name="security-alerts", Attributes={"KmsMasterKeyId": "alias/aws/sns"},
                             Tags=tag_list(TAGS))["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Sid": "CloudWatchAlarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish", "Resource": topic,
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}))
    for control, metric, pattern in CIS_FILTERS:
        logs.put_metric_filter(
            logGroupName=TRAIL_LOG_GROUP, filterName=f"cis-{control}", filterPattern=pattern,
            metricTransformations=[{"metricName": metric, "metricNamespace": "CISBenchmark", "metricValue": "1"}],
        )
        alarm(cloudwatch, f"cis-{control}-{metric}", metric, "CISBenchmark", [topic])


def misconfigured(account):
    # eu-west-1: an application log group kept a week, without a KMS key, and an alarm that notifies nobody.
    logs = account.client("logs", OTHER)
    logs.create_log_group(logGroupName="app/orders", tags=TAGS)
    logs.put_retention_policy(logGroupName="app/orders", retentionInDays=7)
    logs.put_metric_filter(
        logGroupName="app/orders", filterName="errors", filterPattern="ERROR",
        metricTransformations=[{"metricName": "OrderErrors", "metricNamespace": "Shop", "metricValue": "1"}],
    )
    alarm(account.client("cloudwatch", OTHER), "order-errors", "OrderErrors", "Shop", [])
    # us-east-1: a group that never expires (passes the retention check by default) and an alarm whose actions
    # were switched off during an incident and never switched back on.
    account.client("logs", HOME).create_log_group(logGroupName="app/legacy", tags=TAGS)
    alarm(account.client("cloudwatch", HOME), "legacy-5xx", "HTTPCode_Target_5XX_Count", "AWS/ApplicationELB",
          [f"arn:aws:sns:{HOME}:{ACCOUNT}:ops"], enabled=False)
