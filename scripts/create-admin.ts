/**
 * `npm run create-admin -- --email ada@example.com --username ada [--full-name "Ada L."]`
 *
 * Creates the first (or another) admin account. The password is read from
 * standard input when it is piped, or asked for without echo; the same rules
 * as the API apply, and it is hashed at OWASP argon2id parameters. Works
 * against DATABASE_URL (+ DATABASE_AUTH_TOKEN): the local server or Turso.
 * There are no default credentials anywhere.
 */
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { hashPassword } from "../src/modules/accounts/password.ts";
import { OWASP_ARGON2 } from "../src/platform/config.ts";
import { isUniqueViolation } from "../src/platform/db/errors.ts";
import { newId } from "../src/platform/ids.ts";
import { auditEvents, users } from "../src/schema.ts";
import { failWith } from "./cli/command.ts";
import "./text-modules.ts";

// The password rules include the common-password list, a .txt module: loaded
// once the hooks above are registered (see scripts/text-modules.ts).
const { passwordMatchesIdentity, passwordProblem, usernameKey } = await import("../src/modules/accounts/identity.ts");
const { EmailSchema, FullNameSchema, UsernameSchema } = await import("../src/modules/accounts/schemas.ts");

function fail(message: string): never {
  console.error(`create-admin: ${message}`);
  process.exit(1);
}

async function readPassword(): Promise<string> {
  if (!stdin.isTTY) {
    let input = "";
    for await (const chunk of stdin) input += chunk;
    return input.replace(/\r?\n$/, "");
  }
  const prompt = async (question: string) => {
    const rl = createInterface({ input: stdin, output: stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    stdout.write(question);
    output._writeToOutput = () => undefined;
    const answer = await new Promise<string>((resolve) => rl.question("", resolve));
    rl.close();
    stdout.write("\n");
    return answer;
  };
  const password = await prompt("Password: ");
  if ((await prompt("Repeat password: ")) !== password) fail("the passwords do not match");
  return password;
}

const { values } = parseArgs({
  options: { email: { type: "string" }, username: { type: "string" }, "full-name": { type: "string" } },
});
const email = EmailSchema.safeParse(values.email ?? "");
const username = UsernameSchema.safeParse(values.username ?? "");
const fullName = values["full-name"] === undefined ? undefined : FullNameSchema.safeParse(values["full-name"]);
if (!email.success) fail("--email is required and must be a valid email address");
if (!username.success) fail("--username is required: 3 to 32 letters or digits");
if (fullName && !fullName.success) fail("--full-name must be 1 to 100 characters");

const password = await readPassword();
const problem = passwordProblem(password);
if (problem) fail(`password ${problem}`);
if (passwordMatchesIdentity(password, { email: email.data, username: username.data })) {
  fail("password may not be the same as the email or username");
}

// An empty DATABASE_URL counts as unset.
const url = process.env.DATABASE_URL || `http://127.0.0.1:${process.env.LIBSQL_PORT || 8080}`;
const client = createClient({ url, authToken: process.env.DATABASE_AUTH_TOKEN || undefined });
const db = drizzle(client);
const now = new Date().toISOString();
const id = newId("usr");
try {
  await db.batch([
    db.insert(users).values({
      id,
      email: email.data,
      username: username.data,
      usernameKey: usernameKey(username.data),
      fullName: fullName?.data ?? null,
      passwordHash: await hashPassword(password, OWASP_ARGON2),
      role: "admin",
      isActive: true,
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(auditEvents).values({
      id: newId("aud"),
      at: now,
      actorId: null,
      action: "user.registered",
      targetType: "user",
      targetId: id,
      details: { role: "admin", via: "create-admin" },
    }),
  ]);
} catch (error) {
  if (isUniqueViolation(error)) fail("an account with this email or username already exists");
  failWith("create-admin", error, { databaseUrl: url });
} finally {
  client.close();
}
console.log(`Admin ${username.data} <${email.data}> created as ${id} on ${new URL(url).host}.`);
