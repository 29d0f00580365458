import { describe, expect, it } from "vitest";
import { combinationOf } from "../../../src/modules/catalog/variants";

const SIZE = { name: "Size", values: ["S", "M", "L"] };
const COLOUR = { name: "Colour", values: ["Black", "White"] };

describe("option values a variant cannot have", () => {
  it("a missing option names it", () => {
    expect(combinationOf([SIZE, COLOUR], { Size: "M" })).toEqual({ ok: false, message: 'Choose a value of "Colour"' });
  });

  it("an unknown option names every unknown one", () => {
    expect(combinationOf([SIZE], { Size: "M", Fit: "Slim", Cut: "V" })).toEqual({
      ok: false,
      message: 'No option named "Fit", "Cut"',
    });
    expect(combinationOf([], { Size: "M" })).toEqual({ ok: false, message: 'No option named "Size"' });
  });

  it("a value the option does not have lists the values it has", () => {
    expect(combinationOf([SIZE, COLOUR], { Size: "XL", Colour: "Black" })).toEqual({
      ok: false,
      message: '"XL" is not a value of "Size" (S, M, L)',
    });
  });

  it("names and values are matched exactly (case included)", () => {
    expect(combinationOf([SIZE], { size: "M" }).ok).toBe(false);
    expect(combinationOf([SIZE], { Size: "m" }).ok).toBe(false);
  });
});
