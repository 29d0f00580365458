-- Products with options and variants, a category tree, ordered images. Every existing product becomes a product
-- with one default variant whose id is the product's id: the inventory Durable Object named by that id (with its
-- on-hand count, live reservations and settled orders), cart lines, order lines and the ledger keep referring to
-- it unchanged. Its free-text category becomes a category, its image URL the product's first image.
-- Ids made here are `cat_`/`img_` and 128 random bits in hex (the app's own are base36: both are opaque).

-- Categories: a tree kept by triggers (path, depth; depth at most 5, no cycles, nothing deleted from under a child
-- or a product). Triggers check inside the writing statement, so concurrent moves cannot combine into a cycle.
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`path` text DEFAULT '' NOT NULL,
	`depth` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_slug_unique` ON `categories` (`slug`);--> statement-breakpoint
CREATE INDEX `categories_parent_idx` ON `categories` (`parent_id`,`position`);--> statement-breakpoint
CREATE INDEX `categories_path_idx` ON `categories` (`path`);--> statement-breakpoint
CREATE TRIGGER `categories_parent_exists` BEFORE INSERT ON `categories`
WHEN NEW.`parent_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `categories` WHERE `id` = NEW.`parent_id`)
BEGIN
	SELECT RAISE(ABORT, 'category_parent_missing');
END;
--> statement-breakpoint
CREATE TRIGGER `categories_insert_depth` BEFORE INSERT ON `categories`
WHEN NEW.`parent_id` IS NOT NULL AND (SELECT `depth` FROM `categories` WHERE `id` = NEW.`parent_id`) >= 5
BEGIN
	SELECT RAISE(ABORT, 'category_too_deep');
END;
--> statement-breakpoint
CREATE TRIGGER `categories_insert_path` AFTER INSERT ON `categories`
BEGIN
	UPDATE `categories`
	SET `path` = coalesce((SELECT `path` FROM `categories` WHERE `id` = NEW.`parent_id`), '/') || NEW.`id` || '/',
		`depth` = coalesce((SELECT `depth` FROM `categories` WHERE `id` = NEW.`parent_id`), 0) + 1
	WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `categories_move_parent_exists` BEFORE UPDATE OF `parent_id` ON `categories`
