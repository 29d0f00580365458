/**
 * A data migration that SQL cannot do: every username's key is made the canonical form of `usernameKey()`
 * (NFKC, case folding, the confusable skeletons of Unicode TR 39), replacing keys written by older rules (the
 * lower-cased NFKC name). It runs with every `db:migrate` and changes only keys that differ, so running it again
 * after deploying also catches accounts an older Worker wrote meanwhile. One atomic batch; each update applies
 * only if the row still holds the name and key it read, so a rename racing it is left for the next run.
 *
 * Two existing accounts whose names now collide ("b0b" and "bob"): the older keeps the name; the newer is
 * renamed `u<its id>` (no look-alike of another account is left on display) and listed, to pick a new name.
 */
import type { Client } from "@libsql/client";

export interface RekeyReport {
  rekeyed: number;
  /** Ids of the accounts renamed because an older account has a look-alike name. */
  renamed: string[];
}

export async function rekeyUsernames(client: Client): Promise<RekeyReport> {
  const { rows } = await client.execute(
    "SELECT id, username, username_key FROM users WHERE deleted_at IS NULL ORDER BY created_at, id",
  );
  if (rows.length === 0) return { rekeyed: 0, renamed: [] };
  // The identity rules read .txt data files: the hooks first, then the module (see scripts/text-modules.ts).
  await import("../text-modules.ts");
  const { usernameKey } = await import("../../src/modules/accounts/identity.ts");

  const changes: { id: string; username: string; from: { username: string; key: string }; key: string }[] = [];
  const renamed: string[] = [];
  const taken = new Set<string>();
  for (const row of rows) {
    const id = String(row.id);
    const from = { username: String(row.username), key: String(row.username_key) };
    let username = from.username;
    let key = usernameKey(username);
    if (taken.has(key)) {
      renamed.push(id);
      username = `u${id.replace(/^usr_/, "")}`;
      key = usernameKey(username);
    }
    taken.add(key);
    if (key !== from.key || username !== from.username) changes.push({ id, username, from, key });
  }
  if (changes.length === 0) return { rekeyed: 0, renamed };
  await client.batch(
    [
      // Through a key no name can have first, so two rows trading keys never meet the unique index half-way.
      ...changes.map(({ id, from }) => ({
        sql: "UPDATE users SET username_key = ? WHERE id = ? AND username = ? AND username_key = ?",
        args: [`~${id}`, id, from.username, from.key],
      })),
      ...changes.map(({ id, username, key }) => ({
        sql: "UPDATE users SET username = ?, username_key = ? WHERE id = ? AND username_key = ?",
        args: [username, key, id, `~${id}`],
      })),
    ],
    "write",
  );
  return { rekeyed: changes.length, renamed };
}
