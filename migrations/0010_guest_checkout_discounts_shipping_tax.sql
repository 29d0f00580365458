-- Guest carts and guest orders, discount codes with limits held by the database, shipping zones and methods, tax
-- rates, and the amounts an order is made of. `carts.user_id` and `orders.user_id` become nullable, which SQLite can
-- only do by rebuilding the table; every row is copied with its values, so carts, orders and their references
-- stay as they were. Existing orders get discount, shipping and tax 0 (their total was their subtotal).
-- The store keeps shipping everywhere for free until an admin says otherwise: a fallback zone "Rest of world"
-- with one free method, "Standard" (`shm_standard`).

CREATE TABLE `__new_carts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`token_hash` text,
	`expires_at` text,
	`country` text,
	`region` text,
	`shipping_method_id` text,
	`discount_code_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "carts_one_owner" CHECK(("__new_carts"."user_id" is null) <> ("__new_carts"."token_hash" is null) and ("__new_carts"."token_hash" is null) = ("__new_carts"."expires_at" is null))
);
--> statement-breakpoint
INSERT INTO `__new_carts` (`id`, `user_id`, `created_at`, `updated_at`)
SELECT `id`, `user_id`, `created_at`, `updated_at` FROM `carts`;--> statement-breakpoint
DROP TABLE `carts`;--> statement-breakpoint
ALTER TABLE `__new_carts` RENAME TO `carts`;--> statement-breakpoint
CREATE UNIQUE INDEX `carts_user_unique` ON `carts` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `carts_token_unique` ON `carts` (`token_hash`);--> statement-breakpoint
CREATE INDEX `carts_expires_idx` ON `carts` (`expires_at`);--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`email` text,
	`guest_cart_id` text,
	`status` text NOT NULL,
	`subtotal_amount` integer NOT NULL,
	`discount_amount` integer DEFAULT 0 NOT NULL,
	`shipping_amount` integer DEFAULT 0 NOT NULL,
	`tax_amount` integer DEFAULT 0 NOT NULL,
	`prices_include_tax` integer DEFAULT false NOT NULL,
	`total_amount` integer NOT NULL,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	`refunded_tax_amount` integer DEFAULT 0 NOT NULL,
	`discount_code` text,
	`shipping_method_id` text,
	`shipping_method_name` text,
	`tracking_reference` text,
	`currency` text NOT NULL,
	`shipping_address` text NOT NULL,
	`note` text,
	`payment_provider` text,
	`payment_intent_id` text,
	`payment_status` text,
	`received_amount` integer,
	`attention` text,
	`reservation_key` text,
	`expires_at` text,
	`paid_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "orders_amounts_non_negative" CHECK("__new_orders"."subtotal_amount" >= 0 and "__new_orders"."total_amount" >= 0 and "__new_orders"."discount_amount" >= 0 and "__new_orders"."shipping_amount" >= 0 and "__new_orders"."tax_amount" >= 0 and "__new_orders"."discount_amount" <= "__new_orders"."subtotal_amount"),
	CONSTRAINT "orders_total_identity" CHECK("__new_orders"."total_amount" = "__new_orders"."subtotal_amount" - "__new_orders"."discount_amount" + "__new_orders"."shipping_amount" + (case when "__new_orders"."prices_include_tax" then 0 else "__new_orders"."tax_amount" end)),
	CONSTRAINT "orders_owner" CHECK("__new_orders"."user_id" is not null or ("__new_orders"."email" is not null and "__new_orders"."guest_cart_id" is not null))
);
--> statement-breakpoint
INSERT INTO `__new_orders` (`id`, `user_id`, `status`, `subtotal_amount`, `total_amount`, `refunded_amount`, `currency`, `shipping_address`, `note`, `payment_provider`, `payment_intent_id`, `payment_status`, `received_amount`, `attention`, `reservation_key`, `expires_at`, `paid_at`, `created_at`, `updated_at`)
SELECT `id`, `user_id`, `status`, `subtotal_amount`, `total_amount`, `refunded_amount`, `currency`, `shipping_address`, `note`, `payment_provider`, `payment_intent_id`, `payment_status`, `received_amount`, `attention`, `reservation_key`, `expires_at`, `paid_at`, `created_at`, `updated_at` FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
CREATE INDEX `orders_user_created_idx` ON `orders` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_guest_cart_idx` ON `orders` (`guest_cart_id`);--> statement-breakpoint
CREATE INDEX `orders_status_expires_idx` ON `orders` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `orders_created_idx` ON `orders` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_paid_at_idx` ON `orders` (`paid_at`);--> statement-breakpoint
CREATE INDEX `orders_attention_idx` ON `orders` (`attention`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_payment_intent_unique` ON `orders` (`payment_intent_id`);--> statement-breakpoint
-- The rule of migration 0008, for guests too: one open order per account, and per guest cart.
CREATE TRIGGER `orders_one_open_per_user` BEFORE INSERT ON `orders`
WHEN EXISTS (
  SELECT 1 FROM `orders` AS `open`
  WHERE (`open`.`user_id` = NEW.`user_id` OR `open`.`guest_cart_id` = NEW.`guest_cart_id`)
    AND `open`.`id` <> NEW.`id`
    AND (`open`.`status` = 'pending' OR (`open`.`status` = 'awaiting_payment' AND `open`.`expires_at` > NEW.`created_at`))
)
BEGIN
  SELECT RAISE(ABORT, 'open_order_exists');
