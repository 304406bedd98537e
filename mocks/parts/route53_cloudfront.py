"""Route 53 and CloudFront resources for the reference accounts (see mocks/scenarios.py).

Both services are global: everything is created through the home region. Distribution and zone names are stable
(the golden files label findings by name): every distribution has an alternate domain name.
"""

from scenarios import HOME, TAGS, tag_list
# Managed cache policy "CachingOptimized" (moto accepts any id).
CACHE_POLICY = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _record(name, values, record_type="A", **routing):
    record = {"Name": name, "Type": record_type, "TTL": 60, "ResourceRecords": [{"Value": v} for v in values]}
    record.update(routing)
    return {"Action": "CREATE", "ResourceRecordSet": record}


def _zone(r53, name, records, tags=None, vpc=None):
    args = {"Name": name, "CallerReference": name}
    if vpc:
        args.update(VPC={"VPCRegion": HOME, "VPCId": vpc}, HostedZoneConfig={"PrivateZone": True})
    zone_id = r53.create_hosted_zone(**args)["HostedZone"]["Id"].split("/")[-1]
    r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": records})
    if tags:
        r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id, AddTags=tag_list(tags))
    return zone_id


def _health_check(r53, reference, fqdn):
    return r53.create_health_check(CallerReference=reference, HealthCheckConfig={
        "Type": "HTTPS", "FullyQualifiedDomainName": fqdn, "Port": 443, "ResourcePath": "/health"})["HealthCheck"]["Id"]


def _distribution(cf, alias, origins, viewer_policy, logging_bucket=None, tags=None):
    config = {
        "CallerReference": alias, "Comment": alias, "Enabled": True,
        "Aliases": {"Quantity": 1, "Items": [alias]},
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": {"TargetOriginId": origins[0]["Id"], "ViewerProtocolPolicy": viewer_policy,
                                 "CachePolicyId": CACHE_POLICY},
    }
    if logging_bucket:
        config["Logging"] = {"Enabled": True, "IncludeCookies": False, "Bucket": f"{logging_bucket}.s3.amazonaws.com",
                             "Prefix": "cdn/"}
    if tags:
        cf.create_distribution_with_tags(DistributionConfigWithTags={
            "DistributionConfig": config, "Tags": {"Items": tag_list(tags)}})
    else:
        cf.create_distribution(DistributionConfig=config)


def compliant(account):
    r53, cf = account.client("route53", HOME), account.client("cloudfront", HOME)
    # Failover between two public endpoints, each health-checked; an internal zone for the VPC.
    primary, secondary = _health_check(r53, "www-primary", "eu.shop.example.com"), _health_check(
        r53, "www-secondary", "us.shop.example.com")
    _zone(r53, "shop.example.com", [
        _record("www.shop.example.com", ["52.94.236.248"], SetIdentifier="primary", Failover="PRIMARY",
                HealthCheckId=primary),
        _record("www.shop.example.com", ["54.239.28.85"], SetIdentifier="secondary", Failover="SECONDARY",
                HealthCheckId=secondary),
        _record("mail.shop.example.com", ["2600:9000:2000::1"], record_type="AAAA"),
    ], tags=TAGS)
    vpc = account.client("ec2", HOME).describe_vpcs(
        Filters=[{"Name": "tag:Name", "Values": ["main"]}])["Vpcs"][0]["VpcId"]
    _zone(r53, "shop.internal", [_record("db.shop.internal", ["10.0.1.20"])], tags=TAGS, vpc=vpc)

    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": "compliant-data", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    _distribution(cf, "cdn.shop.example.com", [{
        "Id": "data", "DomainName": "compliant-data.s3.eu-west-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": oac}],
        viewer_policy="redirect-to-https", logging_bucket=f"compliant-logs-{HOME}", tags=TAGS)


def misconfigured(account):
    r53, cf = account.client("route53", HOME), account.client("cloudfront", HOME)
    # Weighted records without health checks; placeholders left in a public zone.
    _zone(r53, "legacy.example.org", [
        _record("api.legacy.example.org", ["52.94.236.248"], SetIdentifier="blue", Weight=50),
        _record("api.legacy.example.org", ["54.239.28.85"], SetIdentifier="green", Weight=50),
        _record("test.legacy.example.org", ["192.0.2.10"]),
        _record("db.legacy.example.org", ["10.0.0.5"]),
        _record("v6.legacy.example.org", ["2001:db8::10"], record_type="AAAA"),
    ])
    # A distribution over plain HTTP, without logs, in front of a bucket that no longer exists, with no access
    # control; another one still on a legacy origin access identity (regionless domain of an existing bucket).
    _distribution(cf, "assets.legacy.example.org", [{
        "Id": "assets", "DomainName": f"retired-assets.s3.{HOME}.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""}}], viewer_policy="allow-all")
    # moto: no CreateCloudFrontOriginAccessIdentity (404), and origins may name any identity.
    oai = "E2LEGACYOAI0001"
    _distribution(cf, "www.legacy.example.org", [{
        "Id": "site", "DomainName": "public-site.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{oai}"}}],
        viewer_policy="https-only", logging_bucket="trail-logs")
