import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import { registerAccount, testClient, testDb, unique } from "../support/accounts";
import { readProblem } from "../support/worker";

function validBody() {
  const name = unique("reg");
  return { email: `${name}@shop.test`, username: name, password: "a long and unusual passphrase" };
}

async function expectFieldError(body: unknown, path: string) {
  const response = await testClient().json("POST", "/api/auth/register", body);
  expect(response.status, JSON.stringify(body)).toBe(422);
  const problem = await readProblem(response);
  expect(
    problem.errors?.map((error) => error.path),
    JSON.stringify(body),
  ).toContain(path);
  return problem;
}

describe("registration rules", () => {
  it("refuses fields it does not know, such as role, is_admin and is_active (no mass assignment)", async () => {
    for (const field of ["role", "is_admin", "is_active", "email_verified", "id"]) {
      const problem = await expectFieldError(
        { ...validBody(), [field]: field === "role" ? "admin" : true },
        `body.${field}`,
      );
      expect(problem.errors).toContainEqual({ path: `body.${field}`, message: "Unknown field" });
    }
  });

  it("a __proto__ key is refused as an unknown field: no account is made and no prototype gains a key", async () => {
    const name = unique("p");
    // Raw text: JSON.stringify would drop a __proto__ key, JSON.parse on the server keeps it as an own key.
    const raw = `{"email":"${name}@shop.test","username":"${name}","password":"a long and unusual passphrase","__proto__":{"role":"admin","isAdmin":true,"polluted":"yes"}}`;
    const response = await testClient().fetch("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw,
    });
    expect(response.status).toBe(422);
    const problem = await readProblem(response);
    expect(problem.type).toBe("urn:edge-commerce:problem:validation_error");
    expect(problem.errors).toContainEqual({ path: "body.__proto__", message: "Unknown field" });
    // The Worker runs in this isolate, so a polluted Object.prototype would show here.
    const fresh: Record<string, unknown> = {};
    for (const key of ["role", "isAdmin", "polluted"]) {
      expect(fresh[key], key).toBeUndefined();
      expect(Object.hasOwn(Object.prototype, key), key).toBe(false);
    }
    const stored = await testDb()
      .select()
      .from(users)
      .where(eq(users.email, `${name}@shop.test`));
    expect(stored).toEqual([]);
  });

  it("usernames are 3–32 letters or digits", async () => {
    for (const username of ["ab", "has space", "under_score", "dash-ed", "dot.ted", "x".repeat(33), "emoji😀x", ""]) {
      await expectFieldError({ ...validBody(), username }, "body.username");
    }
  });

  it("emails must be valid", async () => {
    for (const email of ["not-an-email", "a@", "@shop.test", `${"x".repeat(250)}@shop.test`, ""]) {
      await expectFieldError({ ...validBody(), email }, "body.email");
    }
  });

  it("passwords of fewer than 8 or more than 128 characters are refused", async () => {
    for (const password of ["Zq9#vL2", "ü".repeat(7), "x".repeat(129)]) {
      await expectFieldError({ ...validBody(), password }, "body.password");
    }
  });

  it("common passwords are refused, whatever their case", async () => {
    for (const password of ["password", "12345678", "qwertyuiop", "Baseball", "PASSWORD1", "iloveyou"]) {
      const problem = await expectFieldError({ ...validBody(), password }, "body.password");
      expect(JSON.stringify(problem.errors)).toMatch(/too common/);
    }
  });

  it("a password equal to the username or email is refused", async () => {
    const body = validBody();
    await expectFieldError({ ...body, password: body.username.toUpperCase() }, "body.password");
    await expectFieldError({ ...body, password: body.email }, "body.password");
  });

  it("types are not coerced", async () => {
    await expectFieldError({ ...validBody(), password: 12345678901 }, "body.password");
    await expectFieldError({ ...validBody(), username: ["a", "b"] }, "body.username");
  });

  it("a duplicate email or username (in any case) gets one generic 409", async () => {
    const existing = await registerAccount();
    const duplicateEmail = await testClient().json("POST", "/api/auth/register", {
      ...validBody(),
      email: existing.email.toUpperCase(),
    });
    const duplicateUsername = await testClient().json("POST", "/api/auth/register", {
      ...validBody(),
      username: existing.username.toUpperCase(),
    });
    expect(duplicateEmail.status).toBe(409);
    expect(duplicateUsername.status).toBe(409);
    const [first, second] = [await readProblem(duplicateEmail), await readProblem(duplicateUsername)];
    expect(first.detail).toBe(second.detail);
    expect(first.type).toBe(second.type);
    expect(first.detail).not.toMatch(/email|username/i);
  });

  it("a body that is not JSON gets 415 and malformed JSON 400", async () => {
    const client = testClient();
    const form = await client.fetch("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&username=abc&password=whatever123",
    });
    expect(form.status).toBe(415);
    const malformed = await client.fetch("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
  });
});
