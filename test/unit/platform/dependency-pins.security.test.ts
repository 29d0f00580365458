import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url).href);

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function read<T>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), "utf8")) as T;
}

/** Every dependency the root package and its workspaces declare, with where it is declared. */
function declared(): { where: string; name: string; version: string }[] {
  return ["package.json", "tools/libsql-server/package.json", "packages/client/package.json"].flatMap((where) => {
    const manifest = read<Manifest>(where);
    return Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).map(([name, version]) => ({
      where,
      name,
      version,
    }));
  });
}

describe("dependencies are pinned", () => {
  it("every declared version is exact: no range, tag, URL or workspace wildcard", () => {
    const loose = declared().filter(({ version }) => !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version));
    expect(loose).toEqual([]);
  });

  it("the committed lockfile installs exactly the declared versions", () => {
    const lock = read<{ lockfileVersion: number; packages: Record<string, { version?: string }> }>("package-lock.json");
    expect(lock.lockfileVersion).toBe(3);
    const root = read<Manifest>("package.json");
    for (const [name, version] of Object.entries({ ...root.dependencies, ...root.devDependencies })) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });

  it("no dependency runs an install script: the project's .npmrc turns them off for every npm install", () => {
    const settings = readFileSync(join(ROOT, ".npmrc"), "utf8")
      .split("\n")
      .map((line) => line.trim());
    expect(settings).toContain("ignore-scripts=true");
  });
});