END;
--> statement-breakpoint
ALTER TABLE `order_items` ADD `discount_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_items` ADD `tax_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `order_tax_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`order_item_id` text,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`region` text,
	`rate_bps` integer NOT NULL,
	`taxable_amount` integer NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "order_tax_lines_amounts" CHECK("order_tax_lines"."taxable_amount" >= 0 and "order_tax_lines"."amount" >= 0 and "order_tax_lines"."rate_bps" >= 0)
);
--> statement-breakpoint
CREATE INDEX `order_tax_lines_order_idx` ON `order_tax_lines` (`order_id`);--> statement-breakpoint
ALTER TABLE `dev_outbox` ADD `html` text;--> statement-breakpoint
CREATE TABLE `discount_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`applies_to` text DEFAULT 'order' NOT NULL,
	`target_ids` text DEFAULT '[]' NOT NULL,
	`minimum_subtotal_amount` integer DEFAULT 0 NOT NULL,
	`starts_at` text,
	`ends_at` text,
	`usage_limit` integer,
	`per_customer_limit` integer,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	CONSTRAINT "discount_codes_value" CHECK(("discount_codes"."kind" = 'percentage' and "discount_codes"."value" between 1 and 100) or ("discount_codes"."kind" = 'fixed' and "discount_codes"."value" > 0) or ("discount_codes"."kind" = 'free_shipping' and "discount_codes"."value" = 0)),
	CONSTRAINT "discount_codes_limits" CHECK("discount_codes"."minimum_subtotal_amount" >= 0 and ("discount_codes"."usage_limit" is null or "discount_codes"."usage_limit" > 0) and ("discount_codes"."per_customer_limit" is null or "discount_codes"."per_customer_limit" > 0)),
	CONSTRAINT "discount_codes_window" CHECK("discount_codes"."starts_at" is null or "discount_codes"."ends_at" is null or "discount_codes"."starts_at" < "discount_codes"."ends_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discount_codes_code_unique` ON `discount_codes` (lower("code"));--> statement-breakpoint
CREATE TABLE `discount_redemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`code_id` text NOT NULL,
	`order_id` text NOT NULL,
	`customer` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` text NOT NULL,
	`released_at` text,
	FOREIGN KEY (`code_id`) REFERENCES `discount_codes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discount_redemptions_order_unique` ON `discount_redemptions` (`order_id`);--> statement-breakpoint
