/** JSON files read with a clear error naming the file (one line, exit 2) instead of a stack trace. */
import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.js";

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: cannot parse JSON (${(error as Error).message})`);
  }
}
