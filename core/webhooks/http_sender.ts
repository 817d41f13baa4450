/**
 * Owns sending one webhook request: to an address the URL policy already approved (the
 * connection is pinned to it, so DNS cannot change between the check and the connect), without
 * following redirects, within the timeout, keeping only an excerpt of the answer.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { joinBytes } from "../encoding.ts";
import { hostAddress } from "./url_policy.ts";

export interface SendResult {
  status: number;
  excerpt: string;
}

const EXCERPT_CHARS = 1024;
const MAX_READ_BYTES = 64 * 1024;

export function sendWebhook(
  url: URL,
  address: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const client = url.protocol === "https:" ? https : http;
  const family = isIP(address);
  return new Promise((resolve, reject) => {
    let answered: { destroy(): void } | null = null;
    const request = client.request({
      protocol: url.protocol,
      host: hostAddress(url),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      headers: { ...headers, "Content-Length": String(new TextEncoder().encode(body).length) },
      servername: isIP(hostAddress(url)) ? undefined : url.hostname,
      // deno-lint-ignore no-explicit-any
      lookup: (_host: string, options: any, callback: any) =>
        options?.all ? callback(null, [{ address, family }]) : callback(null, address, family),
      agent: false,
    }, (response) => {
      answered = response;
      const chunks: Uint8Array[] = [];
      let read = 0;
      response.on("data", (chunk: Uint8Array) => {
        if (read < MAX_READ_BYTES) chunks.push(chunk);
        read += chunk.length;
        // A receiver streaming an endless answer must not hold the delivery: what we need is the status.
        if (read >= MAX_READ_BYTES) response.destroy();
      });
      const finish = () => {
        clearTimeout(deadline);
        const text = new TextDecoder().decode(joinBytes(chunks)).slice(0, EXCERPT_CHARS);
        resolve({ status: response.statusCode ?? 0, excerpt: text });
      };
      response.on("end", finish);
      response.on("close", finish);
      response.on("error", finish);
    });
    // The timeout bounds the whole exchange, not only idle gaps: a receiver that answers at once
    // but trickles its body must not hold the attempt. Once the status is in, it decides.
    const deadline = setTimeout(() => {
      if (answered) answered.destroy();
      else request.destroy(new Error(`no response within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(body);
  });
}
