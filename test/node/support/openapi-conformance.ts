import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** One HTTP exchange as a client saw it: the request's method and target, the response's status, headers and body. */
export interface RecordedExchange {
  method: string;
  /** Path and query, as sent (`/api/products?q=tea`). */
  target: string;
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

export type MismatchKind =
  | "unknown_operation"
  | "ambiguous_operation"
  | "undocumented_status"
  | "content_type"
  | "body"
  | "missing_header"
  | "undocumented_header";

export interface Mismatch {
  kind: MismatchKind;
  /** `POST /api/orders/{id}/cancel → 409`: the documented operation when one matched, else the path as sent. */
  exchange: string;
  detail: string;
}

/**
 * The response headers this API sends with a meaning of their own: whenever one is sent, the operation's
 * documented response must name it, or generated clients cannot read it.
 */
const MEANINGFUL_HEADERS = [
  "location",
  "etag",
  "retry-after",
  "www-authenticate",
  "x-request-id",
  "idempotent-replayed",
  "allow",
  "cart-token",
] as const;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiDocument {
  paths?: Record<string, unknown>;
  servers?: { url: string }[];
  components?: Record<string, unknown>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const NOT_JSON = Symbol("not JSON");

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

function mediaTypeMatches(documented: string, actual: string): boolean {
  const [type, subtype] = documented.toLowerCase().split("/");
  const [actualType, actualSubtype] = actual.split("/");
  return (type === "*" || type === actualType) && (subtype === "*" || subtype === actualSubtype);
}

interface Operation {
  template: string;
  method: string;
  /** Path segments: a string to match as is, or null for a `{parameter}`. */
  segments: (string | null)[];
  responses: JsonObject;
}

/**
 * Checks recorded exchanges against an OpenAPI 3.1 document: the request names exactly one documented operation
 * (a concrete path wins over a template, as OpenAPI says), its status is documented, the Content-Type is one of the
 * documented media types (problem+json for every error), the body validates against the documented schema
 * (JSON Schema 2020-12 with `$ref`s into the document), documented required headers are there, and every
 * {@link MEANINGFUL_HEADERS} header sent is documented on that response.
 */
export function createConformanceChecker(document: OpenApiDocument): (exchange: RecordedExchange) => Mismatch[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  const basePath = new URL(document.servers?.[0]?.url ?? "http://server/", "http://server/").pathname.replace(
    /\/$/,
    "",
  );

  /** Follows `#/…` references within the document. */
  function deref(value: unknown): unknown {
    let current = value;
    for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
      const ref = current.$ref;
      if (hops > 20 || !ref.startsWith("#/")) throw new Error(`unresolvable $ref ${ref}`);
      current = ref
        .slice(2)
        .split("/")
        .map((part) => decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~"))
        .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
    }
    return current;
  }

  const operations: Operation[] = [];
  for (const [template, rawItem] of Object.entries(document.paths ?? {})) {
    const item = deref(rawItem);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      operations.push({
        template,
        method,
        segments: template
          .split("/")
          .map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : decodeURIComponent(segment))),
        responses: isObject(operation.responses) ? operation.responses : {},
      });
    }
  }

  /**
   * A method the path does not list: no operation can document its answer, so info.description does: 405
   * `method_not_allowed` with an `Allow` header naming the path's methods (HEAD with GET), as a Problem, with the
   * `X-Request-ID` every answer carries.
   */
  function checkMethodNotAllowed(exchange: RecordedExchange, onPath: Operation[]): Mismatch[] {
    const template = [...onPath].sort(
      (a, b) => a.segments.filter((s) => s === null).length - b.segments.filter((s) => s === null).length,
    )[0]?.template;
    const mismatches: Mismatch[] = [];
    const report = (kind: MismatchKind, detail: string) =>
      mismatches.push({ kind, exchange: `${exchange.method.toUpperCase()} ${template} → 405`, detail });
    if (exchange.headers["x-request-id"] === undefined) {
      report("missing_header", "x-request-id is sent with every answer (info.description) and was not sent");
    }
    const allow = exchange.headers.allow;
    if (allow === undefined) {
      report("missing_header", "allow is documented for 405 in info.description and was not sent");
    } else {
      const documented = new Set(onPath.map((operation) => operation.method.toUpperCase()));
      if (documented.has("GET")) documented.add("HEAD");
      const sentMethods = new Set(allow.split(",").map((item) => item.trim().toUpperCase()));
      const same = documented.size === sentMethods.size && [...documented].every((item) => sentMethods.has(item));
      if (!same) report("body", `Allow: ${allow}; the path documents ${[...documented].sort().join(", ")}`);
    }
    const contentType = mediaType(exchange.headers["content-type"] ?? "");
    if (contentType !== "application/problem+json") {
      report("content_type", `${contentType || "no content type"} sent; documented: application/problem+json`);
      return mismatches;
    }
    const body = parsedJson(exchange.body);
    if (body === NOT_JSON) {
      report("body", `not JSON: ${exchange.body.slice(0, 80)}`);
      return mismatches;
    }
    const validate = validator("405 Problem", { $ref: "#/components/schemas/Problem" });
    if (!validate(body)) report("body", ajv.errorsText(validate.errors, { dataVar: "body" }));
    else if (isObject(body) && !String(body.type).endsWith(":method_not_allowed")) {
      report("body", `type ${String(body.type)}, where info.description documents method_not_allowed`);
    }
    return mismatches;
  }

  function validator(key: string, schema: unknown): ValidateFunction {
    let validate = validators.get(key);
    if (!validate) {
      // The schema's `#/components/…` references resolve against this wrapper's root.
      validate = ajv.compile({ ...(isObject(schema) ? schema : {}), components: document.components ?? {} });
      validators.set(key, validate);
    }
    return validate;
  }

  return (exchange) => {
    const url = new URL(exchange.target, "http://client");
    const method = exchange.method.toLowerCase();
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const segments = path.split("/").map((segment) => decodeURIComponent(segment));
    const onPath = operations.filter(
      (operation) =>
        operation.segments.length === segments.length &&
        operation.segments.every((segment, index) => segment === null || segment === segments[index]),
    );
    const candidates = onPath.filter((operation) => operation.method === method);
    const sent = `${exchange.method.toUpperCase()} ${url.pathname} → ${exchange.status}`;
    if (candidates.length === 0 && onPath.length > 0 && exchange.status === 405) {
      return checkMethodNotAllowed(exchange, onPath);
    }
    if (candidates.length === 0) {
      return [
        { kind: "unknown_operation", exchange: sent, detail: "no documented operation has this method and path" },
      ];
    }
    const fewestParameters = Math.min(...candidates.map((op) => op.segments.filter((s) => s === null).length));
    const best = candidates.filter((op) => op.segments.filter((s) => s === null).length === fewestParameters);
    if (best.length > 1) {
      return [
        {
          kind: "ambiguous_operation",
          exchange: sent,
          detail: `matches ${best.map((op) => op.template).join(", ")}`,
        },
      ];
    }
    const operation = best[0] as Operation;
    const name = `${exchange.method.toUpperCase()} ${operation.template} → ${exchange.status}`;
    const mismatches: Mismatch[] = [];
    const report = (kind: MismatchKind, detail: string) => mismatches.push({ kind, exchange: name, detail });

    const statusKey = [String(exchange.status), `${String(exchange.status)[0]}XX`, "default"].find(
      (key) => operation.responses[key] !== undefined,
    );
    if (!statusKey) {
      report("undocumented_status", `documented: ${Object.keys(operation.responses).join(", ") || "none"}`);
      return mismatches;
    }
    const response = deref(operation.responses[statusKey]);
    const documented = isObject(response) ? response : {};

    const headers = isObject(documented.headers) ? documented.headers : {};
    const documentedHeaders = new Map(Object.entries(headers).map(([header, value]) => [header.toLowerCase(), value]));
    for (const [header, value] of documentedHeaders) {
      const definition = deref(value);
      if (isObject(definition) && definition.required === true && exchange.headers[header] === undefined) {
        report("missing_header", `${header} is documented as required and was not sent`);
      }
    }
    for (const header of MEANINGFUL_HEADERS) {
      if (exchange.headers[header] !== undefined && !documentedHeaders.has(header)) {
        report("undocumented_header", `${header} was sent and is not documented on this response`);
      }
    }

    const content = isObject(documented.content) ? documented.content : {};
    const mediaTypes = Object.keys(content);
    const contentType = exchange.headers["content-type"];
    if (exchange.body === "") {
      if (mediaTypes.length > 0 && exchange.status !== 304 && method !== "head") {
        report("body", `empty, where ${mediaTypes.join(", ")} is documented`);
      }
      return mismatches;
    }
    if (contentType === undefined) {
      report("content_type", "a body without Content-Type");
      return mismatches;
    }
    const actual = mediaType(contentType);
    if (exchange.status >= 400 && actual !== "application/problem+json") {
      report("content_type", `an error answered as ${actual}, not application/problem+json`);
    }
    const matched = mediaTypes.find((documentedType) => mediaTypeMatches(documentedType, actual));
    if (matched === undefined) {
      report("content_type", `${actual} sent; documented: ${mediaTypes.join(", ") || "no body"}`);
      return mismatches;
    }
    const media = content[matched];
    const schema = isObject(media) ? media.schema : undefined;
    if (schema === undefined || !/[/+]json$/.test(actual)) return mismatches;
    const body = parsedJson(exchange.body);
    if (body === NOT_JSON) {
      report("body", `not JSON: ${exchange.body.slice(0, 80)}`);
      return mismatches;
    }
    const validate = validator(`${operation.method} ${operation.template} ${statusKey} ${matched}`, schema);
    if (!validate(body)) {
      report("body", ajv.errorsText(validate.errors, { dataVar: "body" }));
    }
    return mismatches;
  };
}

/** Every distinct mismatch of `exchanges` against `document`, in the order first seen. */
export function checkExchanges(document: OpenApiDocument, exchanges: readonly RecordedExchange[]): Mismatch[] {
  const check = createConformanceChecker(document);
  const seen = new Set<string>();
  const mismatches: Mismatch[] = [];
  for (const exchange of exchanges) {
    for (const mismatch of check(exchange)) {
      const key = `${mismatch.kind} ${mismatch.exchange} ${mismatch.detail}`;
      if (!seen.has(key)) {
        seen.add(key);
        mismatches.push(mismatch);
      }
    }
  }
  return mismatches;
}
