/**
 * A shop's database as it was before migration 0009 (variants, categories, images): the schema of migrations
 * 0000–0008, filled by plain SQL with rows the old app would have written (one sku, price and stock per product,
 * a free-text category, one image URL). It starts no server: give it the URL of one. Tests migrate it to the
 * latest schema with `migrateToLatest` and compare what they read with the `LegacyData` it returns.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient, type InValue } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { MIGRATIONS_DIR, migrateDatabase } from "../../scripts/db/migrate-database.ts";

/** The last migration of the schema before variants (`migrations/meta/_journal.json` idx). */
export const LEGACY_LAST_MIGRATION = 8;

export interface LegacyUser {
  id: string;
  email: string;
  username: string;
  username_key: string;
  full_name: string | null;
  password_hash: string;
  role: string;
  is_active: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  email_verified_at: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | null;
}

/** A product row of migration 0002; `seq` is the one the database gave it (read back after the insert). */
export interface LegacyProduct {
  seq: number;
  id: string;
  sku: string;
  name: string;
  description: string;
  price_amount: number;
  currency: string;
  category: string | null;
  image_url: string | null;
  is_active: number;
  initial_stock: number;
  stock_available: number;
  stock_version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface LegacyCart {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
}

export interface LegacyCartItem {
  id: string;
  cart_id: string;
  product_id: string;
  quantity: number;
  created_at: string;
  updated_at: string;
}

export interface LegacyWishlistItem {
  user_id: string;
  product_id: string;
  created_at: string;
}

export interface LegacyOrder {
  id: string;
  user_id: string;
  status: string;
  subtotal_amount: number;
  total_amount: number;
  refunded_amount: number;
  currency: string;
  shipping_address: string;
  note: string | null;
  payment_provider: string | null;
  payment_intent_id: string | null;
  expires_at: string | null;
  paid_at: string | null;
  created_at: string;
  updated_at: string;
  payment_status: string | null;
  attention: string | null;
  reservation_key: string | null;
  received_amount: number | null;
}

export interface LegacyOrderItem {
  id: string;
  order_id: string;
  product_id: string;
  name: string;
  sku: string;
  unit_price_amount: number;
  quantity: number;
  line_amount: number;
}

export interface LegacyOrderEvent {
  id: string;
  order_id: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  reason: string | null;
  at: string;
}

export interface LegacyRefund {
  id: string;
  order_id: string;
  amount: number;
  reason: string;
  restock: number;
  provider_refund_id: string | null;
  status: string;
  requested_by: string | null;
  created_at: string;
}

export interface LegacyMovement {
  id: string;
  product_id: string;
  version: number;
  reason: string;
  on_hand_delta: number;
  reserved_delta: number;
  order_id: string | null;
  actor_id: string | null;
  note: string | null;
  at: string;
}

/** Everything `writeLegacyData` wrote, row by row, with the old schema's column names. */
export interface LegacyData {
  users: LegacyUser[];
  products: LegacyProduct[];
  carts: LegacyCart[];
  cartItems: LegacyCartItem[];
  wishlistItems: LegacyWishlistItem[];
  orders: LegacyOrder[];
  orderItems: LegacyOrderItem[];
  orderEvents: LegacyOrderEvent[];
  refunds: LegacyRefund[];
  inventoryMovements: LegacyMovement[];
}

/** Applies migrations 0000 to `through` (default 0008) and nothing after, as a shop deployed then had them. */
export async function migrateToLegacySchema(url: string, through = LEGACY_LAST_MIGRATION): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), "legacy-migrations-"));
  try {
    const journal = JSON.parse(await readFile(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as {
      entries: { idx: number; tag: string }[];
    };
    const entries = journal.entries.filter((entry) => entry.idx <= through);
    if (entries.length !== through + 1) throw new Error(`the journal has no migrations 0 to ${through}`);
    await mkdir(join(folder, "meta"));
    await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
    for (const { tag } of entries) await cp(join(MIGRATIONS_DIR, `${tag}.sql`), join(folder, `${tag}.sql`));
    const client = createClient({ url });
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      client.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Applies every pending migration, as `npm run db:migrate` does on deploy. */
export function migrateToLatest(url: string): ReturnType<typeof migrateDatabase> {
  return migrateDatabase(url);
}

/** A database at migration 0008 holding `writeLegacyData`'s rows. */
export async function createLegacyDatabase(url: string): Promise<LegacyData> {
  await migrateToLegacySchema(url);
  return writeLegacyData(url);
}

const PASSWORD_HASH = "pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

function user(id: string, username: string, fields: Partial<LegacyUser> = {}): LegacyUser {
  return {
    id,
    email: `${username.toLowerCase()}@example.com`,
    username,
    username_key: username.normalize("NFKC").toLowerCase(),
    full_name: null,
    password_hash: PASSWORD_HASH,
    role: "user",
    is_active: 1,
    created_at: "2025-01-02T09:00:00.000Z",
    updated_at: "2025-01-02T09:00:00.000Z",
    deleted_at: null,
    email_verified_at: "2025-01-02T09:05:00.000Z",
    totp_secret: null,
    totp_pending_secret: null,
    totp_enabled_at: null,
    totp_last_step: null,
    ...fields,
  };
}

type NewProduct = Omit<LegacyProduct, "seq">;

function product(fields: Pick<NewProduct, "id" | "sku" | "name" | "description"> & Partial<NewProduct>): NewProduct {
  return {
    price_amount: 1000,
    currency: "usd",
    category: null,
    image_url: null,
    is_active: 1,
    initial_stock: 10,
    stock_available: 10,
    stock_version: 1,
    created_at: "2025-02-01T10:00:00.000Z",
    updated_at: "2025-02-01T10:00:00.000Z",
    deleted_at: null,
    ...fields,
  };
}

const ADDRESS = JSON.stringify({
  name: "Alice Liddell",
  line1: "1 Rabbit Hole Lane",
  city: "Oxford",
  postal_code: "OX1 1AA",
  country: "GB",
});

function order(
  fields: Pick<LegacyOrder, "id" | "user_id" | "status" | "created_at"> & Partial<LegacyOrder>,
): LegacyOrder {
  return {
    subtotal_amount: 0,
    total_amount: 0,
    refunded_amount: 0,
    currency: "usd",
    shipping_address: ADDRESS,
    note: null,
    payment_provider: null,
    payment_intent_id: null,
    expires_at: null,
    paid_at: null,
    updated_at: fields.created_at,
    payment_status: null,
    attention: null,
    reservation_key: null,
    received_amount: null,
    ...fields,
  };
}

function item(id: string, orderId: string, line: NewProduct, quantity: number): LegacyOrderItem {
  return {
    id,
    order_id: orderId,
    product_id: line.id,
    name: line.name,
    sku: line.sku,
    unit_price_amount: line.price_amount,
    quantity,
    line_amount: line.price_amount * quantity,
  };
}

function movement(
  id: string,
  productId: string,
  version: number,
  reason: string,
  onHand: number,
  reserved: number,
  fields: Partial<LegacyMovement> = {},
): LegacyMovement {
  return {
    id,
    product_id: productId,
    version,
    reason,
    on_hand_delta: onHand,
    reserved_delta: reserved,
    order_id: null,
    actor_id: null,
    note: null,
    at: `2025-03-01T00:00:${String(version).padStart(2, "0")}.000Z`,
    ...fields,
  };
}

/** An INSERT of one row, its columns named by the row's keys. */
export function insert(table: string, row: object): { sql: string; args: InValue[] } {
  const entries: [string, InValue][] = Object.entries(row);
  return {
    sql: `INSERT INTO ${table} (${entries.map(([column]) => `"${column}"`).join(", ")}) VALUES (${entries.map(() => "?").join(", ")})`,
    args: entries.map(([, value]) => value),
  };
}

/** Fills a database at migration 0008 with a small shop, by plain SQL in the old schema; returns what it wrote. */
export async function writeLegacyData(url: string): Promise<LegacyData> {
  const admin = user("usr_0000000000000000000000adm", "Admin", { role: "admin", full_name: "Shop Admin" });
  const alice = user("usr_00000000000000000000alice", "alice", {
    full_name: "Alice Liddell",
    totp_secret: "JBSWY3DPEHPK3PXP",
    totp_enabled_at: "2025-01-03T10:00:00.000Z",
    totp_last_step: 58_000_000,
  });
  const bob = user("usr_0000000000000000000000bob", "bob", { email_verified_at: null });
  const carol = user("usr_000000000000000000000carol", "Carol", {
    is_active: 0,
    deleted_at: "2025-06-01T00:00:00.000Z",
    updated_at: "2025-06-01T00:00:00.000Z",
  });
  const users = [admin, alice, bob, carol];

  const earlGrey = product({
    id: "prd_000000000000000000earlgrey",
    sku: "TEA-EARLGREY-100G",
    name: "Earl Grey, loose leaf, 100 g",
    description: "Black tea scented with bergamot oil.",
    price_amount: 1299,
    category: "loose-tea",
    initial_stock: 40,
    stock_available: 33,
    stock_version: 4,
    created_at: "2025-02-01T10:00:00.000Z",
    updated_at: "2025-02-10T10:00:00.000Z",
  });
  const sencha = product({
    id: "prd_0000000000000000000sencha",
    sku: "tea.sencha_50g",
    name: "Sencha Kyoto",
    description: "Steamed green tea from Uji, grassy and sweet.",
    price_amount: 1850,
    category: "tea",
    image_url: "https://cdn.example.com/products/sencha.jpg?v=2",
    initial_stock: 20,
    stock_available: 19,
    stock_version: 2,
    created_at: "2025-02-02T10:00:00.000Z",
    updated_at: "2025-02-02T10:00:00.000Z",
  });
  const oolong = product({
    id: "prd_0000000000000000000oolong",
    sku: "OOLONG-TIEGUANYIN",
    name: "Tieguanyin oolong",
    description: "Rolled oolong with an orchid finish.",
    price_amount: 2400,
    category: "loose-tea",
    is_active: 0,
    initial_stock: 10,
    stock_available: 10,
    stock_version: 3,
    created_at: "2025-01-20T10:00:00.000Z",
    updated_at: "2025-03-05T10:00:00.000Z",
  });
  const matcha = product({
    id: "prd_0000000000000000000matcha",
    sku: "MATCHA-CEREMONIAL",
    name: "Ceremonial matcha",
    description: "Stone-ground tencha from Nishio.",
    price_amount: 3200,
    category: "tea",
    image_url: "https://cdn.example.com/products/matcha.png",
    initial_stock: 8,
    stock_available: 6,
    stock_version: 3,
    created_at: "2025-02-03T10:00:00.000Z",
    updated_at: "2025-04-01T10:00:00.000Z",
    deleted_at: "2025-04-01T10:00:00.000Z",
  });
  const teapot = product({
    id: "prd_0000000000000000000teapot",
    sku: "POT-CAST-IRON-800ML",
    name: "Tetsubin kettle",
    description: "Cast iron, enamelled inside; holds 800 ml.",
    price_amount: 8900,
    initial_stock: 5,
    stock_available: 4,
    stock_version: 3,
    created_at: "2025-02-04T10:00:00.000Z",
    updated_at: "2025-02-04T10:00:00.000Z",
  });
  const cups = product({
    id: "prd_000000000000000000000cups",
    sku: "CUPS-SET-4",
    name: "Porcelain cups, set of four",
    description: "",
    price_amount: 2600,
    category: "cups-and-saucers",
    image_url: "https://cdn.example.com/products/cups.webp",
    initial_stock: 12,
    stock_available: 12,
    stock_version: 1,
    created_at: "2025-02-05T10:00:00.000Z",
    updated_at: "2025-02-05T10:00:00.000Z",
  });
  const newProducts = [earlGrey, sencha, oolong, matcha, teapot, cups];

  const carts: LegacyCart[] = [
    {
      id: "crt_00000000000000000000alice",
      user_id: alice.id,
      created_at: "2025-05-01T08:00:00.000Z",
      updated_at: "2025-05-02T08:00:00.000Z",
    },
    {
      id: "crt_0000000000000000000000bob",
      user_id: bob.id,
      created_at: "2025-05-03T08:00:00.000Z",
      updated_at: "2025-05-03T09:00:00.000Z",
    },
  ];
  const cartLine = (id: string, cart: LegacyCart, line: NewProduct, quantity: number): LegacyCartItem => ({
    id,
    cart_id: cart.id,
    product_id: line.id,
    quantity,
    created_at: cart.created_at,
    updated_at: cart.updated_at,
  });
  const [aliceCart, bobCart] = carts as [LegacyCart, LegacyCart];
  const cartItems = [
    cartLine("cit_000000000000000000000001", aliceCart, earlGrey, 2),
    cartLine("cit_000000000000000000000002", aliceCart, teapot, 1),
    cartLine("cit_000000000000000000000003", bobCart, sencha, 3),
    cartLine("cit_000000000000000000000004", bobCart, oolong, 1),
    cartLine("cit_000000000000000000000005", bobCart, matcha, 5),
  ];

  const wishlistItems: LegacyWishlistItem[] = [
    { user_id: alice.id, product_id: sencha.id, created_at: "2025-05-01T08:10:00.000Z" },
    { user_id: alice.id, product_id: matcha.id, created_at: "2025-05-01T08:11:00.000Z" },
    { user_id: bob.id, product_id: earlGrey.id, created_at: "2025-05-03T08:10:00.000Z" },
  ];

  const paid = order({
    id: "ord_000000000000000000000paid",
    user_id: alice.id,
    status: "paid",
    subtotal_amount: 2 * earlGrey.price_amount + teapot.price_amount,
    total_amount: 2 * earlGrey.price_amount + teapot.price_amount,
    payment_provider: "stripe",
    payment_intent_id: "pi_3PaidPaidPaid",
    payment_status: "succeeded",
    received_amount: 2 * earlGrey.price_amount + teapot.price_amount,
    reservation_key: "ord_000000000000000000000paid",
    paid_at: "2025-03-01T12:05:00.000Z",
    created_at: "2025-03-01T12:00:00.000Z",
    updated_at: "2025-03-01T12:05:00.000Z",
    note: "Leave at the door",
  });
  const awaiting = order({
    id: "ord_00000000000000000000await",
    user_id: bob.id,
    status: "awaiting_payment",
    subtotal_amount: sencha.price_amount,
    total_amount: sencha.price_amount,
    payment_provider: "stripe",
    payment_intent_id: "pi_3AwaitAwaitAwait",
    payment_status: "requires_payment_method",
    reservation_key: "ord_00000000000000000000await",
    expires_at: "2099-01-01T00:30:00.000Z",
    created_at: "2025-03-02T12:00:00.000Z",
  });
  const cancelled = order({
    id: "ord_0000000000000000000cancel",
    user_id: alice.id,
    status: "cancelled",
    subtotal_amount: oolong.price_amount,
    total_amount: oolong.price_amount,
    reservation_key: "ord_0000000000000000000cancel",
    created_at: "2025-02-20T12:00:00.000Z",
    updated_at: "2025-02-20T12:30:00.000Z",
  });
  const refunded = order({
    id: "ord_00000000000000000refunded",
    user_id: carol.id,
    status: "partially_refunded",
    subtotal_amount: 2 * matcha.price_amount,
    total_amount: 2 * matcha.price_amount,
    refunded_amount: matcha.price_amount,
    payment_provider: "stripe",
    payment_intent_id: "pi_3RefundRefund",
    payment_status: "succeeded",
    received_amount: 2 * matcha.price_amount,
    attention: "disputed",
    reservation_key: "res_0000000000000000000late1",
    paid_at: "2025-03-03T12:06:00.000Z",
    created_at: "2025-03-03T12:00:00.000Z",
    updated_at: "2025-03-10T12:00:00.000Z",
  });
  const orders = [paid, awaiting, cancelled, refunded];

  const orderItems = [
    item("oit_000000000000000000000001", paid.id, earlGrey, 2),
    item("oit_000000000000000000000002", paid.id, teapot, 1),
    item("oit_000000000000000000000003", awaiting.id, sencha, 1),
    item("oit_000000000000000000000004", cancelled.id, oolong, 1),
    item("oit_000000000000000000000005", refunded.id, matcha, 2),
  ];

  const event = (
    id: string,
    target: LegacyOrder,
    from: string | null,
    to: string,
    at: string,
    fields: Partial<LegacyOrderEvent> = {},
  ): LegacyOrderEvent => ({
    id,
    order_id: target.id,
    from_status: from,
    to_status: to,
    actor_id: null,
    reason: null,
    at,
    ...fields,
  });
  const orderEvents = [
    event("oev_000000000000000000000001", paid, null, "pending", paid.created_at, { actor_id: alice.id }),
    event("oev_000000000000000000000002", paid, "pending", "awaiting_payment", paid.created_at),
    event("oev_000000000000000000000003", paid, "awaiting_payment", "paid", "2025-03-01T12:05:00.000Z", {
      reason: "payment_intent.succeeded",
    }),
    event("oev_000000000000000000000004", awaiting, null, "pending", awaiting.created_at, { actor_id: bob.id }),
    event("oev_000000000000000000000005", awaiting, "pending", "awaiting_payment", awaiting.created_at),
    event("oev_000000000000000000000006", cancelled, null, "pending", cancelled.created_at, { actor_id: alice.id }),
    event("oev_000000000000000000000007", cancelled, "pending", "awaiting_payment", cancelled.created_at),
    event("oev_000000000000000000000008", cancelled, "awaiting_payment", "cancelled", "2025-02-20T12:30:00.000Z", {
      actor_id: alice.id,
      reason: "changed my mind",
    }),
    event("oev_000000000000000000000009", refunded, "paid", "partially_refunded", "2025-03-10T12:00:00.000Z", {
      actor_id: admin.id,
      reason: "one tin arrived open",
    }),
  ];

  const refunds: LegacyRefund[] = [
    {
      id: "rfd_000000000000000000000001",
      order_id: refunded.id,
      amount: matcha.price_amount,
      reason: "one tin arrived open",
      restock: 0,
      provider_refund_id: "re_3RefundRefund",
      status: "succeeded",
      requested_by: admin.id,
      created_at: "2025-03-10T12:00:00.000Z",
    },
  ];

  // Each product's ledger sums to its mirrored stock: on hand - reserved = stock_available, last version = stock_version.
  const inventoryMovements = [
    movement("mov_000000000000000000000001", earlGrey.id, 1, "initial", 40, 0),
    movement("mov_000000000000000000000002", earlGrey.id, 2, "reserve", 0, 2, { order_id: paid.id }),
    movement("mov_000000000000000000000003", earlGrey.id, 3, "commit", -2, -2, { order_id: paid.id }),
    movement("mov_000000000000000000000004", earlGrey.id, 4, "adjust", -5, 0, { actor_id: admin.id, note: "damaged" }),
    movement("mov_000000000000000000000005", sencha.id, 1, "initial", 20, 0),
    movement("mov_000000000000000000000006", sencha.id, 2, "reserve", 0, 1, { order_id: awaiting.id }),
    movement("mov_000000000000000000000007", oolong.id, 1, "initial", 10, 0),
    movement("mov_000000000000000000000008", oolong.id, 2, "reserve", 0, 1, { order_id: cancelled.id }),
    movement("mov_000000000000000000000009", oolong.id, 3, "release", 0, -1, { order_id: cancelled.id }),
    movement("mov_000000000000000000000010", matcha.id, 1, "initial", 8, 0),
    movement("mov_000000000000000000000011", matcha.id, 2, "reserve", 0, 2, { order_id: refunded.reservation_key }),
    movement("mov_000000000000000000000016", matcha.id, 3, "commit", -2, -2, { order_id: refunded.reservation_key }),
    movement("mov_000000000000000000000012", teapot.id, 1, "initial", 5, 0),
    movement("mov_000000000000000000000013", teapot.id, 2, "reserve", 0, 1, { order_id: paid.id }),
    movement("mov_000000000000000000000014", teapot.id, 3, "commit", -1, -1, { order_id: paid.id }),
    movement("mov_000000000000000000000015", cups.id, 1, "initial", 12, 0),
  ];

  const client = createClient({ url });
  try {
    await client.batch(
      [
        ...users.map((row) => insert("users", row)),
        ...newProducts.map((row) => insert("products", row)),
        ...carts.map((row) => insert("carts", row)),
        ...cartItems.map((row) => insert("cart_items", row)),
        ...wishlistItems.map((row) => insert("wishlist_items", row)),
        ...orders.map((row) => insert("orders", row)),
        ...orderItems.map((row) => insert("order_items", row)),
        ...orderEvents.map((row) => insert("order_events", row)),
        ...refunds.map((row) => insert("refunds", row)),
        ...inventoryMovements.map((row) => insert("inventory_movements", row)),
      ],
      "write",
    );
    const products = await withSeq(client, newProducts);
    return {
      users,
      products,
      carts,
      cartItems,
      wishlistItems,
      orders,
      orderItems,
      orderEvents,
      refunds,
      inventoryMovements,
    };
  } finally {
    client.close();
  }
}

async function withSeq(client: Client, written: NewProduct[]): Promise<LegacyProduct[]> {
  const { rows } = await client.execute("SELECT id, seq FROM products");
  const seqs = new Map(rows.map((row) => [String(row.id), Number(row.seq)]));
  return written.map((row) => {
    const seq = seqs.get(row.id);
    if (seq === undefined) throw new Error(`product ${row.id} was not written`);
    return { seq, ...row };
  });
}
