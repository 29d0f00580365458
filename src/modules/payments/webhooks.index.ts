import { createRouter } from "../../platform/http/openapi";
import * as handlers from "./webhooks.handlers";
import * as routes from "./webhooks.routes";

/** Public: the signature is the authentication. */
export const webhooksRouter = createRouter().openapi(routes.stripeWebhook, handlers.stripeWebhook);
