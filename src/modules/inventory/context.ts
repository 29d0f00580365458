import type { StockService } from "./stock-service";

declare module "../../platform/http/types" {
  interface AppVariables {
    stock: StockService;
  }
}
