/**
 * A small, realistic demo catalog: a category tree, and products with options and variants (prices in cents of
 * the store currency, stock in units, weights in grams). Most products have no options and so one default variant;
 * a few are sold in sizes, colours, weights or grinds, each variant with its own sku, price and stock.
 */

export interface DemoCategory {
  slug: string;
  name: string;
  /** The parent's slug: a parent comes before its children in DEMO_CATEGORIES. */
  parent?: string;
}

export interface DemoOption {
  name: string;
  values: string[];
}

export interface DemoVariant {
  sku: string;
  /** One value of each of the product's options, in the options' order; `[]` for a product without options. */
  optionValues: string[];
  priceAmount: number;
  /** The "was" price, above priceAmount. */
  compareAtAmount?: number;
  weightGrams?: number;
  initialStock: number;
}

export interface DemoProduct {
  name: string;
  description: string;
  /** Slugs of DEMO_CATEGORIES (a product in a category is also listed under the categories above it). */
  categories: string[];
  options: DemoOption[];
  /** The first one's sku says whether the product is already there. */
  variants: DemoVariant[];
}

/** Parents before children; siblings in display order. */
export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: "tea", name: "Tea" },
  { slug: "black-tea", name: "Black tea", parent: "tea" },
  { slug: "green-tea", name: "Green tea", parent: "tea" },
  { slug: "herbal-tea", name: "Herbal tea", parent: "tea" },
  { slug: "coffee", name: "Coffee" },
  { slug: "whole-bean", name: "Whole bean", parent: "coffee" },
  { slug: "ground-coffee", name: "Ground coffee", parent: "coffee" },
  { slug: "kitchen", name: "Kitchen" },
  { slug: "tableware", name: "Tableware" },
  { slug: "storage", name: "Storage" },
  { slug: "outdoor", name: "Outdoor" },
  { slug: "books", name: "Books" },
  { slug: "stationery", name: "Stationery" },
  { slug: "gifts", name: "Gifts" },
  { slug: "apparel", name: "Apparel" },
  { slug: "t-shirts", name: "T-shirts", parent: "apparel" },
  { slug: "accessories", name: "Accessories" },
];

/** A product without options: one default variant. */
const single = (
  sku: string,
  name: string,
  priceAmount: number,
  categories: string[],
  initialStock: number,
  description: string,
): DemoProduct => ({
  name,
  description,
  categories,
  options: [],
  variants: [{ sku, optionValues: [], priceAmount, initialStock }],
});

const TEE_SIZES = { S: { stock: 14, grams: 160 }, M: { stock: 30, grams: 180 }, L: { stock: 9, grams: 200 } };
const TEE_COLOURS = { Black: "BLK", White: "WHT" };

/** Every size in every colour: the price is the same, the stock and the weight go by size. */
const teeVariants: DemoVariant[] = Object.entries(TEE_SIZES).flatMap(([size, { stock, grams }]) =>
  Object.entries(TEE_COLOURS).map(([colour, code]) => ({
    sku: `TEE-CLUB-${code}-${size}`,
    optionValues: [size, colour],
    priceAmount: 2500,
    weightGrams: grams,
    initialStock: stock,
  })),
);

