import { eq, or } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents } from "../../../src/schema";
import { login, registerAccount, signedInAdmin, signedInUser, testClient, testDb, unique } from "../support/accounts";

afterEach(() => {
  vi.restoreAllMocks();
});

function captureLogs() {
  const lines: string[] = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
  }
  return lines;
}

describe("secrets never reach logs or audit records", () => {
  it("a marker password and a marker token are in no log line and no audit row", async () => {
    const account = await registerAccount();
    const markerPassword = `marker-password-${unique()}`;
    const markerToken = `marker-token-${unique()}`;
    const logs = captureLogs();

    const client = testClient();
    await client.json("POST", "/api/auth/login", { username: account.username, password: markerPassword });
    await client.json("POST", "/api/auth/login", { username: markerPassword, password: markerPassword });
    await client.fetch("/api/users/me", { token: markerToken });
    await client.json("POST", "/api/auth/refresh", { refresh_token: markerToken });
    await client.json("POST", "/api/auth/register", { email: "bad", username: "x", password: markerPassword });

    const text = logs.join("\n");
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(markerPassword);
    expect(text).not.toContain(markerToken);
    const rows = await testDb()
      .select()
      .from(auditEvents)
      .where(or(eq(auditEvents.targetId, account.id), eq(auditEvents.actorId, account.id)));
    expect(rows.some((row) => row.action === "auth.login_failed")).toBe(true);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(markerPassword);
    expect(stored).not.toContain(markerToken);
  });

  it("a password typed into the username field is not kept in the audit trail", async () => {
    const typo = `Secret ${unique()} with spaces`;
    const client = testClient();
    await client.json("POST", "/api/auth/login", { username: typo, password: "whatever-it-is" });
    const rows = await testDb().select().from(auditEvents).where(eq(auditEvents.action, "auth.login_failed"));
    expect(JSON.stringify(rows)).not.toContain(typo);
  });
});

describe("the audit trail", () => {
  it("records register, sign-in success and failure, logout, refresh reuse, password change, deletion and admin changes", async () => {
    const admin = await signedInAdmin();
    const account = await registerAccount();
    await account.client.json("POST", "/api/auth/login", { username: account.username, password: "not the password" });
    const tokens = await login(account);
    const second = await login(account);
    await account.client.json("POST", "/api/auth/refresh", { refresh_token: second.refresh_token });
    await account.client.json("POST", "/api/auth/refresh", { refresh_token: second.refresh_token });
    await account.client.fetch("/api/auth/logout", { method: "POST", token: (await login(account)).access_token });
    await admin.client.json("PATCH", `/api/admin/users/${account.id}`, { role: "admin" }, admin.tokens.access_token);
    await admin.client.json("PATCH", `/api/admin/users/${account.id}`, { role: "user" }, admin.tokens.access_token);
    const fresh = await login(account);
    const newPassword = `another good passphrase ${unique()}`;
    await account.client.json(
      "POST",
      "/api/users/me/password",
      { current_password: account.password, new_password: newPassword },
      fresh.access_token,
    );
    await account.client.fetch("/api/users/me", {
      method: "DELETE",
      token: fresh.access_token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ current_password: newPassword }),
    });
    expect(tokens.access_token).toBeTruthy();

    const response = await admin.client.fetch(`/api/admin/audit-events?target_id=${account.id}&limit=100`, {
      token: admin.tokens.access_token,
    });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { action: string; details: Record<string, unknown> | null }[] };
    const actions = new Set(data.map((event) => event.action));
    for (const action of [
      "user.registered",
      "auth.login_failed",
      "user.password_changed",
      "user.deleted",
      "admin.user_updated",
    ]) {
      expect(actions, action).toContain(action);
    }
    const roleChanges = data.filter((event) => event.action === "admin.user_updated").map((event) => event.details);
    expect(roleChanges).toContainEqual({ role: { from: "user", to: "admin" } });

    const byActor = await admin.client.fetch(`/api/admin/audit-events?actor_id=${account.id}&limit=100`, {
      token: admin.tokens.access_token,
    });
    const actorActions = new Set(
      ((await byActor.json()) as { data: { action: string }[] }).data.map((event) => event.action),
    );
    for (const action of ["auth.login_succeeded", "auth.logout", "auth.refresh_reuse_detected"]) {
      expect(actorActions, action).toContain(action);
    }
  });

  it("filters by action and time range, newest first, with cursor pages", async () => {
    const admin = await signedInAdmin();
    const user = await signedInUser();
    const since = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) {
      await user.client.fetch("/api/admin/users", { token: user.tokens.access_token });
    }
    const query = `action=admin.access_denied&actor_id=${user.id}&from=${since}&limit=2`;
    const first = await admin.client.fetch(`/api/admin/audit-events?${query}`, { token: admin.tokens.access_token });
    const page1 = (await first.json()) as { data: { id: string; at: string }[]; next_cursor: string | null };
    expect(page1.data).toHaveLength(2);
    expect(page1.next_cursor).not.toBeNull();
    const second = await admin.client.fetch(`/api/admin/audit-events?${query}&cursor=${page1.next_cursor}`, {
      token: admin.tokens.access_token,
    });
    const page2 = (await second.json()) as { data: { id: string; at: string }[]; next_cursor: string | null };
    expect(page2.data).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    const all = [...page1.data, ...page2.data];
    expect(all.map((event) => event.at)).toEqual([...all.map((event) => event.at)].sort().reverse());

    const future = await admin.client.fetch(
      `/api/admin/audit-events?actor_id=${user.id}&from=${new Date(Date.now() + 60_000).toISOString()}`,
      { token: admin.tokens.access_token },
    );
    expect(((await future.json()) as { data: unknown[] }).data).toEqual([]);
    const badAction = await admin.client.fetch("/api/admin/audit-events?action=drop.tables", {
      token: admin.tokens.access_token,
    });
    expect(badAction.status).toBe(422);
  });
});
