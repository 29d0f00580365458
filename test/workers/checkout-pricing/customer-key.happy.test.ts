import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customerKey, customerKeySql } from "../../../src/modules/discounts/apply";
import { testDb } from "../support/accounts";

/**
 * A code's per-customer limit counts an account's uses by `customerKeySql` of its stored address (in the read that
 * checks it) and a guest's by `customerKey` of the address typed: the two must give one key for one address, or
 * the same shopper gets the limit twice. The SQL sees stored addresses (normalized: trimmed, lower case) and guest
 * addresses are plain ASCII (`z.email()`); SQLite's `lower` and `trim` know only ASCII letters and the space, which
 * is why the list below has no upper-case non-ASCII letter and no tab.
 */
const ADDRESSES = [
  "ann@example.com",
  "Ann@Example.COM",
  "  ann@example.com  ",
  "ann+shop@example.com",
  "Ann+X@Example.com",
  "ann+shop+2@example.com",
  "ann+@example.com",
  "+tag@example.com",
  "ann@ex+ample.com",
  "ann@b+c@example.com",
  "a+b@c@example.com",
  "first.last@sub.example.co.uk",
  "o'brien+news@example.ie",
  "josé+x@exämple.de",
];

async function keyInSql(address: string): Promise<string | undefined> {
  const row = await testDb().get<{ key: string }>(sql`select ${customerKeySql(sql`${address}`)} as key`);
  return row?.key;
}

describe("customerKeySql: the database's key of an address is customerKey's", () => {
  it.each(ADDRESSES)("%j", async (address) => {
    expect(await keyInSql(address)).toBe(customerKey(address));
  });
});
