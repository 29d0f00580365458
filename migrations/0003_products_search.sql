-- Full-text index over product name, description and sku (SQLite FTS5, in
-- libSQL and Turso). External content: the index stores only tokens and
-- refers to products by their internal `seq`; triggers keep it in step.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	name, description, sku,
	content='products', content_rowid='seq',
	tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO products_fts(rowid, name, description, sku) VALUES (new.seq, new.name, new.description, new.sku);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
	INSERT INTO products_fts(products_fts, rowid, name, description, sku) VALUES ('delete', old.seq, old.name, old.description, old.sku);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF name, description, sku ON `products` BEGIN
	INSERT INTO products_fts(products_fts, rowid, name, description, sku) VALUES ('delete', old.seq, old.name, old.description, old.sku);
	INSERT INTO products_fts(rowid, name, description, sku) VALUES (new.seq, new.name, new.description, new.sku);
END;
