/** What the inventory module offers the rest of the app. */

export { StockService } from "./stock-service";
