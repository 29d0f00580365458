import { describe, expect, it } from "vitest";
import {
  combinationKey,
  combinationOf,
  duplicatesOf,
  optionsRecord,
  refusedOptionChange,
  variantTitle,
} from "../../../src/modules/catalog/variants";

const SIZE = { name: "Size", values: ["S", "M", "L"] };
const COLOUR = { name: "Colour", values: ["Black", "White"] };

describe("a variant's option values", () => {
  it("are one known value of each option, in the options' order, whatever order they are given in", () => {
    expect(combinationOf([SIZE, COLOUR], { Colour: "White", Size: "M" })).toEqual({ ok: true, values: ["M", "White"] });
    expect(combinationOf([COLOUR, SIZE], { Size: "M", Colour: "White" })).toEqual({ ok: true, values: ["White", "M"] });
  });

  it("are the empty combination for a product without options", () => {
    expect(combinationOf([], {})).toEqual({ ok: true, values: [] });
  });

  it("title the variant with its values, or Default without options", () => {
    expect(variantTitle(["M", "White"])).toBe("M / White");
    expect(variantTitle(["250 g"])).toBe("250 g");
    expect(variantTitle([])).toBe("Default");
  });

  it("are shown by option name, and the stored form tells two combinations apart", () => {
    expect(optionsRecord([SIZE, COLOUR], ["M", "White"])).toEqual({ Size: "M", Colour: "White" });
    expect(optionsRecord([], [])).toEqual({});
    // A value missing from storage is left out rather than shown as undefined.
    expect(optionsRecord([SIZE, COLOUR], ["M"])).toStrictEqual({ Size: "M" });
    expect(combinationKey(["M", "White"])).not.toBe(combinationKey(["White", "M"]));
    expect(combinationKey(["M", "White"])).toBe(combinationKey(["M", "White"]));
  });
});

describe("duplicates, case-insensitively", () => {
  it("lists each repeated item once, as first repeated", () => {
    expect(duplicatesOf(["A-1", "b", "a-1", "B", "A-1", "c"])).toEqual(["a-1", "B"]);
    expect(duplicatesOf(["x", "y"])).toEqual([]);
    expect(duplicatesOf([])).toEqual([]);
  });
});

describe("changing a product's options once it has variants", () => {
  const used = [
    ["S", "Black"],
    ["M", "White"],
  ];

  it("allows renaming options, adding values and reordering them", () => {
    const next = [
      { name: "Taille", values: ["L", "XL", "M", "S"] },
      { name: "Colour", values: ["White", "Black", "Red"] },
    ];
    expect(refusedOptionChange([SIZE, COLOUR], next, used)).toBeUndefined();
  });

  it("allows removing a value no live variant uses", () => {
    expect(refusedOptionChange([SIZE, COLOUR], [{ name: "Size", values: ["S", "M"] }, COLOUR], used)).toBeUndefined();
  });

  it("refuses removing a value a live variant uses, naming it", () => {
    const refused = refusedOptionChange([SIZE, COLOUR], [SIZE, { name: "Colour", values: ["Black", "Red"] }], used);
    expect(refused?.code).toBe("option_value_in_use");
    expect(refused?.message).toContain('"Colour" must keep "White"');
    const both = refusedOptionChange([SIZE, COLOUR], [{ name: "Size", values: ["L"] }, COLOUR], used);
    expect(both?.message).toContain('"Size" must keep "S", "M":');
  });

  it("judges only the values variants have: a variant stored without a value at a position keeps none there", () => {
    expect(refusedOptionChange([SIZE, COLOUR], [SIZE, { name: "Colour", values: ["Black"] }], [["S"]])).toBeUndefined();
  });

  it("refuses adding or removing an option", () => {
    expect(refusedOptionChange([SIZE, COLOUR], [SIZE], used)).toEqual({
      code: "options_fixed",
      message:
        "This product has 2 option(s): options can be renamed, and values added, reordered or removed, but options cannot be added or removed once variants exist.",
    });
    expect(refusedOptionChange([SIZE], [SIZE, COLOUR], [["S"]])?.code).toBe("options_fixed");
    expect(refusedOptionChange([], [], [[]])).toBeUndefined();
  });
});
