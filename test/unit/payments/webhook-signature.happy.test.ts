import { describe, expect, it } from "vitest";
import { verifyStripeSignature } from "../../../src/modules/payments/webhook-signature";
import { BODY, hmacHex, NOW_MS, NOW_S, SECRET, stripeHeader } from "./stripe-signing";

describe("verifyStripeSignature: signatures that verify", () => {
  it("accepts a v1 signature of `t.body` made with the endpoint secret", async () => {
    expect(await verifyStripeSignature(await stripeHeader(), BODY, [SECRET], NOW_MS)).toBe(true);
  });

  it("accepts a signature made with any configured secret (rotation on this side)", async () => {
    const header = await stripeHeader({ secret: "whsec_unit_next" });
    expect(await verifyStripeSignature(header, BODY, [SECRET, "whsec_unit_next"], NOW_MS)).toBe(true);
    expect(await verifyStripeSignature(await stripeHeader(), BODY, [SECRET, "whsec_unit_next"], NOW_MS)).toBe(true);
  });

  it("accepts a header with several v1 signatures when one of them is valid, wherever it is", async () => {
    const valid = await hmacHex(SECRET, `${NOW_S}.`);
    const other = await hmacHex("whsec_unit_previous", `${NOW_S}.`);
    for (const header of [`t=${NOW_S},v1=${valid},v1=${other}`, `t=${NOW_S},v1=${other},v1=${valid}`]) {
      expect(await verifyStripeSignature(header, BODY, [SECRET], NOW_MS), header).toBe(true);
    }
  });

  it("ignores other schemes and spaces around parts, and reads hex in either case", async () => {
    const valid = await hmacHex(SECRET, `${NOW_S}.`);
    const header = ` t=${NOW_S} , v0=${"ab".repeat(32)}, v1=${valid.toUpperCase()} `;
    expect(await verifyStripeSignature(header, BODY, [SECRET], NOW_MS)).toBe(true);
  });

  it("accepts a timestamp up to five minutes away, in either direction", async () => {
    for (const timestamp of [NOW_S - 300, NOW_S + 300]) {
      expect(
        await verifyStripeSignature(await stripeHeader({ timestamp }), BODY, [SECRET], NOW_MS),
        `${timestamp}`,
      ).toBe(true);
    }
  });

  it("signs the exact bytes: an empty body verifies too", async () => {
    const empty = new Uint8Array();
    expect(await verifyStripeSignature(await stripeHeader({ body: empty }), empty, [SECRET], NOW_MS)).toBe(true);
  });
});
