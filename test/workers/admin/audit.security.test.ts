import { like } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditEvents } from "../../../src/schema";
import { login, registerAccount, signedInAdmin, signedInUser, testClient, testDb, unique } from "../support/accounts";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The audit rows written while serving requests whose X-Request-ID starts with `prefix`. */
function auditRowsOf(prefix: string) {
  return testDb()
    .select()
    .from(auditEvents)
    .where(like(auditEvents.requestId, `${prefix}%`));
}

function loginAs(client: ReturnType<typeof testClient>, requestId: string, body: Record<string, string>) {
  return client.fetch("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify(body),
  });
}

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
    const trace = unique("trace");
    const logs = captureLogs();

    const client = testClient();
    await loginAs(client, `${trace}-1`, { username: account.username, password: markerPassword });
    await loginAs(client, `${trace}-2`, { username: markerPassword, password: markerPassword });
    await client.fetch("/api/users/me", { token: markerToken });
    await client.json("POST", "/api/auth/refresh", { refresh_token: markerToken });
    await client.json("POST", "/api/auth/register", { email: "bad", username: "x", password: markerPassword });

    const text = logs.join("\n");
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(markerPassword);
    expect(text).not.toContain(markerToken);
    // Both failed sign-ins were recorded (an empty trail would hide nothing), and neither row holds a marker.
    const rows = await auditRowsOf(trace);
    expect(
      rows
        .map((row) => ({ requestId: row.requestId, action: row.action, targetId: row.targetId, details: row.details }))
        .sort((a, b) => String(a.requestId).localeCompare(String(b.requestId))),
    ).toEqual([
      {
        requestId: `${trace}-1`,
        action: "auth.login_failed",
        targetId: account.id,
        details: { reason: "wrong_password", identifier: account.username },
      },
      {
        requestId: `${trace}-2`,
        action: "auth.login_failed",
        targetId: null,
        details: { reason: "unknown_user", identifier: null },
      },
    ]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(markerPassword);
    expect(stored).not.toContain(markerToken);
  });

  it("a password typed into the username field is not kept in the audit trail", async () => {
    const secret = unique();
    const typo = `Secret ${secret} with spaces`;
    const trace = unique("typo");
    await loginAs(testClient(), trace, { username: typo, password: "whatever-it-is" });
    const rows = await auditRowsOf(trace);
    // The failure is recorded, without the identifier, rather than not recorded at all.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "auth.login_failed",
      targetId: null,
      details: { reason: "unknown_user", identifier: null },
    });
    expect(JSON.stringify(rows)).not.toContain(secret);
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
