import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Messages "sent" in development and tests instead of calling an email API. */
export const devOutbox = sqliteTable(
  "dev_outbox",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    /** The HTML alternative, when the message has one. */
    html: text("html"),
  },
  (table) => [index("dev_outbox_to_idx").on(table.to, table.at)],
);