CREATE INDEX `discount_redemptions_code_idx` ON `discount_redemptions` (`code_id`,`released_at`);--> statement-breakpoint
CREATE INDEX `discount_redemptions_customer_idx` ON `discount_redemptions` (`code_id`,`customer`,`released_at`);--> statement-breakpoint
-- A use of a code is checked where it is written, in the transaction of the checkout: writes are serialized, so
-- the count each insert sees includes every use committed before it, and no burst can pass a limit. The time is
-- that of the order (the clock of the Worker), as for the open-order rule.
CREATE TRIGGER `discount_redemptions_usable` BEFORE INSERT ON `discount_redemptions`
BEGIN
  SELECT RAISE(ABORT, 'discount_inactive')
  WHERE NOT EXISTS (SELECT 1 FROM `discount_codes` WHERE `id` = NEW.`code_id` AND `is_active` = 1 AND `deleted_at` IS NULL);
  SELECT RAISE(ABORT, 'discount_not_started')
  WHERE EXISTS (SELECT 1 FROM `discount_codes` WHERE `id` = NEW.`code_id` AND `starts_at` > NEW.`created_at`);
  SELECT RAISE(ABORT, 'discount_expired')
  WHERE EXISTS (SELECT 1 FROM `discount_codes` WHERE `id` = NEW.`code_id` AND `ends_at` <= NEW.`created_at`);
  SELECT RAISE(ABORT, 'discount_limit_reached')
  WHERE (SELECT `usage_limit` FROM `discount_codes` WHERE `id` = NEW.`code_id`) <=
    (SELECT count(*) FROM `discount_redemptions` WHERE `code_id` = NEW.`code_id` AND `released_at` IS NULL);
  SELECT RAISE(ABORT, 'discount_customer_limit_reached')
  WHERE (SELECT `per_customer_limit` FROM `discount_codes` WHERE `id` = NEW.`code_id`) <=
    (SELECT count(*) FROM `discount_redemptions`
     WHERE `code_id` = NEW.`code_id` AND `customer` = NEW.`customer` AND `released_at` IS NULL);
END;
--> statement-breakpoint
-- An order that ends without being paid, or is refunded in full, gives its use back: once, whichever path ended it,
-- because status changes are conditional updates and the release only touches a use not yet released.
CREATE TRIGGER `orders_release_discount` AFTER UPDATE OF `status` ON `orders`
WHEN NEW.`status` <> OLD.`status` AND NEW.`status` IN ('rejected', 'cancelled', 'expired', 'payment_failed', 'refunded')
BEGIN
  UPDATE `discount_redemptions` SET `released_at` = NEW.`updated_at` WHERE `order_id` = NEW.`id` AND `released_at` IS NULL;
END;
--> statement-breakpoint
-- A late payment brings an ended order back (paid after all): it takes its use again. This is the one way a code
-- can pass its limit (the money is already taken, so the order is honoured), and it shows in the count of uses.
CREATE TRIGGER `orders_retake_discount` AFTER UPDATE OF `status` ON `orders`
WHEN OLD.`status` IN ('rejected', 'cancelled', 'expired', 'payment_failed')
  AND NEW.`status` NOT IN ('rejected', 'cancelled', 'expired', 'payment_failed', 'refunded')
BEGIN
  UPDATE `discount_redemptions` SET `released_at` = NULL WHERE `order_id` = NEW.`id` AND `released_at` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TABLE `shipping_zones` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`is_fallback` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shipping_zones_one_fallback` ON `shipping_zones` (`is_fallback`) WHERE "shipping_zones"."is_fallback" = 1;--> statement-breakpoint
CREATE TABLE `shipping_zone_countries` (
	`country` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shipping_zone_countries_zone_idx` ON `shipping_zone_countries` (`zone_id`);--> statement-breakpoint
CREATE TABLE `shipping_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL,
	`name` text NOT NULL,
	`rate_kind` text NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`tiers` text DEFAULT '[]' NOT NULL,
	`free_over_amount` integer,
	`is_active` integer DEFAULT true NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`zone_id`) REFERENCES `shipping_zones`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "shipping_methods_amounts" CHECK("shipping_methods"."amount" >= 0 and ("shipping_methods"."free_over_amount" is null or "shipping_methods"."free_over_amount" >= 0))
);
--> statement-breakpoint
CREATE INDEX `shipping_methods_zone_idx` ON `shipping_methods` (`zone_id`,`position`);--> statement-breakpoint
CREATE TABLE `tax_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`country` text NOT NULL,
	`region` text DEFAULT '' NOT NULL,
	`name` text NOT NULL,
	`rate_bps` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "tax_rates_rate" CHECK("tax_rates"."rate_bps" between 0 and 10000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tax_rates_country_region_unique` ON `tax_rates` (`country`,`region`);--> statement-breakpoint
INSERT INTO `shipping_zones` (`id`, `name`, `is_fallback`, `created_at`, `updated_at`)
VALUES ('shz_rest_of_world', 'Rest of world', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));--> statement-breakpoint
INSERT INTO `shipping_methods` (`id`, `zone_id`, `name`, `rate_kind`, `amount`, `created_at`, `updated_at`)
VALUES ('shm_standard', 'shz_rest_of_world', 'Standard', 'flat', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