export const DEMO_CATALOG: DemoProduct[] = [
  single(
    "TEA-EARL-100",
    "Earl Grey, loose leaf, 100 g",
    1299,
    ["black-tea"],
    120,
    "Black tea scented with bergamot oil from Calabria.",
  ),
  single(
    "TEA-SENCHA-80",
    "Sencha Uji, 80 g",
    1850,
    ["green-tea"],
    60,
    "Steamed Japanese green tea with a grassy, sweet finish.",
  ),
  single(
    "TEA-ASSAM-250",
    "Assam breakfast, 250 g",
    1590,
    ["black-tea"],
    80,
    "Malty, full-bodied black tea that takes milk well.",
  ),
  single(
    "TEA-CHAMO-50",
    "Chamomile flowers, 50 g",
    890,
    ["herbal-tea"],
    40,
    "Whole Egyptian chamomile blossoms, caffeine free.",
  ),
  single(
    "TEA-MATCHA-30",
    "Ceremonial matcha, 30 g",
    3200,
    ["green-tea"],
    25,
    "Stone-ground tencha from Nishio, for whisking.",
  ),
  single(
    "TEA-ROOIBOS-100",
    "Rooibos vanilla, 100 g",
    1090,
    ["herbal-tea"],
    3,
    "South African red bush with Madagascar vanilla.",
  ),
  single(
    "COF-ETH-250",
    "Ethiopia Yirgacheffe, whole bean, 250 g",
    1650,
    ["whole-bean"],
    90,
    "Washed heirloom varieties; jasmine and lemon.",
  ),
  single(
    "COF-COL-250",
    "Colombia Huila, whole bean, 250 g",
    1450,
    ["whole-bean"],
    110,
    "Caramel sweetness with a red-apple acidity.",
  ),
  single(
    "COF-DECAF-250",
    "Swiss water decaf, 250 g",
    1550,
    ["coffee"],
    35,
    "Decaffeinated without solvents; cocoa and hazelnut.",
  ),
  single(
    "COF-ESP-1000",
    "House espresso blend, 1 kg",
    3990,
    ["whole-bean"],
    45,
    "Brazil and Guatemala for a syrupy shot.",
  ),
  single(
    "COF-COLD-500",
    "Cold brew coarse grind, 500 g",
    1890,
    ["ground-coffee"],
    0,
    "Ground for 16-hour immersion brewing.",
  ),
  single("KIT-KETTLE-GN", "Gooseneck kettle, 1 l", 6900, ["kitchen"], 30, "Temperature control to the degree, 1200 W."),
  single(
    "KIT-FRENCH-8",
    "French press, 8 cups",
    3400,
    ["kitchen"],
    50,
    "Borosilicate glass and a stainless steel mesh filter.",
  ),
  single(
    "KIT-GRIND-BURR",
    "Hand grinder, conical burr",
    8900,
    ["kitchen", "coffee"],
    18,
    "38 mm stainless burrs, 40 grind settings.",
  ),
  single("KIT-SCALE-01", "Brewing scale with timer", 2900, ["kitchen"], 70, "0.1 g resolution up to 2 kg."),
  single("KIT-POUR-02", "Pour-over dripper, size 02", 2200, ["kitchen"], 65, "Ceramic cone with spiral ribs."),
  single("KIT-FILTER-100", "Paper filters, 100 pack", 690, ["kitchen"], 300, "Oxygen-bleached, fits size 02 drippers."),
  single("KIT-TORCH", "Crème brûlée torch", 2450, ["kitchen"], 22, "Refillable butane torch with a safety lock."),
  single(
    "KIT-TEAPOT-CI",
    "Cast iron teapot, 0.8 l",
    5400,
    ["kitchen", "tea"],
    12,
    "Enamelled inside, with a stainless infuser.",
  ),
  single(
    "MUG-STONE-GRN",
    "Stoneware mug, moss green",
    1800,
    ["tableware"],
    140,
    "Hand-glazed, 350 ml, dishwasher safe.",
  ),
  single("MUG-STONE-SND", "Stoneware mug, sand", 1800, ["tableware"], 5, "Hand-glazed, 350 ml, dishwasher safe."),
  single(
    "CUP-GLASS-DW",
    "Double-wall glass cups, set of 2",
    2600,
    ["tableware"],
    60,
    "Keeps tea hot and hands cool, 250 ml.",
  ),
  single("TRAY-WALNUT", "Walnut serving tray", 4500, ["tableware"], 15, "Solid walnut with brass handles."),
  single(
    "BOOK-TEA-WORLD",
    "The World of Tea",
    3500,
    ["books", "tea"],
    25,
    "A guide to 200 teas, their gardens and their makers.",
  ),
  single(
    "BOOK-COFFEE-ATLAS",
    "The World Atlas of Coffee",
    3800,
    ["books", "coffee"],
    30,
    "From bean to cup, country by country.",
  ),
  single(
    "BOOK-BREW-GUIDE",
    "Brewing at Home",
    2400,
    ["books"],
    40,
    "Methods, ratios and troubleshooting for every brewer.",
  ),
  single(
    "STA-NOTE-A5",
    "Tasting notebook, A5",
    1400,
    ["stationery"],
    100,
    "Dot grid pages with a cupping form every tenth.",
  ),
  single("STA-PEN-FOUNT", "Fountain pen, fine nib", 4200, ["stationery"], 20, "Brass body, converter included."),
  single(
    "STA-LABELS-50",
    "Jar labels, 50 pack",
    790,
    ["stationery", "accessories"],
    200,
    "Kraft paper, water resistant.",
  ),
  single("STO-JAR-500", "Airtight canister, 500 g", 2300, ["storage"], 75, "Vacuum lid keeps beans fresh for weeks."),
  single("STO-TIN-100", "Tea tin, 100 g", 1200, ["storage", "accessories"], 90, "Double lid, food-safe lining."),
  single("STO-JAR-SET", "Glass jar set of 3", 2900, ["storage"], 2, "Borosilicate with bamboo lids."),
  single("OUT-FLASK-500", "Insulated flask, 500 ml", 3100, ["outdoor"], 55, "Keeps drinks hot for 12 hours."),
  single("OUT-STOVE-MINI", "Camping stove, mini", 4900, ["outdoor"], 14, "Folds to pocket size; piezo ignition."),
  single("OUT-MUG-TI", "Titanium camp mug, 450 ml", 3300, ["outdoor"], 28, "Weighs 70 g, with a folding handle."),
  single("GIFT-SAMPLER", "Tea sampler gift box", 4500, ["gifts", "tea"], 40, "Six teas, a tin and a tasting card."),

  {
    name: "Darjeeling first flush",
    description: "Spring picking from the Castleton estate; muscatel grape and fresh flowers.",
    categories: ["black-tea"],
    options: [{ name: "Weight", values: ["100 g", "250 g"] }],
    variants: [
      { sku: "TEA-DARJ-100", optionValues: ["100 g"], priceAmount: 1490, weightGrams: 100, initialStock: 50 },
      {
        sku: "TEA-DARJ-250",
        optionValues: ["250 g"],
        priceAmount: 3290,
        compareAtAmount: 3725,
        weightGrams: 250,
        initialStock: 20,
      },
    ],
  },
  {
    name: "Kenya AA Nyeri, 250 g",
    description: "Blackcurrant and grapefruit; roasted for filter, or ground to order.",
    categories: ["whole-bean", "ground-coffee"],
    options: [{ name: "Grind", values: ["Whole bean", "Filter", "Espresso"] }],
    variants: [
      { sku: "COF-KENYA-WB", optionValues: ["Whole bean"], priceAmount: 1750, weightGrams: 250, initialStock: 40 },
      { sku: "COF-KENYA-FIL", optionValues: ["Filter"], priceAmount: 1750, weightGrams: 250, initialStock: 25 },
      { sku: "COF-KENYA-ESP", optionValues: ["Espresso"], priceAmount: 1750, weightGrams: 250, initialStock: 0 },
    ],
  },
  {
    name: "Tea Club T-shirt",
    description: "Organic cotton jersey, printed with a steaming teapot.",
    categories: ["t-shirts"],
    options: [
      { name: "Size", values: Object.keys(TEE_SIZES) },
      { name: "Colour", values: Object.keys(TEE_COLOURS) },
    ],
    variants: teeVariants,
  },
  {
    name: "Enamel camp mug, 350 ml",
    description: "Steel with a rolled rim: light, and tough enough for the campfire.",
    categories: ["outdoor", "accessories"],
    options: [{ name: "Colour", values: ["Navy", "Cream"] }],
    variants: [
      { sku: "MUG-ENAMEL-NVY", optionValues: ["Navy"], priceAmount: 1600, weightGrams: 240, initialStock: 35 },
      { sku: "MUG-ENAMEL-CRM", optionValues: ["Cream"], priceAmount: 1700, weightGrams: 240, initialStock: 0 },
    ],
  },
];
