/** The package version, read once from package.json (works from src/ under tsx and from dist/). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageJson(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("topicscope: package.json not found next to the sources");
}

export const packageRoot = dirname(findPackageJson());
export const version: string = (JSON.parse(readFileSync(findPackageJson(), "utf8")) as { version: string })
  .version;
