use super::super::prelude::*;
use ipnet::IpNet;
use std::net::IpAddr;

check! {
    /// ## What it does
    /// Flags public hosted zones whose A or AAAA records point at addresses nobody can reach over the internet:
    /// documentation ranges (RFC 5737 `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`; RFC 3849
    /// `2001:db8::/32`), private ranges (RFC 1918 `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`; IPv6 unique
    /// local `fc00::/7`), shared address space (RFC 6598 `100.64.0.0/10`), loopback, link-local and the
    /// unspecified address (`0.0.0.0/8`, `::`). Alias records and private zones are not judged. One finding per
    /// public zone.
    ///
    /// ## Why is this bad?
    /// A public record with such an address is a placeholder that was never replaced, or an internal name
    /// published to the world: the first breaks the service for every user, the second discloses the internal
    /// network layout. Either way the record does not do what its owner thinks.
    ///
    /// ## Remediation
    /// ```sh
    /// aws route53 change-resource-record-sets --hosted-zone-id ZONE_ID --change-batch \
    ///   '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"test.example.com","Type":"A","TTL":300,
    ///     "ResourceRecords":[{"Value":"192.0.2.1"}]}}]}'
    /// ```
    /// Point the record at the real public endpoint (preferably an alias to the load balancer or distribution),
    /// or move internal names to a private hosted zone associated with the VPC. CloudFormation: fix the
    /// `ResourceRecords` of the `AWS::Route53::RecordSet`; CDK: `new route53.ARecord(this, 'A', { zone, target:
    /// route53.RecordTarget.fromAlias(...) })`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/AboutHZWorkingWith.html
    /// - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zones-private.html
    /// - https://www.rfc-editor.org/rfc/rfc5737
    /// - https://www.rfc-editor.org/rfc/rfc3849
    /// - https://www.rfc-editor.org/rfc/rfc1918
    pub Route53ZonePublicPlaceholder {
        id: "route53_zone_public_placeholder",
        title: "Public hosted zones do not point at unroutable or documentation addresses",
        severity: Severity::Low,
        service: "route53",
        kinds: &[ResourceKind::Route53HostedZone],
        scope: CheckScope::Resource,
        compliance: &[],
    }
}

/// Ranges no internet client can reach, with what they are.
const UNROUTABLE: &[(&str, &str)] = &[
    ("0.0.0.0/8", "unspecified"),
    ("10.0.0.0/8", "private, RFC 1918"),
    ("100.64.0.0/10", "shared address space, RFC 6598"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private, RFC 1918"),
    ("192.0.2.0/24", "documentation, RFC 5737"),
    ("192.168.0.0/16", "private, RFC 1918"),
    ("198.51.100.0/24", "documentation, RFC 5737"),
    ("203.0.113.0/24", "documentation, RFC 5737"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("2001:db8::/32", "documentation, RFC 3849"),
    ("fc00::/7", "unique local"),
    ("fe80::/10", "link-local"),
];

/// What kind of unroutable address `address` is, if it is one.
fn unroutable(address: IpAddr) -> Option<&'static str> {
    // An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries.
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    };
    UNROUTABLE.iter().find_map(|(cidr, what)| {
        let net: IpNet = cidr.parse().ok()?;
        net.contains(&address).then_some(*what)
    })
}

impl Check for Route53ZonePublicPlaceholder {
    type Params = NoParams;

