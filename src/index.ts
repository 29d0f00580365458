import { createApp } from "./app";

export { ProductStock } from "./durable-objects/product-stock";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
