import { describe, expect, it } from "vitest";
import { constantTimeEqual } from "../../../src/platform/encoding";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("constantTimeEqual", () => {
  it("is true for the same bytes, including none", () => {
    expect(constantTimeEqual(bytes(1, 2, 255), bytes(1, 2, 255))).toBe(true);
    expect(constantTimeEqual(bytes(), bytes())).toBe(true);
  });

  it("is false when any byte differs, first, middle or last", () => {
    expect(constantTimeEqual(bytes(9, 2, 3), bytes(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(bytes(1, 9, 3), bytes(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 9))).toBe(false);
  });

  it("is false when the lengths differ, even if one is a prefix of the other or the extra bytes are zero", () => {
    expect(constantTimeEqual(bytes(1, 2), bytes(1, 2, 3))).toBe(false);
    expect(constantTimeEqual(bytes(1, 2, 0), bytes(1, 2))).toBe(false);
    expect(constantTimeEqual(bytes(), bytes(0))).toBe(false);
  });
});
