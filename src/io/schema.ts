/**
 * Small structural schemas for the JSON files we read back (a model folder's files): each file is
 * checked on load, and a file that does not match says, in one line, which file and which field is
 * wrong — `topics.json: [3].words: expected an array, got "x"` — instead of failing later, deep inside
 * the code that trusted it, with "readJson(...).map is not a function".
 */
import { UserError } from "../util/errors.js";

/** Returns undefined when `value` fits, else "<path>: expected …, got …". */
export type Schema = (value: unknown, path: string) => string | undefined;

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const shown = value.length > 30 ? `${value.slice(0, 29)}…` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

function at(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
}

function fail(path: string, expected: string, value: unknown): string {
  return `${path === "" ? "the file" : path}: expected ${expected}, got ${describe(value)}`;
}

export const string: Schema = (v, p) => (typeof v === "string" ? undefined : fail(p, "a string", v));

export const boolean: Schema = (v, p) => (typeof v === "boolean" ? undefined : fail(p, "true or false", v));

export function number(options: { integer?: boolean; min?: number; max?: number } = {}): Schema {
  const { integer = false, min = -Infinity, max = Infinity } = options;
  const what = `${integer ? "an integer" : "a number"}${min > -Infinity ? ` ≥ ${min}` : ""}${max < Infinity ? ` ≤ ${max}` : ""}`;
  return (v, p) =>
    typeof v === "number" && Number.isFinite(v) && (!integer || Number.isInteger(v)) && v >= min && v <= max
      ? undefined
      : fail(p, what, v);
}

export function literal(expected: string | number): Schema {
  return (v, p) => (v === expected ? undefined : fail(p, JSON.stringify(expected), v));
}

export function oneOf(values: readonly string[]): Schema {
  return (v, p) =>
    typeof v === "string" && values.includes(v)
      ? undefined
      : fail(p, `one of ${values.map((x) => `"${x}"`).join(", ")}`, v);
}

/** A scalar that becomes a string (ids, labels, timestamps written by older versions as numbers). */
export const scalar: Schema = (v, p) =>
  typeof v === "string" || (typeof v === "number" && Number.isFinite(v))
    ? undefined
    : fail(p, "a string or number", v);

export function array(item: Schema, options: { length?: number; minLength?: number } = {}): Schema {
  return (v, p) => {
    if (!Array.isArray(v)) return fail(p, "an array", v);
    if (options.length !== undefined && v.length !== options.length)
      return fail(p, `an array of ${options.length}`, v);
    if (options.minLength !== undefined && v.length < options.minLength)
      return fail(p, `an array of at least ${options.minLength}`, v);
    for (let i = 0; i < v.length; i++) {
      const error = item(v[i], at(p, i));
      if (error) return error;
    }
    return undefined;
  };
}

/** An object with these fields (keys ending in "?" are optional); other fields are allowed. */
export function object(fields: Record<string, Schema>): Schema {
  const entries = Object.entries(fields).map(([key, schema]) => ({
    key: key.endsWith("?") ? key.slice(0, -1) : key,
    optional: key.endsWith("?"),
    schema,
  }));
  return (v, p) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return fail(p, "an object", v);
    const record = v as Record<string, unknown>;
    for (const { key, optional, schema } of entries) {
      const value = record[key];
      if (value === undefined && optional) continue;
      if (value === undefined) return `${at(p, key)}: missing`;
      const error = schema(value, at(p, key));
      if (error) return error;
    }
    return undefined;
  };
}

/** An object whose every value fits `value` (a map keyed by name). */
export function record(value: Schema): Schema {
  return (v, p) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return fail(p, "an object", v);
    for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
      const error = value(inner, at(p, key));
      if (error) return error;
    }
    return undefined;
  };
}

export function nullable(schema: Schema): Schema {
  return (v, p) => (v === null ? undefined : schema(v, p));
}

/** Any JSON value (the field is checked by its owner). */
export const any: Schema = () => undefined;

/** `schema`, then a check of the whole value that the structure cannot express (lengths that agree, …). */
export function refine(schema: Schema, check: (value: never) => string | undefined): Schema {
  return (v, p) => schema(v, p) ?? check(v as never);
}

/**
 * Throws a one-line UserError `<file>: <path>: expected …, got …; <advice>` when `value` does not fit.
 * Narrows `value` to T for the caller, who described T by the schema.
 */
export function validate<T>(
  value: unknown,
  schema: Schema,
  file: string,
  advice: string,
): asserts value is T {
  const error = schema(value, "");
  if (error) throw new UserError(`${file}: ${error}; ${advice}`);
}
