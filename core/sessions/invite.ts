/**
 * Owns the applicant invite: the email that carries a session's capture link to the address
 * stored (encrypted) on the session. Sent through `deps.mailer`; the log line names the session,
 * never the recipient.
 */
import type { CoreDeps } from "../deps.ts";
import type { SessionRow } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { sessionFieldContext } from "./service.ts";

export function invitesEnabled(deps: CoreDeps): boolean {
  return deps.mailer !== undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Emails the capture link to the session's applicant; the caller has just issued `captureUrl`. */
export async function sendSessionInvite(deps: CoreDeps, session: SessionRow, captureUrl: string): Promise<void> {
  if (!deps.mailer) throw new AppError("conflict", "Email invites are off: VERIFA_SMTP_URL is not configured.");
  if (!session.applicant_email_enc) {
    throw new AppError("validation_error", "The session has no applicant email.", {
      applicant_email: "is required to send an invite",
    });
  }
  const to = deps.keyRing.decryptJson<string>(
    session.applicant_email_enc,
    sessionFieldContext(session.id, "applicant_email_enc"),
  );
  const name = session.applicant_name_enc
    ? deps.keyRing.decryptJson<string>(
      session.applicant_name_enc,
      sessionFieldContext(session.id, "applicant_name_enc"),
    )
    : null;
  const greeting = name ? `Hello ${name},` : "Hello,";
  const expires = session.token_expires_at
    ? ` The link works until ${session.token_expires_at.toISOString().slice(0, 16).replace("T", " ")} UTC.`
    : "";
  const text = [
    greeting,
    "",
    "You have been asked to verify your identity. It takes a few minutes: have your ID document ready.",
    "",
    captureUrl,
    "",
    `Open the link on a phone with a camera.${expires}`,
    "If you did not expect this message, you can ignore it.",
  ].join("\n");
  const html = `<p>${escapeHtml(greeting)}</p>
<p>You have been asked to verify your identity. It takes a few minutes: have your ID document ready.</p>
<p><a href="${escapeHtml(captureUrl)}">Verify your identity</a></p>
<p>Open the link on a phone with a camera.${escapeHtml(expires)}</p>
<p>If you did not expect this message, you can ignore it.</p>`;
  await deps.mailer.send({ to, subject: "Verify your identity", text, html });
  deps.log.info("session invite sent", { session_id: session.id });
}
