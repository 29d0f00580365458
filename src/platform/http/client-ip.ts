const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;

/**
 * The eight 16-bit groups of an IPv6 address (`::` expanded, lower case, no leading zeros), or null when the
 * text is not one. Zone ids and embedded dotted IPv4 are not accepted (Cloudflare sends neither).
 */
function ipv6Groups(ip: string): string[] | null {
  const halves = ip.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const split = (part: string) => (part === "" ? [] : part.split(":"));
  const head = split(halves[0] ?? "");
  const tail = halves.length === 2 ? split(halves[1] ?? "") : [];
  if (![...head, ...tail].every((group) => IPV6_GROUP.test(group))) return null;
  const missing = 8 - head.length - tail.length;
  // Without `::` there must be exactly eight groups; with it, `::` stands for at least one.
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((group) => group.replace(/^0+(?=.)/, ""));
}

/**
 * The client address as Cloudflare's edge saw it. Only CF-Connecting-IP is
 * trusted: Cloudflare sets it and clients cannot, whereas X-Forwarded-For is
 * whatever the client wrote.
 */
export function clientIpFrom(headers: Headers): string | null {
  const value = headers.get("CF-Connecting-IP")?.trim();
  if (!value) return null;
  if (IPV4.test(value) || ipv6Groups(value)) return value.toLowerCase();
  return null;
}

/**
 * The key every per-client limit counts under: an IPv4 address as it is, an IPv6 address by its /64
 * (`2001:db8:0:1::/64`), since one subscriber is routinely handed a whole /64 and could otherwise take a
 * fresh budget with every address in it. No address: `unknown`, one budget shared by all such requests.
 */
export function clientLimitKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (IPV4.test(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return "unknown";
  return `${groups.slice(0, 4).join(":")}::/64`;
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
