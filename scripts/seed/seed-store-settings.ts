/**
 * The demo store's settings: shipping zones "Europe" and "United Kingdom" with their methods, 20 % VAT for GB and
 * FR, and the code WELCOME10. Idempotent: a zone whose name exists, a country already in a zone, a rate for a
 * country already taxed and a code already there are left alone (an admin's edits stay).
 */
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { newId } from "../../src/platform/ids.ts";
import {
  discountCodes,
  type ShippingTier,
  shippingMethods,
  shippingZoneCountries,
  shippingZones,
  taxRates,
} from "../../src/schema.ts";

interface DemoMethod {
  name: string;
  rateKind: "flat" | "weight_tiers";
  amount?: number;
  tiers?: ShippingTier[];
  freeOverAmount?: number;
}

const DEMO_ZONES: { name: string; countries: string[]; methods: DemoMethod[] }[] = [
  {
    name: "Europe",
    countries: ["FR", "DE", "NL", "BE", "ES", "IT", "AT", "IE", "PT"],
    methods: [
      { name: "Standard", rateKind: "flat", amount: 490 },
      {
        name: "Express",
        rateKind: "weight_tiers",
        tiers: [
          { min: 0, amount: 990 },
          { min: 1000, amount: 1490 },
          { min: 5000, amount: 2490 },
        ],
      },
    ],
  },
  {
    name: "United Kingdom",
    countries: ["GB"],
    methods: [{ name: "Standard", rateKind: "flat", amount: 395, freeOverAmount: 5000 }],
  },
];

const DEMO_TAX_RATES = [
  { country: "GB", name: "VAT", rateBps: 2000 },
  { country: "FR", name: "TVA", rateBps: 2000 },
];

/** Writes what is missing of the demo settings in one batch (one transaction); returns how many zones it added. */
export async function seedStoreSettings(url: string, authToken?: string): Promise<number> {
  const client = createClient({ url, authToken });
  try {
    return await seedWith(drizzle(client), new Date().toISOString());
  } finally {
    client.close();
  }
}

async function seedWith(db: ReturnType<typeof drizzle>, now: string): Promise<number> {
  const existing = await db.select({ name: shippingZones.name }).from(shippingZones);
  const missing = DEMO_ZONES.filter((zone) => !existing.some((row) => row.name === zone.name));
  const zoneStatements = missing.flatMap((zone) => {
    const zoneId = newId("shz");
    return [
      db.insert(shippingZones).values({ id: zoneId, name: zone.name, createdAt: now, updatedAt: now }),
      db
        .insert(shippingZoneCountries)
        .values(zone.countries.map((country) => ({ country, zoneId })))
        .onConflictDoNothing(),
      db.insert(shippingMethods).values(
        zone.methods.map((method, position) => ({
          id: newId("shm"),
          zoneId,
          name: method.name,
          rateKind: method.rateKind,
          amount: method.amount ?? 0,
          tiers: method.tiers ?? [],
          freeOverAmount: method.freeOverAmount ?? null,
          position,
          createdAt: now,
          updatedAt: now,
        })),
      ),
    ];
  });
  await db.batch([
    db
      .insert(taxRates)
      .values(DEMO_TAX_RATES.map((rate) => ({ id: newId("txr"), ...rate, createdAt: now, updatedAt: now })))
      .onConflictDoNothing(),
    db
      .insert(discountCodes)
      .values({
        id: newId("dsc"),
        code: "WELCOME10",
        kind: "percentage",
        value: 10,
        usageLimit: 100,
        createdAt: now,
        updatedAt: now,
      })
      // The unique index is on lower(code): any conflict means the code is there.
      .onConflictDoNothing(),
    ...zoneStatements,
  ]);
  return missing.length;
}
