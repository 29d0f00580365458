import { defineRoute, jsonContent, problemContent, z } from "../../platform/http/openapi";

export const drivePayment = defineRoute({
  operationId: "driveMockPayment",
  tag: "Development",
  access: "cart",
  method: "post",
  path: "/api/dev/payments/{order_id}/{outcome}",
  summary: "Make a mock payment succeed or fail (ENVIRONMENT=development with the mock provider only; 404 elsewhere)",
  description:
    "Emits the event Stripe would send (`payment_intent.succeeded` or `payment_intent.payment_failed`) through the same intake, queue and processing as a verified webhook. For the order's owner: its account, or the guest holding the cart token it was checked out with.",
  request: {
    params: z.object({
      order_id: z.string().min(1).max(64).openapi({ description: "The order's id" }),
      outcome: z.enum(["succeed", "fail"]).openapi({ description: "Whether the mock payment succeeds or fails" }),
    }),
  },
  responses: {
    202: jsonContent(
      z.object({ event_id: z.string(), type: z.string() }),
      "Queued; the order changes when it is processed",
    ),
    404: problemContent("No such order of yours, or not in development"),
    409: problemContent("The order has no mock payment"),
  },
});

export type DrivePaymentRoute = typeof drivePayment;
