import { createRouter } from "../http/openapi";
import * as handlers from "./dev-outbox.handlers";
import * as routes from "./dev-outbox.routes";

/** Under /api/admin, so behind the admin guard even in development. */
export const devOutboxRouter = createRouter().openapi(routes.listOutbox, handlers.listOutbox);
