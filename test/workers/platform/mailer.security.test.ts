import { afterEach, describe, expect, it, vi } from "vitest";
import { registerAccount, signedInAdmin, signedInUser, testClient, unique } from "../support/accounts";
import { callWorkerWith } from "../support/worker";

afterEach(() => {
  vi.restoreAllMocks();
});

const EMAIL_API = {
  EMAIL_API_URL: "https://email.test/send",
  EMAIL_API_KEY: "key-123",
  EMAIL_FROM: "Shop <no-reply@shop.test>",
};

function requestResetThroughEmailApi(email: string) {
  return callWorkerWith(EMAIL_API, "/api/auth/password-reset", {
    method: "POST",
    headers: { "content-type": "application/json", "CF-Connecting-IP": testClient().ip },
    body: JSON.stringify({ email }),
  });
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

describe("outgoing email", () => {
  it("with EMAIL_API_URL set, messages go to the HTTP API with the key, and bodies never reach the logs", async () => {
    const realFetch = globalThis.fetch;
    const sent: { url: string; authorization: string | null; body: Record<string, unknown> }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      if (urlOf(input) !== "https://email.test/send") return realFetch(input, init);
      const request = new Request(input, init);
      sent.push({ url: request.url, authorization: request.headers.get("authorization"), body: await request.json() });
      return new Response(JSON.stringify({ id: "email_1" }), { status: 200 });
    });
    const logs: string[] = [];
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logs.push(args.map(String).join(" "));
      });
    }

    const account = await registerAccount();
    const response = await requestResetThroughEmailApi(account.email);
    expect(response.status).toBe(202);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      authorization: "Bearer key-123",
      body: { from: "Shop <no-reply@shop.test>", to: [account.email], subject: expect.stringMatching(/Reset/) },
    });
    const link = /https:\/\/\S+#token=[\w-]+/.exec(String(sent[0]?.body.text))?.[0] ?? "no link";
    expect(logs.join("\n")).not.toContain(link);
  });

  it("a failing email API is logged without the message, and the answer is still 202", async () => {
    const realFetch = globalThis.fetch;
    const attempted: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      if (urlOf(input) !== "https://email.test/send") return realFetch(input, init);
      attempted.push(String(((await new Request(input, init).json()) as { text: unknown }).text));
      return new Response("down: the message was refused", { status: 503 });
    });
    const logs: string[] = [];
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logs.push(args.map(String).join(" "));
      });
    }
    const account = await registerAccount();
    const response = await requestResetThroughEmailApi(account.email);
    expect(response.status).toBe(202);
    expect(attempted).toHaveLength(1);
    const failures = logs.filter((line) => line.includes("background_task_failed"));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("503");
    // By status only: neither the message, its link, the address nor the API's answer is in any log line.
    const link = /https:\/\/\S+#token=[\w-]+/.exec(attempted[0] ?? "")?.[0] ?? "no link";
    const text = logs.join("\n");
    for (const secret of [link, link.split("#token=")[1] ?? "no token", account.email, "the message was refused"]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("the development outbox", () => {
  it("exists at /api/admin/dev/outbox only when ENVIRONMENT=development", async () => {
    const admin = await signedInAdmin();
    const headers = { Authorization: `Bearer ${admin.tokens.access_token}`, "CF-Connecting-IP": testClient().ip };
    const email = `${unique("outbox")}@shop.test`;
    await registerAccount({ email });

    const inTests = await callWorkerWith({}, "/api/admin/dev/outbox", { headers });
    expect(inTests.status).toBe(404);
    const inDevelopment = await callWorkerWith({ ENVIRONMENT: "development" }, `/api/admin/dev/outbox?to=${email}`, {
      headers,
    });
    expect(inDevelopment.status).toBe(200);
    const { data } = (await inDevelopment.json()) as { data: { to: string; subject: string }[] };
    expect(data[0]).toMatchObject({ to: email, subject: expect.stringMatching(/Confirm/) });
  });

  it("is behind the admin guard even in development: 401 without a token, 403 for a user", async () => {
    const user = await signedInUser();
    const anonymous = await callWorkerWith({ ENVIRONMENT: "development" }, "/api/admin/dev/outbox", {
      headers: { "CF-Connecting-IP": user.client.ip },
    });
    expect(anonymous.status).toBe(401);
    const asUser = await callWorkerWith({ ENVIRONMENT: "development" }, `/api/admin/dev/outbox?to=${user.email}`, {
      headers: { Authorization: `Bearer ${user.tokens.access_token}`, "CF-Connecting-IP": user.client.ip },
    });
    expect(asUser.status).toBe(403);
    const body = await asUser.text();
    expect(JSON.parse(body).type).toBe("urn:edge-commerce:problem:insufficient_scope");
    expect(body).not.toContain("Confirm");
  });
});
