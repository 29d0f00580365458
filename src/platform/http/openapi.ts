import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import { ApiError, type FieldError, PROBLEM_CONTENT_TYPE } from "./problem";
import type { AppBindings } from "./types";

const LOCATIONS: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
};

/** Turns zod issues into the `errors` list of a validation problem: `{path: "body.email", message}`. */
function fieldErrors(error: ZodError, target: string): FieldError[] {
  const location = LOCATIONS[target] ?? target;
  return error.issues.flatMap((issue) => {
    const base = [location, ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...base, key].join("."), message: "Unknown field" }));
    }
    return [{ path: base.join("."), message: issue.message }];
  });
}

/** A router whose request validation fails with a 422 problem listing every field error. */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(422, "validation_error", "The request is not valid.", {
          errors: fieldErrors(result.error, result.target),
        });
      }
    },
  });
}

const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:edge-commerce:problem:validation_error" }),
    title: z.string().openapi({ example: "Unprocessable Content" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: "The request is not valid." }),
    instance: z.string().openapi({ example: "/api/auth/register" }),
    request_id: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

export function problemContent(description: string) {
  return { content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } }, description };
}

/** The request body of a route: JSON, required, validated by `schema`. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { content: { "application/json": { schema } }, required: true, description };
}

export { createRoute, z };
