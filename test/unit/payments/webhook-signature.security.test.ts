import { describe, expect, it } from "vitest";
import { verifyStripeSignature } from "../../../src/modules/payments/webhook-signature";
import { BODY, hmacHex, NOW_MS, NOW_S, SECRET, stripeHeader } from "./stripe-signing";

const verify = (header: string | undefined, secrets = [SECRET], body = BODY) =>
  verifyStripeSignature(header, body, secrets, NOW_MS);

describe("verifyStripeSignature: what never verifies", () => {
  it("no header, an empty one, or no configured secret", async () => {
    expect(await verify(undefined)).toBe(false);
    expect(await verify("")).toBe(false);
    expect(await verify(await stripeHeader(), [])).toBe(false);
  });

  it("a signature made with another secret", async () => {
    expect(await verify(await stripeHeader({ secret: "whsec_someone_else" }))).toBe(false);
  });

  it("a body or a timestamp other than the ones signed", async () => {
    const tampered = new TextEncoder().encode('{"id":"evt_1","type":"charge.refunded"}');
    expect(await verify(await stripeHeader(), [SECRET], tampered)).toBe(false);
    const signature = await hmacHex(SECRET, `${NOW_S}.`);
    expect(await verify(`t=${NOW_S - 1},v1=${signature}`)).toBe(false);
  });

  it("a timestamp more than five minutes away, in either direction, even when correctly signed", async () => {
    for (const timestamp of [NOW_S - 301, NOW_S + 301, NOW_S - 86_400]) {
      expect(await verify(await stripeHeader({ timestamp })), `${timestamp}`).toBe(false);
    }
  });

  it("only v1 counts: a valid signature under v0, or under no scheme, is refused", async () => {
    const signature = await hmacHex(SECRET, `${NOW_S}.`);
    expect(await verify(`t=${NOW_S},v0=${signature}`)).toBe(false);
    expect(await verify(`t=${NOW_S},${signature}`)).toBe(false);
    expect(await verify(`t=${NOW_S},v1`)).toBe(false);
  });

  it("a v1 value that is not whole bytes of hex, even when it starts with the valid signature", async () => {
    const signature = await hmacHex(SECRET, `${NOW_S}.`);
    for (const value of [`${signature}a`, `${signature}zz`, `zz${signature}`, ""]) {
      expect(await verify(`t=${NOW_S},v1=${value}`), value).toBe(false);
    }
  });

  it("a v1 value with a character outside 0-9a-f inside it, even one that parses to the signed byte", async () => {
    const signature = await hmacHex(SECRET, `${NOW_S}.`);
    // A byte below 0x10 is written 0X; parseInt reads "Xz" as X too. This secret and body sign such a byte.
    const index = [...signature.matchAll(/../g)].findIndex((pair) => pair[0].startsWith("0"));
    expect(index).toBeGreaterThanOrEqual(0);
    const at = index * 2;
    const forged = `${signature.slice(0, at)}${signature[at + 1]}z${signature.slice(at + 2)}`;
    expect(Number.parseInt(forged.slice(at, at + 2), 16)).toBe(Number.parseInt(signature.slice(at, at + 2), 16));
    expect(await verify(`t=${NOW_S},v1=${forged}`)).toBe(false);
  });

  it("a header with no timestamp, or one that is not 1 to 12 digits, even with a signature over what it would read as", async () => {
    for (const prefix of ["", "undefined.", "NaN."]) {
      const signature = await hmacHex(SECRET, prefix);
      expect(await verify(`v1=${signature}`), prefix).toBe(false);
    }
    for (const t of [`x${NOW_S}`, `${NOW_S}x`, `-${NOW_S}`, "", `${NOW_MS}`]) {
      const signature = await hmacHex(SECRET, `${t}.`);
      expect(await verify(`t=${t},v1=${signature}`), t).toBe(false);
      expect(await verify(`t=${t},v1=${await hmacHex(SECRET, "NaN.")}`), t).toBe(false);
    }
  });

  it("a header whose only timestamp is under another name", async () => {
    const signature = await hmacHex(SECRET, `${NOW_S}.`);
    expect(await verify(`ts=${NOW_S},v1=${signature}`)).toBe(false);
  });
});
