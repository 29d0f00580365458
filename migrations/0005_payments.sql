CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`restock` integer NOT NULL,
	`provider_refund_id` text,
	`status` text NOT NULL,
	`requested_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refunds_order_idx` ON `refunds` (`order_id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` text,
	`last_error` text,
	`processed_at` text,
	`order_id` text
);
--> statement-breakpoint
CREATE INDEX `webhook_events_status_idx` ON `webhook_events` (`status`,`received_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `payment_status` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `attention` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `reservation_key` text;--> statement-breakpoint
CREATE INDEX `orders_attention_idx` ON `orders` (`attention`);