WHEN NEW.`parent_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `categories` WHERE `id` = NEW.`parent_id`)
BEGIN
	SELECT RAISE(ABORT, 'category_parent_missing');
END;
--> statement-breakpoint
CREATE TRIGGER `categories_move_cycle` BEFORE UPDATE OF `parent_id` ON `categories`
WHEN NEW.`parent_id` IS NOT NULL
	AND instr((SELECT `path` FROM `categories` WHERE `id` = NEW.`parent_id`), OLD.`path`) = 1
BEGIN
	SELECT RAISE(ABORT, 'category_cycle');
END;
--> statement-breakpoint
CREATE TRIGGER `categories_move_depth` BEFORE UPDATE OF `parent_id` ON `categories`
WHEN coalesce(instr((SELECT `path` FROM `categories` WHERE `id` = NEW.`parent_id`), OLD.`path`), 0) <> 1
	AND coalesce((SELECT `depth` FROM `categories` WHERE `id` = NEW.`parent_id`), 0)
	+ (SELECT max(`depth`) FROM `categories` WHERE instr(`path`, OLD.`path`) = 1) - OLD.`depth` + 1 > 5
BEGIN
	SELECT RAISE(ABORT, 'category_too_deep');
END;
--> statement-breakpoint
CREATE TRIGGER `categories_move_path` AFTER UPDATE OF `parent_id` ON `categories`
BEGIN
	UPDATE `categories`
	SET `path` = coalesce((SELECT `path` FROM `categories` WHERE `id` = NEW.`parent_id`), '/') || NEW.`id` || '/'
			|| substr(`path`, length(OLD.`path`) + 1),
		`depth` = `depth` - OLD.`depth` + coalesce((SELECT `depth` FROM `categories` WHERE `id` = NEW.`parent_id`), 0) + 1
	WHERE instr(`path`, OLD.`path`) = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `categories_delete_children` BEFORE DELETE ON `categories`
WHEN EXISTS (SELECT 1 FROM `categories` WHERE `parent_id` = OLD.`id`)
BEGIN
	SELECT RAISE(ABORT, 'category_has_children');
END;
--> statement-breakpoint
CREATE TABLE `product_categories` (
	`product_id` text NOT NULL,
	`category_id` text NOT NULL,
	PRIMARY KEY(`product_id`, `category_id`)
);
--> statement-breakpoint
CREATE INDEX `product_categories_category_idx` ON `product_categories` (`category_id`,`product_id`);--> statement-breakpoint
CREATE TRIGGER `product_categories_category_exists` BEFORE INSERT ON `product_categories`
WHEN NOT EXISTS (SELECT 1 FROM `categories` WHERE `id` = NEW.`category_id`)
BEGIN
	SELECT RAISE(ABORT, 'category_missing');
END;
--> statement-breakpoint
CREATE TRIGGER `categories_delete_products` BEFORE DELETE ON `categories`
WHEN EXISTS (SELECT 1 FROM `product_categories` WHERE `category_id` = OLD.`id`)
BEGIN
	SELECT RAISE(ABORT, 'category_not_empty');
END;
--> statement-breakpoint
-- One category per distinct free-text category, named after its slug ("loose-tea" → "Loose tea").
INSERT INTO `categories` (`id`, `slug`, `name`, `parent_id`, `position`, `created_at`, `updated_at`)
SELECT 'cat_' || lower(hex(randomblob(16))), `category`,
	upper(substr(`category`, 1, 1)) || replace(substr(`category`, 2), '-', ' '), NULL, 0, min(`created_at`), min(`created_at`)
FROM `products` WHERE `category` IS NOT NULL GROUP BY `category`;
--> statement-breakpoint
INSERT INTO `product_categories` (`product_id`, `category_id`)
SELECT `products`.`id`, `categories`.`id` FROM `products` JOIN `categories` ON `categories`.`slug` = `products`.`category`;
--> statement-breakpoint
CREATE TABLE `product_images` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`variant_id` text,
	`url` text NOT NULL,
	`alt` text DEFAULT '' NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_images_position_unique` ON `product_images` (`product_id`,`position`);--> statement-breakpoint
