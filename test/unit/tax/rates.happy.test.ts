import { describe, expect, it } from "vitest";
import { pickRate, type TaxRateRow } from "../../../src/modules/tax/rates";

function taxRate(region: string, rateBps: number, country = "US"): TaxRateRow {
  return {
    id: `tax_${country}_${region || "all"}`,
    country,
    region,
    name: `${country} ${region}`.trim(),
    rateBps,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
  };
}

const national = taxRate("", 500);
const california = taxRate("CA", 725);
const newYork = taxRate("NY", 400);

describe("pickRate: a country with a national rate and regional ones", () => {
  const rates = [california, national, newYork];

  it("a region with its own rate gets it, not the national one", () => {
    expect(pickRate(rates, "CA")).toEqual({ rate: california, refusal: null });
    expect(pickRate(rates, "NY")).toEqual({ rate: newYork, refusal: null });
  });

  it("finds the region whatever its case and surrounding space", () => {
    expect(pickRate(rates, "ca").rate).toBe(california);
    expect(pickRate(rates, "  Ca ").rate).toBe(california);
  });

  it("a region without its own rate, a blank one or none gets the national rate", () => {
    expect(pickRate(rates, "TX")).toEqual({ rate: national, refusal: null });
    expect(pickRate(rates, "   ")).toEqual({ rate: national, refusal: null });
    expect(pickRate(rates, null)).toEqual({ rate: national, refusal: null });
  });
});

describe("pickRate: a country with a national rate alone", () => {
  it("gives it to every address", () => {
    for (const region of ["CA", "", null]) {
      expect(pickRate([national], region)).toEqual({ rate: national, refusal: null });
    }
  });
});

describe("pickRate: a country without rates", () => {
  it("is not taxed, and no region is asked for", () => {
    expect(pickRate([], "CA")).toEqual({ rate: null, refusal: null });
    expect(pickRate([], null)).toEqual({ rate: null, refusal: null });
  });
});

describe("pickRate: a country taxed only by region", () => {
  const rates = [newYork, california, taxRate("AK", 0)];

  it("a known region gets its rate, even a rate of nothing", () => {
    expect(pickRate(rates, "ny")).toEqual({ rate: newYork, refusal: null });
    expect(pickRate(rates, "AK").rate).toMatchObject({ region: "AK", rateBps: 0 });
  });

  it("an unknown region is refused with the regions it knows, sorted, rather than priced without tax", () => {
    const { rate, refusal } = pickRate(rates, "TX");
    expect(rate).toBeNull();
    expect(refusal).toMatchObject({
      status: 422,
      code: "tax_region_unknown",
      detail: "Give the address's region: this country is taxed by region.",
      options: { extensions: { regions: ["AK", "CA", "NY"] } },
    });
  });

  it("a missing or blank region is refused the same way", () => {
    for (const region of [null, "", "  "]) {
      expect(pickRate(rates, region).refusal, String(region)).toMatchObject({
        status: 422,
        code: "tax_region_unknown",
        options: { extensions: { regions: ["AK", "CA", "NY"] } },
      });
    }
  });

  it("leaves the rates it was given in their order", () => {
    pickRate(rates, "TX");
    expect(rates.map((rate) => rate.region)).toEqual(["NY", "CA", "AK"]);
  });
});