    fn run(&self, cx: &Context<'_>, _: &NoParams, out: &mut Findings<'_>) {
        for (resource, zone) in cx.inventory.iter::<Route53HostedZone>() {
            if zone.private {
                continue;
            }
            let records = match zone.records.known() {
                Ok(records) => records.map(Vec::as_slice).unwrap_or_default(),
                Err(reason) => {
                    out.unknown(resource, reason.clone());
                    continue;
                }
            };
            let mut offending = Vec::new();
            let mut unreadable = Vec::new();
            let mut checked = 0;
            for record in records.iter().filter(|r| matches!(r.record_type.as_str(), "A" | "AAAA")) {
                for value in &record.values {
                    checked += 1;
                    match value.trim().parse::<IpAddr>() {
                        Ok(address) => {
                            if let Some(what) = unroutable(address) {
                                offending.push(format!("{} {} {value} ({what})", record.name, record.record_type));
                            }
                        }
                        Err(_) => unreadable.push(format!("{} {} {value:?}", record.name, record.record_type)),
                    }
                }
            }
            let verdict = if !offending.is_empty() {
                Verdict::Fail(format!("records point at unroutable addresses: {}", offending.join(", ")))
            } else if !unreadable.is_empty() {
                Verdict::Unknown(UnknownReason::new(
                    Cause::Malformed,
                    "route53:ListResourceRecordSets",
                    format!("record values that are not IP addresses: {}", unreadable.join(", ")),
                ))
            } else {
                Verdict::Pass(format!("none of the {checked} A/AAAA values points at an unroutable address"))
            };
            out.verdict(resource, verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;

    fn a(name: &str, record_type: &str, values: &[&str]) -> Route53RecordSet {
        Route53RecordSet {
            name: name.into(),
            record_type: record_type.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            ..Default::default()
        }
    }

    fn zone(private: bool, records: Field<Vec<Route53RecordSet>>) -> Route53HostedZone {
        Route53HostedZone { domain: "example.com.".into(), private, records, ..Default::default() }
    }

    #[test]
    fn every_range_parses() {
        for (cidr, _) in UNROUTABLE {
            assert!(cidr.parse::<IpNet>().is_ok(), "{cidr}");
        }
    }

    #[test]
    fn classifies_addresses() {
        let what = |s: &str| unroutable(s.parse().unwrap_or_else(|e| panic!("{s}: {e}")));
        for (address, expected) in [
            ("192.0.2.1", "documentation, RFC 5737"),
            ("198.51.100.200", "documentation, RFC 5737"),
            ("203.0.113.255", "documentation, RFC 5737"),
            ("2001:db8:1::5", "documentation, RFC 3849"),
            ("10.1.2.3", "private, RFC 1918"),
            ("172.31.255.1", "private, RFC 1918"),
            ("192.168.0.1", "private, RFC 1918"),
            ("127.0.0.1", "loopback"),
            ("::1", "loopback"),
            ("169.254.169.254", "link-local"),
            ("fe80::1", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("::", "unspecified"),
            ("fd00::1", "unique local"),
            ("::ffff:10.0.0.1", "private, RFC 1918"),
        ] {
            assert_eq!(what(address), Some(expected), "{address}");
        }
        for routable in ["8.8.8.8", "172.32.0.1", "192.0.3.1", "203.0.114.1", "2606:4700::1111", "100.128.0.1"] {
            assert_eq!(what(routable), None, "{routable}");
        }
    }

    #[test]
    fn pass_fail_unknown_and_skipped() {
        let mut inv = inventory();
        inv.resources.push(resource(
            "good",
            zone(
                false,
                Field::Known(vec![
                    a("www.example.com.", "A", &["8.8.8.8", "1.1.1.1"]),
                    a("v6.example.com.", "AAAA", &["2606:4700::1111"]),
                    // Not an address record: not judged.
                    a("txt.example.com.", "TXT", &["\"10.0.0.1\""]),
                ]),
            ),
        ));
        inv.resources.push(resource(
            "placeholder",
            zone(
                false,
                Field::Known(vec![
                    a("www.example.com.", "A", &["8.8.8.8", "192.0.2.10"]),
                    a("db.example.com.", "A", &["10.0.0.5"]),
                    a("v6.example.com.", "AAAA", &["2001:db8::1"]),
                ]),
            ),
        ));
        inv.resources.push(resource("odd", zone(false, Field::Known(vec![a("x.example.com.", "A", &["not-an-ip"])]))));
        inv.resources.push(resource("denied", zone(false, Field::Unknown(denied("route53:ListResourceRecordSets")))));
        // Private zones hold private addresses by design.
        inv.resources.push(resource("internal", zone(true, Field::Known(vec![a("db.internal.", "A", &["10.0.0.5"])]))));
        let findings = run(&Route53ZonePublicPlaceholder, &inv);
        assert_eq!(
            statuses(&findings),
            vec![
                ("denied".into(), Status::Unknown),
                ("good".into(), Status::Pass),
                ("odd".into(), Status::Unknown),
                ("placeholder".into(), Status::Fail),
            ]
        );
        let fail = findings.iter().find(|f| f.resource.id == "placeholder").map(|f| f.message.clone());
        assert_eq!(
            fail.as_deref(),
            Some(
                "records point at unroutable addresses: www.example.com. A 192.0.2.10 (documentation, RFC 5737), \
                 db.example.com. A 10.0.0.5 (private, RFC 1918), v6.example.com. AAAA 2001:db8::1 (documentation, \
                 RFC 3849)"
            )
        );
    }

    #[test]
    fn failed_zone_listing_is_unknown_for_the_account() {
        let mut inv = inventory();
        fail_listing(&mut inv, ResourceKind::Route53HostedZone, GLOBAL, denied("route53:ListHostedZones"));
        let findings = run(&Route53ZonePublicPlaceholder, &inv);
        assert_eq!(statuses(&findings), vec![(ACCOUNT.into(), Status::Unknown)]);
    }
}
