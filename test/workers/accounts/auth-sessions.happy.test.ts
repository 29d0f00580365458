import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents, sessions } from "../../../src/schema";
import { decodeJwtPayload, login, signedInUser, type Tokens, testClient, testDb } from "../support/accounts";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

async function refresh(client: ReturnType<typeof testClient>, refreshToken: string) {
  return client.json("POST", "/api/auth/refresh", { refresh_token: refreshToken });
}

describe("refresh token rotation", () => {
  it("gives a new access token and a new refresh token; the old refresh token is spent", async () => {
    const account = await signedInUser();
    const response = await refresh(account.client, account.tokens.refresh_token);
    expect(response.status).toBe(200);
    const next = (await response.json()) as Tokens;
    expect(next.refresh_token).not.toBe(account.tokens.refresh_token);
    expect(next.access_token).not.toBe(account.tokens.access_token);
    expect(decodeJwtPayload(next.access_token).sid).toBe(decodeJwtPayload(account.tokens.access_token).sid);
    expect((await account.client.fetch("/api/users/me", { token: next.access_token })).status).toBe(200);
    expect((await refresh(account.client, next.refresh_token)).status).toBe(200);
  });

  it("presenting a spent refresh token revokes the whole session and is audited", async () => {
    const account = await signedInUser();
    const stolen = account.tokens.refresh_token;
    const legitimate = (await (await refresh(account.client, stolen)).json()) as Tokens;

    const replay = await refresh(testClient(), stolen);
    expect(replay.status).toBe(401);
    expect((await readProblem(replay)).type).toBe("urn:edge-commerce:problem:invalid_grant");

    // Everything issued to that session is dead now, including the legitimate holder's newest tokens.
    expect((await account.client.fetch("/api/users/me", { token: legitimate.access_token })).status).toBe(401);
    expect((await refresh(account.client, legitimate.refresh_token)).status).toBe(401);

    const sid = String(decodeJwtPayload(account.tokens.access_token).sid);
    const [session] = await testDb().select().from(sessions).where(eq(sessions.id, sid));
    expect(session?.revokedReason).toBe("refresh_token_reuse");
    const events = await testDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.refresh_reuse_detected"), eq(auditEvents.targetId, sid)));
    expect(events).toHaveLength(1);
    expect(events[0]?.actorId).toBe(account.id);
  });

  it("the same refresh token sent twice at once yields at most one new token, and the session is revoked", async () => {
    const account = await signedInUser();
    const answers = await Promise.all([
      refresh(account.client, account.tokens.refresh_token),
      refresh(account.client, account.tokens.refresh_token),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 401]);
    const winner = answers.find((answer) => answer.status === 200);
    const tokens = (await winner?.json()) as Tokens;
    expect((await account.client.fetch("/api/users/me", { token: tokens.access_token })).status).toBe(401);
  });

  it("unknown and expired refresh tokens are refused", async () => {
    const account = await signedInUser();
    expect((await refresh(account.client, "ecrt_not-a-real-token")).status).toBe(401);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31 * 24 * 60 * 60 * 1000);
    expect((await refresh(account.client, account.tokens.refresh_token)).status).toBe(401);
  });
});

describe("sessions", () => {
  it("lists the user's active sessions, marking the current one, without addresses beyond the network", async () => {
    const account = await signedInUser();
    const second = await login(account, testClient("203.0.113.77"));
    const response = await account.client.fetch("/api/users/me/sessions", { token: second.access_token });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { id: string; current: boolean; client_network: string | null }[];
    };
    expect(data).toHaveLength(2);
    const current = data.find((session) => session.current);
    expect(current?.id).toBe(decodeJwtPayload(second.access_token).sid);
    expect(current?.client_network).toBe("203.0.113.0/24");
    expect(JSON.stringify(data)).not.toContain("203.0.113.77");
  });

  it("revoking one session stops its tokens and leaves the others working", async () => {
    const account = await signedInUser();
    const other = await login(account);
    const otherSid = String(decodeJwtPayload(other.access_token).sid);
    const revoked = await account.client.fetch(`/api/users/me/sessions/${otherSid}`, {
      method: "DELETE",
      token: account.tokens.access_token,
    });
    expect(revoked.status).toBe(204);
    expect((await account.client.fetch("/api/users/me", { token: other.access_token })).status).toBe(401);
    expect((await refresh(account.client, other.refresh_token)).status).toBe(401);
    expect((await account.client.fetch("/api/users/me", { token: account.tokens.access_token })).status).toBe(200);
  });

  it("another user's session id is a 404, never a 403, and stays alive", async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const bobSid = String(decodeJwtPayload(bob.tokens.access_token).sid);
    const response = await alice.client.fetch(`/api/users/me/sessions/${bobSid}`, {
      method: "DELETE",
      token: alice.tokens.access_token,
    });
    expect(response.status).toBe(404);
    expect((await bob.client.fetch("/api/users/me", { token: bob.tokens.access_token })).status).toBe(200);
  });

  it("logout-all revokes every session of the user", async () => {
    const account = await signedInUser();
    const other = await login(account);
    const response = await account.client.fetch("/api/auth/logout-all", {
      method: "POST",
      token: account.tokens.access_token,
    });
    expect(response.status).toBe(204);
    for (const tokens of [account.tokens, other]) {
      expect((await account.client.fetch("/api/users/me", { token: tokens.access_token })).status).toBe(401);
      expect((await refresh(account.client, tokens.refresh_token)).status).toBe(401);
    }
  });

  it("logout revokes only the current session", async () => {
    const account = await signedInUser();
    const other = await login(account);
    await account.client.fetch("/api/auth/logout", { method: "POST", token: account.tokens.access_token });
    expect((await refresh(account.client, account.tokens.refresh_token)).status).toBe(401);
    expect((await account.client.fetch("/api/users/me", { token: other.access_token })).status).toBe(200);
  });
});
