/** `npm run docs:assets`: Scalar's bundle into the static assets, and its path and hash into a module (scripts/docs/). */
import { copyDocsAssets } from "./docs/copy-docs-assets.ts";

const { path, integrity, moduleChanged } = copyDocsAssets();
console.log(
  `public${path} ${integrity}${moduleChanged ? " (src/platform/http/scalar-bundle.generated.ts rewritten)" : ""}`,
);
