const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-f:]+$/i;

/**
 * The client address as Cloudflare's edge saw it. Only CF-Connecting-IP is
 * trusted: Cloudflare sets it and clients cannot, whereas X-Forwarded-For is
 * whatever the client wrote.
 */
export function clientIpFrom(headers: Headers): string | null {
  const value = headers.get("CF-Connecting-IP")?.trim();
  if (!value) return null;
  if (IPV4.test(value) || (IPV6.test(value) && value.includes(":"))) return value.toLowerCase();
  return null;
}

/** Keeps the network, not the host (/24 for IPv4, /48 for IPv6): enough to recognise a session, not to identify a person. */
export function truncateIp(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = IPV4.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const [head = "", tail = ""] = ip.split("::");
  const groups = [...head.split(":").filter(Boolean)];
  if (groups.length < 3) {
    const tailGroups = tail.split(":").filter(Boolean);
    const missing = 8 - groups.length - tailGroups.length;
    groups.push(...Array(Math.max(missing, 0)).fill("0"), ...tailGroups);
  }
  return `${groups
    .slice(0, 3)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/48`;
}
