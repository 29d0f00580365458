import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { users } from "../../../src/schema";
import { login, registerAccount, testClient, testDb, unique } from "../support/accounts";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

function signIn(username: string, password: string, extra: Record<string, string> = {}, ip?: string) {
  return testClient(ip).json("POST", "/api/auth/login", { username, password, ...extra });
}

/** The full-width form of an ASCII name: what a phone keyboard in CJK mode types. */
function fullWidth(name: string): string {
  return [...name].map((char) => String.fromCodePoint((char.codePointAt(0) ?? 0) + 0xfee0)).join("");
}

function statusesOf(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}

describe("the sign-in backoff counts and decides in one step", () => {
  it("25 parallel wrong sign-ins from 25 addresses: 11 are checked (the schedule), 14 refused with Retry-After", async () => {
    const account = await registerAccount();
    vi.useFakeTimers({ toFake: ["Date"] });
    const burst = await Promise.all(Array.from({ length: 25 }, () => signIn(account.username, "wrong password guess")));
    // Ten free attempts, the eleventh starts the 1-second delay; nothing else is even checked.
    expect(statusesOf(burst)).toEqual({ 401: 11, 429: 14 });
    for (const refused of burst.filter((response) => response.status === 429)) {
      expect(refused.headers.get("retry-after")).toBe("1");
      expect((await readProblem(refused)).type).toBe("urn:edge-commerce:problem:login_backoff");
    }
  });

  it("20 parallel reset requests for one address from 20 addresses: 4 accepted, at most 4 emails", async () => {
    const account = await registerAccount();
    vi.useFakeTimers({ toFake: ["Date"] });
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => testClient().json("POST", "/api/auth/password-reset", { email: account.email })),
    );
    expect(statusesOf(burst)).toEqual({ 202: 4, 429: 16 });
    const [refused] = burst.filter((response) => response.status === 429);
    expect((await readProblem(refused as Response)).type).toBe("urn:edge-commerce:problem:reset_backoff");
  });
});

describe("a known device is not locked out by failures from elsewhere", () => {
  it("after a burst and a schedule of guesses, the owner's device signs in at once; a new client waits", async () => {
    const account = await registerAccount();
    const owner = testClient();
    const first = await login(account, owner);
    expect(first.device_token).toMatch(/^ecdv_/);

    vi.useFakeTimers({ toFake: ["Date"] });
    // The attacker follows the schedule up to a long wait.
    for (let i = 0; i < 11; i++) await signIn(account.username, "wrong password guess");
    for (let wait = 1; wait <= 64; wait *= 2) {
      vi.setSystemTime(Date.now() + wait * 1000);
      expect((await signIn(account.username, "wrong password guess")).status).toBe(401);
    }
    const stranger = await signIn(account.username, account.password);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBe(128);

    const device = { device_token: first.device_token ?? "" };
    const known = await owner.json("POST", "/api/auth/login", {
      username: account.username,
      password: account.password,
      ...device,
    });
    expect(known.status, await known.clone().text()).toBe(200);
    // Still held for everyone else: the owner's success did not reset the attacker's schedule.
    expect((await signIn(account.username, account.password)).status).toBe(429);
  });

  it("a device token is held by its own counter: wrong passwords through it slow it down", async () => {
    const account = await registerAccount();
    const { device_token } = await login(account);
    vi.useFakeTimers({ toFake: ["Date"] });
    const through = (password: string) => signIn(account.username, password, { device_token: device_token ?? "" });
    for (let i = 0; i < 11; i++) expect((await through("wrong password guess")).status).toBe(401);
    expect((await through(account.password)).status).toBe(429);
    // The identifier's own counter was not touched: another client signs in.
    expect((await signIn(account.username, account.password)).status).toBe(200);
  });

  it("a device token counts only for the account and identifier it was issued to; another's or a forged one is the plain path", async () => {
    const victim = await registerAccount();
    const attacker = await registerAccount();
    const own = (await login(victim)).device_token ?? "";
    const foreign = (await login(attacker)).device_token ?? "";
    const forged = `ecdv_${"A".repeat(22)}.${"B".repeat(43)}`;
    vi.useFakeTimers({ toFake: ["Date"] });
    await Promise.all(Array.from({ length: 12 }, () => signIn(victim.username, "wrong password guess")));
    for (const device_token of [foreign, forged, own.replace(/\.(.)/, (_, first) => `.${first === "A" ? "B" : "A"}`)]) {
      expect((await signIn(victim.username, victim.password, { device_token })).status, device_token).toBe(429);
    }
    expect((await signIn(victim.username, victim.password, { device_token: own })).status).toBe(200);
    // Issued for the username: the guard of the email does not take it.
    await Promise.all(Array.from({ length: 12 }, () => signIn(victim.email, "wrong password guess")));
    expect((await signIn(victim.email, victim.password, { device_token: own })).status).toBe(429);
  });

  it("a password change retires every device token of the account", async () => {
    const account = await registerAccount();
    const tokens = await login(account);
    const password = `a changed passphrase ${unique()}`;
    const changed = await account.client.json(
      "POST",
      "/api/users/me/password",
      { current_password: account.password, new_password: password },
      tokens.access_token,
    );
    expect(changed.status).toBe(204);
    vi.useFakeTimers({ toFake: ["Date"] });
    await Promise.all(Array.from({ length: 12 }, () => signIn(account.username, "wrong password guess")));
    const retired = await signIn(account.username, password, { device_token: tokens.device_token ?? "" });
    expect(retired.status).toBe(429);
  });
});

