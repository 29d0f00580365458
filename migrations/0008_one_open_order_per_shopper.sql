-- One open order per shopper: concurrent checkouts of one cart make one order, and nobody holds a product's stock
-- through a pile of unpaid orders. Open means pending (a checkout running, or one whose Worker died: checkout ends
-- such an order itself once it is stale) or awaiting payment before its deadline; the time is the new order's
-- `created_at` (the Worker's clock), not the database's. A trigger rather than a unique index, so orders already
-- open when this runs stay as they are; every insert after it is checked in the writing transaction.
CREATE TRIGGER `orders_one_open_per_user` BEFORE INSERT ON `orders`
WHEN EXISTS (
  SELECT 1 FROM `orders` AS `open`
  WHERE `open`.`user_id` = NEW.`user_id`
    AND `open`.`id` <> NEW.`id`
    AND (`open`.`status` = 'pending' OR (`open`.`status` = 'awaiting_payment' AND `open`.`expires_at` > NEW.`created_at`))
)
BEGIN
  SELECT RAISE(ABORT, 'open_order_exists');
END;
