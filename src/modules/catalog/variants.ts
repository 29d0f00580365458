/**
 * The rules of options and variants, written once: the create schema's refinement and the admin handlers that add
 * variants or change options both call them.
 */

export const MAX_OPTIONS = 3;
export const MAX_VARIANTS = 100;
const DEFAULT_VARIANT_TITLE = "Default";

export interface OptionDefinition {
  name: string;
  values: string[];
}

export type Combination = { ok: true; values: string[] } | { ok: false; message: string };

/**
 * The option values a variant picks, in the options' order: exactly one known value of each option, nothing else.
 * A product without options has one combination, the empty one.
 */
export function combinationOf(
  options: readonly OptionDefinition[],
  chosen: Readonly<Record<string, string>>,
): Combination {
  const unknown = Object.keys(chosen).filter((name) => !options.some((option) => option.name === name));
  if (unknown.length > 0)
    return { ok: false, message: `No option named ${unknown.map((name) => `"${name}"`).join(", ")}` };
  const values: string[] = [];
  for (const option of options) {
    const value = chosen[option.name];
    if (value === undefined) return { ok: false, message: `Choose a value of "${option.name}"` };
    if (!option.values.includes(value)) {
      return { ok: false, message: `"${value}" is not a value of "${option.name}" (${option.values.join(", ")})` };
    }
    values.push(value);
  }
  return { ok: true, values };
}

/** "M / Red", or "Default" for the one variant of a product without options. */
export function variantTitle(values: readonly string[]): string {
  return values.length > 0 ? values.join(" / ") : DEFAULT_VARIANT_TITLE;
}

/** `{Size: "M", Color: "Red"}` from the values stored in the options' order. */
export function optionsRecord(options: readonly OptionDefinition[], values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    options.flatMap((option, index) => (values[index] === undefined ? [] : [[option.name, values[index]]])),
  );
}

/** The key that makes two combinations the same (the stored JSON array). */
export function combinationKey(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** Case-insensitive duplicates in a list, each once, as first repeated. */
export function duplicatesOf(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Map<string, string>();
  for (const item of items) {
    const key = item.toLowerCase();
    if (seen.has(key) && !duplicates.has(key)) duplicates.set(key, item);
    seen.add(key);
  }
  return [...duplicates.values()];
}

/**
 * How a product's options may change once it has variants: the same options in the same order (names may be
 * changed), each keeping every value a live variant uses; values may be added and reordered. Adding a value adds no
 * variant. Returns why a change is refused, or undefined.
 */
export function refusedOptionChange(
  current: readonly OptionDefinition[],
  next: readonly OptionDefinition[],
  usedValues: readonly (readonly string[])[],
): { code: "options_fixed" | "option_value_in_use"; message: string } | undefined {
  if (next.length !== current.length) {
    return {
      code: "options_fixed",
      message: `This product has ${current.length} option(s): options can be renamed, and values added, reordered or removed, but options cannot be added or removed once variants exist.`,
    };
  }
  for (const [index, option] of next.entries()) {
    const missing = [...new Set(usedValues.map((values) => values[index]))].filter(
      (value): value is string => value !== undefined && !option.values.includes(value),
    );
    if (missing.length > 0) {
      return {
        code: "option_value_in_use",
        message: `"${option.name}" must keep ${missing.map((value) => `"${value}"`).join(", ")}: a variant uses it. Delete or change those variants first.`,
      };
    }
  }
  return undefined;
}