describe("one identity per name: look-alike spellings meet one guard and one account", () => {
  it("a full-width spelling of a locked username is locked too", async () => {
    const account = await registerAccount({ username: unique("victor").slice(0, 20) });
    vi.useFakeTimers({ toFake: ["Date"] });
    const wide = fullWidth(account.username);
    await Promise.all(Array.from({ length: 12 }, () => signIn(account.username, "wrong password guess")));
    const locked = await signIn(wide, account.password);
    expect(locked.status).toBe(429);
  });

  it("full-width spelling signs in to the same account; so does a Cyrillic look-alike and an upper-case one", async () => {
    const name = `victor${unique().slice(0, 8).replace(/[0-9]/g, "x")}`;
    const account = await registerAccount({ username: name });
    const cyrillic = name.replace("i", "\u0456").replace("o", "\u043e");
    for (const spelling of [fullWidth(name), cyrillic, name.toUpperCase()]) {
      const response = await signIn(spelling, account.password);
      expect(response.status, spelling).toBe(200);
      const { access_token } = (await response.json()) as { access_token: string };
      const me = await testClient().fetch("/api/users/me", { token: access_token });
      expect(((await me.json()) as { id: string }).id).toBe(account.id);
    }
  });

  it("a Latin and a Cyrillic spelling of one name cannot both register; nor can 0/o or 1/l swaps", async () => {
    const name = `lovelace${unique().slice(0, 8).replace(/[0-9]/g, "x")}`;
    await registerAccount({ username: name });
    for (const lookAlike of [name.replace("o", "\u043e"), name.replace("o", "0"), name.replace("l", "1")]) {
      const response = await testClient().json("POST", "/api/auth/register", {
        email: `${unique("x")}@shop.test`,
        username: lookAlike,
        password: "a long and unusual passphrase",
      });
      expect(response.status, lookAlike).toBe(409);
      expect((await readProblem(response)).type).toBe("urn:edge-commerce:problem:account_conflict");
    }
    const holders = await testDb().select().from(users).where(eq(users.usernameKey, name));
    expect(holders.map((user) => user.username)).toEqual([name]);
  });

  it("a full-width email signs in and is held by the same guard as the ASCII one", async () => {
    const account = await registerAccount();
    const wide = account.email.replace("@", "\uff20");
    expect((await signIn(wide, account.password)).status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"] });
    await Promise.all(Array.from({ length: 12 }, () => signIn(account.email, "wrong password guess")));
    expect((await signIn(wide, account.password)).status).toBe(429);
  });
});
