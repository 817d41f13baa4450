/**
 * Owns sending email over SMTP with nodemailer (the maintained standard client: STARTTLS, implicit
 * TLS, AUTH and MIME encoding are its job, not ours). Built once from VERIFA_SMTP_URL by the
 * composition root and handed around as `deps.mailer`; absent, email features are off.
 */
import nodemailer from "nodemailer";
import type { SmtpSettings } from "../config.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /** The sender every message carries. */
  from: string;
  /** Resolves once the SMTP server accepted the message; rejects with the server's refusal. */
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** The part of nodemailer's transport this module uses (the package ships no types). */
interface Transport {
  sendMail(message: Record<string, unknown>): Promise<{ accepted: unknown[]; rejected: unknown[] }>;
  close(): void;
}

/** Connection and send timeouts short enough that a dead mail server cannot hold a page for minutes. */
const TIMEOUT_MS = 15_000;

export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const url = new URL(settings.url);
  const transport = (nodemailer as unknown as { createTransport(options: unknown): Transport }).createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    // nodemailer logs nothing unless asked; recipients are personal data, so it stays that way.
    logger: false,
  });
  return {
    from: settings.from,
    async send(message) {
      const info = await transport.sendMail({ from: settings.from, ...message });
      if (info.rejected.length > 0) throw new Error("the SMTP server refused the recipient");
    },
    close: () => transport.close(),
  };
}
