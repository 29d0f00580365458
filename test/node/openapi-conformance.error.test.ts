import { describe, expect, it } from "vitest";
import {
  createConformanceChecker,
  type OpenApiDocument,
  type RecordedExchange,
} from "./support/openapi-conformance.ts";

/** A small document in the shape the Worker's is: shared components, `$ref`s to them, problem+json errors. */
const DOCUMENT: OpenApiDocument = {
  servers: [{ url: "http://127.0.0.1:8787" }],
  components: {
    schemas: {
      Item: {
        type: "object",
        properties: { id: { type: "string", pattern: "^itm_" }, quantity: { type: "integer", minimum: 1 } },
        required: ["id", "quantity"],
        additionalProperties: false,
      },
      Problem: {
        type: "object",
        properties: { type: { type: "string" }, status: { type: "integer" } },
        required: ["type", "status"],
      },
    },
    headers: { Location: { required: true, schema: { type: "string" } } },
    responses: {
      NotFound: {
        description: "No such item",
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      },
    },
  },
  paths: {
    "/api/items": {
      post: {
        responses: {
          "201": {
            description: "Created",
            headers: { Location: { $ref: "#/components/headers/Location" }, "X-Request-ID": { schema: {} } },
            content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } },
          },
        },
      },
    },
    "/api/items/{id}": {
      get: {
        responses: {
          "200": {
            description: "The item",
            headers: { ETag: { schema: { type: "string" } } },
            content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } },
          },
          "304": { description: "Not modified", headers: { ETag: { schema: { type: "string" } } } },
          "404": { $ref: "#/components/responses/NotFound" },
        },
      },
      delete: { responses: { "204": { description: "Deleted" } } },
    },
    "/api/items/latest": {
      get: {
        responses: {
          "200": {
            description: "The newest item",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } },
          },
        },
      },
    },
  },
};

const check = createConformanceChecker(DOCUMENT);

const ITEM = JSON.stringify({ id: "itm_1", quantity: 2 });

function exchange(overrides: Partial<RecordedExchange>): RecordedExchange {
  return {
    method: "GET",
    target: "/api/items/itm_1",
    status: 200,
    headers: { "content-type": "application/json; charset=UTF-8", etag: '"v1"' },
    body: ITEM,
    ...overrides,
  };
}

const created = exchange({
  method: "POST",
  target: "/api/items",
  status: 201,
  headers: { "content-type": "application/json", location: "/api/items/itm_1", "x-request-id": "r1" },
});

