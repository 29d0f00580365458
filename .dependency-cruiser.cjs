/**
 * The layering rule of src/ (README, "Project layout"), checked by `npm run lint:boundaries` in `npm test`:
 * platform imports no module; a module reaches another module only through its index.ts; its tables import
 * only drizzle and other tables (types aside);
 * neither reaches the composition root (app.ts, index.ts, services.ts, request-services.ts, schema.ts).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "platform-imports-no-module",
      comment: "src/platform is what every module uses, so it cannot depend on any of them.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/modules/" },
    },
    {
      name: "modules-meet-through-index",
      comment: "A module imports another module only through that module's index.ts.",
      severity: "error",
      from: { path: "^src/modules/([^/]+)/", pathNot: "^src/modules/[^/]+/tables(\\.ts$|/)" },
      to: { path: "^src/modules/[^/]+/", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "tables-reference-only-tables",
      comment:
        "A module's drizzle tables import only drizzle and other tables (foreign keys), apart from types: " +
        "the schema loads on its own (drizzle-kit, scripts) without pulling in any module's code.",
      severity: "error",
      from: { path: "^src/modules/[^/]+/tables(\\.ts$|/)" },
      to: {
        pathNot: ["^src/modules/[^/]+/tables(\\.ts$|/)", "^node_modules/drizzle-orm/"],
        // Types vanish at run time: a column may be typed with a module's zod schema.
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "no-reach-into-composition-root",
      comment: "Only the entry point wires modules together; modules and platform never import it.",
      severity: "error",
      from: { path: "^src/(platform|modules)/" },
      to: { path: "^src/(app|index|services|request-services|schema)\\.ts$" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, pathNot: "^cloudflare:" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types"],
    },
  },
};
