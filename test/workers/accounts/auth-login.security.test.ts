import { afterEach, describe, expect, it, vi } from "vitest";
import * as passwords from "../../../src/modules/accounts/password";
import { registerAccount, testClient, unique } from "../support/accounts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("sign-in timing does not reveal whether an account exists", () => {
  it("an unknown user costs one full argon2id verification, against a dummy hash at the configured cost", async () => {
    const verify = vi.spyOn(passwords, "verifyPassword");
    const response = await testClient().json("POST", "/api/auth/login", {
      username: unique("ghost"),
      password: "whatever-it-is",
    });
    expect(response.status).toBe(401);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0]?.[1]).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await verify.mock.results[0]?.value).toEqual({ valid: false, needsRehash: false });
  });

  it("a wrong password costs the same single verification", async () => {
    const account = await registerAccount();
    const verify = vi.spyOn(passwords, "verifyPassword");
    await testClient().json("POST", "/api/auth/login", { username: account.username, password: "not the password" });
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
