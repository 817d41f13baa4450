/**
 * Owns a tiny SMTP server for tests: it speaks just enough of RFC 5321 (EHLO/HELO, MAIL, RCPT,
 * DATA, RSET, NOOP, QUIT; no STARTTLS, no AUTH) for a real client such as nodemailer to hand it a
 * message, and keeps every message it receives so a test can wait for one.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent (headers and body), dot-unstuffed, with CRLF line ends. */
  data: string;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, ready for VERIFA_SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Resolves with the next message not yet taken by an earlier call (no polling, no sleeps). */
  nextMessage(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export function startSmtpSink(): SmtpSink {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const messages: ReceivedMail[] = [];
  const waiters: ((mail: ReceivedMail) => void)[] = [];
  let taken = 0;
  const connections = new Set<Promise<void>>();
  const conns = new Set<Deno.Conn>();

  const deliver = (mail: ReceivedMail) => {
    messages.push(mail);
    const waiter = waiters.shift();
    if (waiter) {
      taken++;
      waiter(mail);
    }
  };

  const serve = async (conn: Deno.Conn) => {
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const reply = (line: string) => conn.write(encoder.encode(`${line}\r\n`));
    let buffer = "";
    let from = "";
    let to: string[] = [];
    let inData = false;
    const chunk = new Uint8Array(16 * 1024);
    try {
      await reply("220 sink.test ESMTP test sink");
      for (;;) {
        const n = await conn.read(chunk);
        if (n === null) return;
        buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
        for (;;) {
          if (inData) {
            const end = buffer.indexOf("\r\n.\r\n");
            // A message whose body is empty ends right after the DATA reply.
            const emptyEnd = buffer.startsWith(".\r\n") ? 0 : -1;
            if (end === -1 && emptyEnd === -1) break;
            const raw = emptyEnd === 0 ? "" : buffer.slice(0, end + 2);
            buffer = buffer.slice(emptyEnd === 0 ? 3 : end + 5);
            inData = false;
            const data = raw.split("\r\n").map((line) => line.startsWith("..") ? line.slice(1) : line).join("\r\n");
            deliver({ from, to, data });
            from = "";
            to = [];
            await reply("250 2.0.0 queued");
            continue;
          }
          const eol = buffer.indexOf("\r\n");
          if (eol === -1) break;
          const line = buffer.slice(0, eol);
          buffer = buffer.slice(eol + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === "EHLO") {
            await reply("250-sink.test");
            await reply("250-8BITMIME");
            await reply("250 SMTPUTF8");
          } else if (verb === "HELO") await reply("250 sink.test");
          else if (verb === "MAIL") {
            from = /<([^>]*)>/.exec(line)?.[1] ?? "";
            await reply("250 2.1.0 ok");
          } else if (verb === "RCPT") {
            to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
            await reply("250 2.1.5 ok");
          } else if (verb === "DATA") {
            inData = true;
            await reply("354 end data with <CR><LF>.<CR><LF>");
          } else if (verb === "RSET") {
            from = "";
            to = [];
            await reply("250 2.0.0 ok");
          } else if (verb === "NOOP") await reply("250 2.0.0 ok");
          else if (verb === "QUIT") {
            await reply("221 2.0.0 bye");
            return;
          } else await reply("502 5.5.2 command not implemented");
        }
      }
    } catch (error) {
      // The client hanging up mid-conversation is not the sink's failure.
      const hungUp = error instanceof Deno.errors.BadResource || error instanceof Deno.errors.ConnectionReset ||
        error instanceof Deno.errors.Interrupted;
      if (!hungUp) throw error;
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };

  const accepting = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      const served: Promise<void> = serve(conn).finally(() => connections.delete(served));
      connections.add(served);
    }
  })().catch((error) => {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  });

  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    nextMessage(timeoutMs = 10_000) {
      if (taken < messages.length) return Promise.resolve(messages[taken++]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(done), 1);
          reject(new Error(`no mail reached the SMTP sink within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (mail: ReceivedMail) => {
          clearTimeout(timer);
          resolve(mail);
        };
        waiters.push(done);
      });
    },
    async close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
      await Promise.allSettled([...connections]);
      await accepting;
    },
  };
}

/** The decoded text of a quoted-printable or plain body part, for assertions. */
export function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, "").replace(
    /=([0-9A-F]{2})/gi,
    (_, hex) => String.fromCharCode(parseInt(hex, 16)),
  );
  return new TextDecoder().decode(Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)));
}
