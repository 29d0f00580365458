import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../../src/schema";
import { registerAccount, testClient, testDb, unique } from "../support/accounts";
import { type Problem, readProblem } from "../support/worker";

function comparable(problem: Problem) {
  const { request_id: _requestId, ...rest } = problem;
  return rest;
}

describe("sign-in failures", () => {
  it("unknown user, wrong password, deactivated and deleted accounts get the same 401 problem", async () => {
    const wrongPassword = await registerAccount();
    const deactivated = await registerAccount();
    const deleted = await registerAccount();
    const db = testDb();
    await db.update(users).set({ isActive: false }).where(eq(users.id, deactivated.id));
    await db.update(users).set({ deletedAt: new Date().toISOString() }).where(eq(users.id, deleted.id));

    const attempts = [
      { username: unique("nobody"), password: "a long and unusual passphrase" },
      { username: wrongPassword.username, password: `${wrongPassword.password}x` },
      { username: deactivated.username, password: deactivated.password },
      { username: deleted.username, password: deleted.password },
    ];
    const answers = [];
    for (const attempt of attempts) {
      const response = await testClient().json("POST", "/api/auth/login", attempt);
      answers.push({
        status: response.status,
        challenge: response.headers.get("www-authenticate"),
        body: comparable(await readProblem(response)),
      });
    }
    expect(answers[0]).toMatchObject({ status: 401, body: { type: "urn:edge-commerce:problem:invalid_credentials" } });
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it("a request without credentials, or with another grant type, is a validation problem", async () => {
    const client = testClient();
    const empty = await client.fetch("/api/auth/login", { method: "POST" });
    expect(empty.status).toBe(422);
    const wrongGrant = await client.fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&username=a&password=b",
    });
    expect(wrongGrant.status).toBe(422);
    const missingPassword = await client.json("POST", "/api/auth/login", { username: "someone" });
    expect(missingPassword.status).toBe(422);
  });
});
