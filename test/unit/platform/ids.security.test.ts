import { describe, expect, it } from "vitest";
import { newId } from "../../../src/platform/ids";

const SAMPLES = 2000;

/** The 128-bit number an id carries, decoded independently of the code under test. */
function numberIn(id: string): bigint {
  let value = 0n;
  for (const digit of id.slice(id.indexOf("_") + 1)) value = value * 36n + BigInt(Number.parseInt(digit, 36));
  return value;
}

describe("resource ids are opaque and non-sequential", () => {
  it("are the type prefix and 25 base36 characters, never a bare integer", () => {
    for (const prefix of ["usr", "ord", "prd", "ses"]) {
      const id = newId(prefix);
      expect(id).toMatch(new RegExp(`^${prefix}_[0-9a-z]{25}$`));
      expect(id).not.toMatch(/^\d+$/);
      expect(numberIn(id) < 2n ** 128n).toBe(true);
    }
  });

  it("carry 128 random bits: every bit is set in about half of the ids, and none repeats", () => {
    const values = Array.from({ length: SAMPLES }, () => numberIn(newId("usr")));
    expect(new Set(values).size).toBe(SAMPLES);
    // A counter, a timestamp or fewer random bytes leaves high bits fixed; half ± 9 standard deviations.
    const spread = 9 * Math.sqrt(SAMPLES / 4);
    for (let bit = 0n; bit < 128n; bit++) {
      const set = values.filter((value) => (value >> bit) & 1n).length;
      expect(Math.abs(set - SAMPLES / 2), `bit ${bit}`).toBeLessThan(spread);
    }
  });

  it("do not follow creation order", () => {
    const ids = Array.from({ length: 50 }, () => newId("ord"));
    expect([...ids].sort()).not.toEqual(ids);
  });
});