INSERT INTO `product_images` (`id`, `product_id`, `variant_id`, `url`, `alt`, `position`)
SELECT 'img_' || lower(hex(randomblob(16))), `id`, NULL, `image_url`, `name`, 0 FROM `products` WHERE `image_url` IS NOT NULL;
--> statement-breakpoint
CREATE TABLE `product_options` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`values` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_options_position_unique` ON `product_options` (`product_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `product_options_name_unique` ON `product_options` (`product_id`,lower("name"));--> statement-breakpoint
CREATE TABLE `product_variants` (
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`sku` text NOT NULL,
	`title` text NOT NULL,
	`option_values` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`price_amount` integer NOT NULL,
	`compare_at_amount` integer,
	`weight_grams` integer,
	`is_active` integer DEFAULT true NOT NULL,
	`initial_stock` integer DEFAULT 0 NOT NULL,
	`stock_available` integer DEFAULT 0 NOT NULL,
	`stock_version` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	CONSTRAINT "product_variants_price_positive" CHECK("product_variants"."price_amount" > 0),
	CONSTRAINT "product_variants_compare_at_above_price" CHECK("product_variants"."compare_at_amount" is null or "product_variants"."compare_at_amount" > "product_variants"."price_amount"),
	CONSTRAINT "product_variants_weight_non_negative" CHECK("product_variants"."weight_grams" is null or "product_variants"."weight_grams" >= 0),
	CONSTRAINT "product_variants_stock_non_negative" CHECK("product_variants"."stock_available" >= 0),
	CONSTRAINT "product_variants_initial_stock_non_negative" CHECK("product_variants"."initial_stock" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_sku_unique` ON `product_variants` (lower("sku"));--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_combination_unique` ON `product_variants` (`product_id`,`option_values`) WHERE "product_variants"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX `product_variants_product_idx` ON `product_variants` (`product_id`,`is_active`,`price_amount`);--> statement-breakpoint
-- A variant picks one value of each of its product's options, and a product has at most 100 live variants;
-- an option keeps every value a live variant uses. In the writing statement, so concurrent admin changes cannot
-- leave a variant with a value its options no longer have.
CREATE TRIGGER `product_variants_options_valid` BEFORE INSERT ON `product_variants`
WHEN json_array_length(NEW.`option_values`) <> (SELECT count(*) FROM `product_options` WHERE `product_id` = NEW.`product_id`)
	OR EXISTS (
		SELECT 1 FROM `product_options` AS `o` WHERE `o`.`product_id` = NEW.`product_id`
		AND NOT EXISTS (SELECT 1 FROM json_each(`o`.`values`) WHERE `value` = json_extract(NEW.`option_values`, '$[' || `o`.`position` || ']'))
	)
BEGIN
	SELECT RAISE(ABORT, 'variant_options_invalid');
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_limit` BEFORE INSERT ON `product_variants`
WHEN (SELECT count(*) FROM `product_variants` WHERE `product_id` = NEW.`product_id` AND `deleted_at` IS NULL) >= 100
BEGIN
	SELECT RAISE(ABORT, 'variant_limit');
END;
--> statement-breakpoint
CREATE TRIGGER `product_options_values_in_use` BEFORE UPDATE OF `values` ON `product_options`
WHEN EXISTS (
	SELECT 1 FROM `product_variants` AS `v` WHERE `v`.`product_id` = OLD.`product_id` AND `v`.`deleted_at` IS NULL
	AND NOT EXISTS (SELECT 1 FROM json_each(NEW.`values`) WHERE `value` = json_extract(`v`.`option_values`, '$[' || OLD.`position` || ']'))
)
BEGIN
	SELECT RAISE(ABORT, 'option_value_in_use');
END;
--> statement-breakpoint
-- The default variant keeps the product's id (its stock object's name), sku, price and mirrored stock.
INSERT INTO `product_variants` (`id`, `product_id`, `sku`, `title`, `option_values`, `position`, `price_amount`,
	`is_active`, `initial_stock`, `stock_available`, `stock_version`, `created_at`, `updated_at`)
SELECT `id`, `id`, `sku`, 'Default', '[]', 0, `price_amount`, 1, `initial_stock`, `stock_available`, `stock_version`,
	`created_at`, `updated_at`
FROM `products`;
--> statement-breakpoint
-- The search index is rebuilt over name, description and `terms` (the sku and option values of every variant for
-- sale: active, not deleted).
DROP TRIGGER `products_fts_after_insert`;--> statement-breakpoint
DROP TRIGGER `products_fts_after_delete`;--> statement-breakpoint
DROP TRIGGER `products_fts_after_update`;--> statement-breakpoint
DROP TABLE `products_fts`;--> statement-breakpoint
CREATE TABLE `__new_products` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`currency` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
INSERT INTO `__new_products` (`seq`, `id`, `name`, `description`, `currency`, `is_active`, `created_at`, `updated_at`, `deleted_at`)
SELECT `seq`, `id`, `name`, `description`, `currency`, `is_active`, `created_at`, `updated_at`, `deleted_at` FROM `products`;
--> statement-breakpoint
DROP TABLE `products`;--> statement-breakpoint
ALTER TABLE `__new_products` RENAME TO `products`;--> statement-breakpoint
CREATE UNIQUE INDEX `products_id_unique` ON `products` (`id`);--> statement-breakpoint
CREATE INDEX `products_listing_idx` ON `products` (`is_active`,`deleted_at`,`created_at`,`id`);--> statement-breakpoint
-- An FTS5 table with its own copy of the text (rowid = products.seq): `terms` comes from other rows, which an
-- external-content table could not re-read on delete.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	name, description, terms,
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO products_fts(rowid, name, description, terms) VALUES (NEW.seq, NEW.name, NEW.description, '');
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
	DELETE FROM products_fts WHERE rowid = OLD.seq;
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF name, description ON `products` BEGIN
	UPDATE products_fts SET name = NEW.name, description = NEW.description WHERE rowid = NEW.seq;
END;
--> statement-breakpoint
-- What search finds a product by besides its name and description: the skus and option values of its variants
-- for sale (option values as their JSON text: the tokenizer drops the punctuation).
CREATE VIEW `product_search_terms` AS
SELECT `product_id`, group_concat(`sku` || ' ' || `option_values`, ' ') AS `terms`
FROM `product_variants` WHERE `deleted_at` IS NULL AND `is_active` = 1 GROUP BY `product_id`;
--> statement-breakpoint
CREATE TRIGGER `product_variants_fts_after_insert` AFTER INSERT ON `product_variants` BEGIN
	UPDATE products_fts SET terms = coalesce((SELECT terms FROM product_search_terms WHERE product_id = NEW.product_id), '')
	WHERE rowid = (SELECT seq FROM products WHERE id = NEW.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_fts_after_update` AFTER UPDATE OF sku, option_values, is_active, deleted_at ON `product_variants` BEGIN
	UPDATE products_fts SET terms = coalesce((SELECT terms FROM product_search_terms WHERE product_id = NEW.product_id), '')
	WHERE rowid = (SELECT seq FROM products WHERE id = NEW.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `product_variants_fts_after_delete` AFTER DELETE ON `product_variants` BEGIN
	UPDATE products_fts SET terms = coalesce((SELECT terms FROM product_search_terms WHERE product_id = OLD.product_id), '')
	WHERE rowid = (SELECT seq FROM products WHERE id = OLD.product_id);
END;
--> statement-breakpoint
INSERT INTO products_fts(rowid, name, description, terms)
SELECT p.seq, p.name, p.description, coalesce(t.terms, '')
FROM products AS p LEFT JOIN product_search_terms AS t ON t.product_id = p.id;
--> statement-breakpoint
-- Cart lines and the ledger referred to products; the default variant has the product's id, so the values stay.
DROP INDEX `cart_items_cart_product_unique`;--> statement-breakpoint
ALTER TABLE `cart_items` RENAME COLUMN `product_id` TO `variant_id`;--> statement-breakpoint
CREATE UNIQUE INDEX `cart_items_cart_variant_unique` ON `cart_items` (`cart_id`,`variant_id`);--> statement-breakpoint
DROP INDEX `inventory_movements_product_idx`;--> statement-breakpoint
ALTER TABLE `inventory_movements` RENAME COLUMN `product_id` TO `variant_id`;--> statement-breakpoint
CREATE INDEX `inventory_movements_variant_idx` ON `inventory_movements` (`variant_id`,`version`);--> statement-breakpoint
-- Order lines keep the product and gain the variant as bought.
ALTER TABLE `order_items` ADD `variant_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `order_items` ADD `variant_title` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `order_items` SET `variant_id` = `product_id`, `variant_title` = 'Default';--> statement-breakpoint
CREATE INDEX `order_items_variant_idx` ON `order_items` (`variant_id`);--> statement-breakpoint
-- A new order line is of a variant for sale, at its current price, when it is written: checkout reads the cart
-- one round trip before it writes the order, and a variant deleted for good, taken off sale or repriced in
-- between must not be sold (its stock object would still sell it). Checked in the writing statement.
CREATE TRIGGER `order_items_variant_on_sale` BEFORE INSERT ON `order_items`
WHEN NOT EXISTS (
	SELECT 1 FROM `product_variants` AS `v` JOIN `products` AS `p` ON `p`.`id` = `v`.`product_id`
	WHERE `v`.`id` = NEW.`variant_id` AND `v`.`is_active` = 1 AND `v`.`deleted_at` IS NULL
		AND `p`.`is_active` = 1 AND `p`.`deleted_at` IS NULL AND `v`.`price_amount` = NEW.`unit_price_amount`
)
BEGIN
	SELECT RAISE(ABORT, 'cart_changed');
END;
