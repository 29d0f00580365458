import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import type { AppBindings } from "../../platform/http/types";

/** What a sign-in's answer may add to its tokens, from work another module joined to it. */
interface SignInExtras {
  cart_merged?: { lines: number };
}

/** Work joined to a successful sign-in: its statements run in the sign-in's own batch (no extra round trip). */
export interface SignInExtension {
  readonly statements: readonly BatchItem<"sqlite">[];
  /** Reads the statements' results (in their order) into what the answer adds. */
  answer(results: readonly unknown[]): SignInExtras;
}

/**
 * Given by the composition root (the cart merges a guest cart), so that accounts depends on no module that depends
 * on it. Null when the request asks for nothing more than the sign-in.
 */
export type SignInHook = (c: Context<AppBindings>, userId: string, at: Date) => Promise<SignInExtension | null>;
