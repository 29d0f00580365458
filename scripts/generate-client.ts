/**
 * `npm run client:generate`: writes packages/client/openapi.json (the bundled Worker's document) and
 * packages/client/src/schema.d.ts (its types), both committed. Run it after changing a route or a schema;
 * `npm test` fails while they differ from what the Worker serves.
 */
import { writeFileSync } from "node:fs";
import { CLIENT_FILES, clientFiles, servedDocument } from "./client/client-files.ts";

const files = await clientFiles(await servedDocument());
for (const { path, text } of [
  { path: CLIENT_FILES.document, text: files.document },
  { path: CLIENT_FILES.schema, text: files.schema },
]) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
