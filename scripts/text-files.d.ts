// For scripts/tsconfig.json, which reaches src/ files that import text but (unlike
// src/ and test/) does not include worker-configuration.d.ts, where wrangler declares it.
declare module "*.txt" {
  const text: string;
  export default text;
}
