/**
 * Outgoing email. One interface, two implementations: an HTTP email API for
 * deployed environments (JSON `{from, to, subject, text, html?}` with a bearer key,
 * the shape of Resend-style APIs), and a development outbox table. Message
 * bodies carry single-use links and are never logged.
 */

import type { AppConfig } from "../config";
import type { Database } from "../db/client";
import { newId } from "../ids";
import { devOutbox } from "./tables";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to `text` (same content); every value interpolated into it is escaped by its author. */
  html?: string;
}

export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}

class HttpEmailMailer implements Mailer {
  constructor(private readonly email: NonNullable<AppConfig["email"]>) {}

  async send(message: EmailMessage): Promise<void> {
    const response = await fetch(this.email.apiUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${this.email.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        from: this.email.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
      }),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`email API answered ${response.status}`);
  }
}

class OutboxMailer implements Mailer {
  constructor(private readonly db: Database) {}

  async send(message: EmailMessage): Promise<void> {
    const { to, subject, text, html } = message;
    await this.db
      .insert(devOutbox)
      .values({ id: newId("msg"), at: new Date().toISOString(), to, subject, text, html: html ?? null });
  }
}

/** The HTTP API when configured; otherwise the outbox (configuration refuses that when deployed). */
export function createMailer(config: AppConfig, db: Database): Mailer {
  return config.email ? new HttpEmailMailer(config.email) : new OutboxMailer(db);
}
