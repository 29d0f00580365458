import { describe, expect, it } from "vitest";
import { clientIpFrom, clientLimitKey } from "../../../src/platform/http/client-ip";

describe("clientLimitKey: the key every per-client limit counts under", () => {
  it("keys an IPv6 client by its /64, however the address is written", () => {
    const sameSubscriber = [
      "2001:db8:0:1::1",
      "2001:0db8:0000:0001:ffff:ffff:ffff:ffff",
      "2001:DB8:0:1:abcd::",
      "2001:db8::1:0:0:0:2",
      "2001:db8:0:1:0:0:0:0",
    ];
    for (const ip of sameSubscriber) expect(clientLimitKey(ip), ip).toBe("2001:db8:0:1::/64");
  });

  it("gives addresses in different /64s different keys, even when they share a /48 or /56", () => {
    const keys = ["2001:db8:0:1::1", "2001:db8:0:2::1", "2001:db8:0:101::1", "2001:db8:1:1::1"].map(clientLimitKey);
    expect(new Set(keys).size).toBe(4);
  });

  it("expands :: wherever it is, including at either end", () => {
    expect(clientLimitKey("::1")).toBe("0:0:0:0::/64");
    expect(clientLimitKey("::")).toBe("0:0:0:0::/64");
    expect(clientLimitKey("fe80::")).toBe("fe80:0:0:0::/64");
    expect(clientLimitKey("2001:db8:1::")).toBe("2001:db8:1:0::/64");
    // `::` in the interface half leaves the four network groups as written.
    expect(clientLimitKey("2606:4700:10:20::1")).toBe("2606:4700:10:20::/64");
  });

  it("keys an IPv4 client by the full address", () => {
    expect(clientLimitKey("198.51.100.7")).toBe("198.51.100.7");
    expect(clientLimitKey("198.51.100.8")).not.toBe(clientLimitKey("198.51.100.7"));
  });

  it("puts requests without a usable address in one `unknown` budget", () => {
    expect(clientLimitKey(null)).toBe("unknown");
    for (const garbage of ["", "1:2:3", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "g::1", ":1::", "1:::2"]) {
      expect(clientLimitKey(garbage), garbage).toBe("unknown");
    }
  });
});

describe("clientIpFrom", () => {
  const from = (value: string) => clientIpFrom(new Headers({ "CF-Connecting-IP": value }));

  it("accepts IPv4 and well-formed IPv6, lower-cased", () => {
    expect(from(" 203.0.113.9 ")).toBe("203.0.113.9");
    expect(from("2001:DB8::1")).toBe("2001:db8::1");
  });

  it("refuses what is not an address, so it cannot mint budgets of its own", () => {
    for (const value of ["::::", "1:2:3", "1::2::3", "abcde::1", "not-an-ip"]) expect(from(value), value).toBeNull();
    expect(clientIpFrom(new Headers({ "X-Forwarded-For": "203.0.113.9" }))).toBeNull();
  });
});