describe("the OpenAPI conformance checker", () => {
  it("passes exchanges the document describes, references resolved and a concrete path preferred", () => {
    expect(check(exchange({}))).toEqual([]);
    expect(check(exchange({ target: "/api/items/itm_1?fields=all" }))).toEqual([]);
    expect(check(created)).toEqual([]);
    expect(check(exchange({ status: 304, body: "", headers: { etag: '"v1"' } }))).toEqual([]);
    expect(check(exchange({ method: "DELETE", status: 204, body: "", headers: {} }))).toEqual([]);
    expect(
      check(
        exchange({
          status: 404,
          headers: { "content-type": "application/problem+json" },
          body: JSON.stringify({ type: "urn:x:not_found", status: 404 }),
        }),
      ),
    ).toEqual([]);
    // `/api/items/latest` also fits `/api/items/{id}`; OpenAPI gives the concrete path precedence.
    expect(check(exchange({ target: "/api/items/latest", headers: { "content-type": "application/json" } }))).toEqual(
      [],
    );
  });

  it("reports a path or method no operation documents", () => {
    expect(check(exchange({ target: "/api/things/1" }))).toEqual([
      expect.objectContaining({ kind: "unknown_operation", exchange: "GET /api/things/1 → 200" }),
    ]);
    expect(check(exchange({ method: "PATCH" }))).toEqual([expect.objectContaining({ kind: "unknown_operation" })]);
    expect(check(exchange({ target: "/api/items/itm_1/extra" }))).toEqual([
      expect.objectContaining({ kind: "unknown_operation" }),
    ]);
  });

  it("checks a 405 against what info.description promises: Allow naming the path's methods, and a Problem", () => {
    const problem = JSON.stringify({ type: "urn:x:method_not_allowed", status: 405 });
    const refused = (headers: Record<string, string>, body = problem) =>
      exchange({ method: "PUT", status: 405, headers: { "x-request-id": "r3", ...headers }, body });
    const problemJson = { "content-type": "application/problem+json" };
    // The path has GET and DELETE; HEAD comes with GET.
    expect(check(refused({ ...problemJson, allow: "DELETE, GET, HEAD" }))).toEqual([]);
    expect(check(refused(problemJson))).toEqual([
      expect.objectContaining({ kind: "missing_header", exchange: "PUT /api/items/{id} → 405" }),
    ]);
    const { "x-request-id": _id, ...anonymous } = refused({ ...problemJson, allow: "DELETE, GET, HEAD" }).headers;
    expect(check({ ...refused({}), headers: anonymous })).toEqual([
      expect.objectContaining({ kind: "missing_header", detail: expect.stringContaining("x-request-id") }),
    ]);
    expect(check(refused({ ...problemJson, allow: "GET, HEAD" }))).toEqual([
      expect.objectContaining({ kind: "body", detail: expect.stringContaining("Allow: GET, HEAD") }),
    ]);
    expect(check(refused({ "content-type": "application/json", allow: "DELETE, GET, HEAD" }))).toEqual([
      expect.objectContaining({ kind: "content_type" }),
    ]);
    expect(check(refused({ ...problemJson, allow: "DELETE, GET, HEAD" }, JSON.stringify({ status: 405 })))).toEqual([
      expect.objectContaining({ kind: "body", detail: expect.stringContaining("type") }),
    ]);
    const otherType = JSON.stringify({ type: "urn:x:not_found", status: 405 });
    expect(check(refused({ ...problemJson, allow: "DELETE, GET, HEAD" }, otherType))).toEqual([
      expect.objectContaining({ kind: "body", detail: expect.stringContaining("method_not_allowed") }),
    ]);
    // Only 405 is documented for a method the path does not list; on a path nothing lists, no status is.
    expect(check({ ...refused({ ...problemJson, allow: "GET" }), target: "/api/things" })).toEqual([
      expect.objectContaining({ kind: "unknown_operation" }),
    ]);
  });

  it("reports a path two templates match equally", () => {
    const ambiguous = createConformanceChecker({
      paths: {
        "/api/{kind}/latest": { get: { responses: { "200": { description: "a" } } } },
        "/api/items/{id}": { get: { responses: { "200": { description: "b" } } } },
      },
    });
    expect(ambiguous(exchange({ target: "/api/items/latest", body: "", headers: {} }))).toEqual([
      expect.objectContaining({ kind: "ambiguous_operation" }),
    ]);
  });

  it("reports a status the operation does not document", () => {
    expect(check(exchange({ status: 410 }))).toEqual([
      expect.objectContaining({ kind: "undocumented_status", exchange: "GET /api/items/{id} → 410" }),
    ]);
  });

  it("reports a content type the response does not document, and an error that is not problem+json", () => {
    expect(check(exchange({ headers: { "content-type": "text/html", etag: '"v1"' } }))).toEqual([
      expect.objectContaining({ kind: "content_type" }),
    ]);
    const plainError = check(
      exchange({
        status: 404,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "urn:x:not_found", status: 404 }),
      }),
    );
    expect(plainError.map((mismatch) => mismatch.kind)).toEqual(["content_type", "content_type"]);
    expect(check(exchange({ headers: { etag: '"v1"' } }))).toEqual([
      expect.objectContaining({ kind: "content_type", detail: "a body without Content-Type" }),
    ]);
  });

  it("reports a body the schema refuses, one that is not JSON, and a documented body left empty", () => {
    const wrong = check(exchange({ body: JSON.stringify({ id: "usr_1", quantity: 0, extra: true }) }));
    expect(wrong).toEqual([expect.objectContaining({ kind: "body" })]);
    expect(wrong[0]?.detail).toMatch(/pattern/);
    expect(wrong[0]?.detail).toMatch(/minimum|>= 1/);
    expect(wrong[0]?.detail).toMatch(/additional/);
    expect(check(exchange({ body: "{not json" }))).toEqual([
      expect.objectContaining({ kind: "body", detail: expect.stringContaining("not JSON") }),
    ]);
    expect(check(exchange({ body: "" }))).toEqual([expect.objectContaining({ kind: "body" })]);
  });

  it("reports a meaningful header sent without being documented, and a required one missing", () => {
    expect(check(exchange({ headers: { ...exchange({}).headers, "retry-after": "1" } }))).toEqual([
      expect.objectContaining({ kind: "undocumented_header", detail: expect.stringContaining("retry-after") }),
    ]);
    expect(
      check(exchange({ method: "DELETE", status: 204, body: "", headers: { "x-request-id": "r2", allow: "GET" } })),
    ).toEqual([
      expect.objectContaining({ kind: "undocumented_header", detail: expect.stringContaining("x-request-id") }),
      expect.objectContaining({ kind: "undocumented_header", detail: expect.stringContaining("allow") }),
    ]);
    const { location: _location, ...withoutLocation } = created.headers;
    expect(check({ ...created, headers: withoutLocation })).toEqual([
      expect.objectContaining({ kind: "missing_header", detail: expect.stringContaining("location") }),
    ]);
    // Headers without a meaning of their own (Cache-Control, Vary…) need no documentation.
    expect(check(exchange({ headers: { ...exchange({}).headers, "cache-control": "no-store" } }))).toEqual([]);
  });
});
