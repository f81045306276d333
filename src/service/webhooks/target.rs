//! Where webhooks may be sent: https URLs whose host resolves to public
//! addresses only, checked when an endpoint is registered and again for
//! every connection (the resolver the client uses drops other addresses,
//! so a name that later points inside the network reaches nothing).
//! `allow_loopback` (tests, local use) also admits http and 127.0.0.0/8, ::1.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use url::{Host, Url};

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = v6.segments();
            // Global unicast (2000::/3) only: that leaves out loopback,
            // unspecified, IPv4-compatible, NAT64, unique and site local,
            // link-local and multicast forms at once.
            (segments[0] & 0xe000) == 0x2000
                // 2001:db8::/32 documentation, 2001::/23 IETF assignments
                // (Teredo, ORCHID, benchmarking), 2002::/16 6to4 (both can
                // tunnel to private IPv4), 3fff::/20 documentation
                && !(segments[0] == 0x2001 && segments[1] == 0x0db8)
                && !(segments[0] == 0x2001 && segments[1] < 0x0200)
                && segments[0] != 0x2002
                && !(segments[0] == 0x3fff && segments[1] < 0x1000)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_unspecified()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

/// Whether a connection to `ip` is allowed.
pub fn allowed(ip: IpAddr, allow_loopback: bool) -> bool {
    is_public(ip) || (allow_loopback && ip.is_loopback())
}

/// Checks a URL's form: absolute, https (http too with `allow_loopback`),
/// a host, no credentials. Returns it parsed.
pub fn parse(text: &str, allow_loopback: bool) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("not an absolute URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_loopback => {}
        _ => return Err("must be an https URL".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password".into());
    }
    if url.host().is_none() {
        return Err("must name a host".into());
    }
    if url.fragment().is_some() {
        return Err("must not have a #fragment".into());
    }
    Ok(url)
}

/// Checks that every address the URL's host resolves to is allowed (an
/// address in the URL itself is checked as it is).
pub async fn check(url: &Url, allow_loopback: bool) -> Result<(), String> {
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<IpAddr> = match url.host() {
        Some(Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
        Some(Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
        Some(Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|e| format!("the host `{name}` does not resolve: {e}"))?
            .map(|a| a.ip())
            .collect(),
        None => return Err("must name a host".into()),
    };
    if addresses.is_empty() {
        return Err("the host resolves to no address".into());
    }
    match addresses.iter().find(|ip| !allowed(**ip, allow_loopback)) {
        Some(ip) => Err(format!(
            "the host resolves to {ip}, which is not a public address"
        )),
        None => Ok(()),
    }
}

/// The client's resolver: the system's, keeping only allowed addresses.
pub struct PublicResolver {
    pub allow_loopback: bool,
}

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_loopback = self.allow_loopback;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allowed(a.ip(), allow_loopback))
                .collect();
            if resolved.is_empty() {
                return Err(format!("`{host}` resolves to no public address").into());
            }
            Ok(Box::new(resolved.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "::ffff:0:10.0.0.1",
            "64:ff9b:1::a00:1",
            "fec0::1",
            "100::1",
            "2001:db8::1",
            "2002:a00:1::1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(!is_public(ip), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(is_public(ip), "{ip}");
        }
        assert!(allowed("127.0.0.1".parse().unwrap(), true));
        assert!(!allowed("10.0.0.1".parse().unwrap(), true));
    }

    #[test]
    fn urls_must_be_https_without_credentials() {
        assert!(parse("https://example.org/hook", false).is_ok());
        assert!(parse("http://example.org/hook", false).is_err());
        assert!(parse("http://127.0.0.1:9/hook", true).is_ok());
        assert!(parse("https://user:pw@example.org/", false).is_err());
        assert!(parse("ftp://example.org/", true).is_err());
        assert!(parse("/relative", false).is_err());
    }

    #[tokio::test]
    async fn names_and_literals_are_resolved_and_checked() {
        let url = parse("https://127.0.0.1/hook", false).unwrap();
        assert!(check(&url, false).await.is_err());
        assert!(check(&url, true).await.is_ok());
        let url = parse("https://localhost/hook", false).unwrap();
        assert!(check(&url, false).await.is_err());
        let url = parse("https://[::ffff:169.254.169.254]/", false).unwrap();
        assert!(check(&url, true).await.is_err());
    }
}
