/**
 * Owns sending one webhook request: to an address the URL policy already approved (the
 * connection is pinned to it, so DNS cannot change between the check and the connect), without
 * following redirects, within the timeout, keeping only an excerpt of the answer; and the
 * keep-alive connections the worker reuses per destination, at most ENDPOINT_CONNECTIONS at once.
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
/** Requests one worker process has in flight to one destination: what a receiver sees at most from it. */
export const ENDPOINT_CONNECTIONS = 8;
/**
 * Idle connections are closed after this: below the 5 s keep-alive timeout common servers use
 * (Node's default), so a reused connection is rarely one the receiver is closing at that moment.
 */
const IDLE_CLOSE_MS = 4_000;

/** One destination's connections: a keep-alive agent and the slots that bound its requests in flight. */
interface Destination {
  agent: http.Agent;
  active: number;
  waiting: (() => void)[];
  idleSince: number;
}

/**
 * Keep-alive connections per destination. A destination is the URL's scheme, host and port
 * together with the address the policy approved for this delivery: a connection is only ever
 * reused for the address it was opened to, so pinning holds for reused connections too.
 */
export interface WebhookConnections {
  /** Runs `send` with the destination's agent once one of its ENDPOINT_CONNECTIONS slots is free. */
  use<T>(url: URL, address: string, send: (agent: http.Agent) => Promise<T>): Promise<T>;
  /** Closes every connection (idle or not); the pool is unusable afterwards. */
  close(): void;
}

export function createWebhookConnections(): WebhookConnections {
  const destinations = new Map<string, Destination>();
  let closed = false;
  // Idle destinations are dropped with their sockets; the sweep never keeps a process alive.
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [key, destination] of destinations) {
      if (destination.active === 0 && now - destination.idleSince > IDLE_CLOSE_MS) {
        destination.agent.destroy();
        destinations.delete(key);
      }
    }
  }, IDLE_CLOSE_MS / 2);
  Deno.unrefTimer(sweep);

  const acquire = (destination: Destination): Promise<void> => {
    if (destination.active < ENDPOINT_CONNECTIONS) {
      destination.active++;
      return Promise.resolve();
    }
    // The slot is handed over as it is released (active stays counted), so the order is first come.
    return new Promise((resolve) => destination.waiting.push(resolve));
  };
  const release = (destination: Destination) => {
    const next = destination.waiting.shift();
    if (next) return next();
    destination.active--;
    destination.idleSince = performance.now();
  };

  return {
    async use(url, address, send) {
      if (closed) throw new Error("the webhook connections are closed");
      const key = `${url.protocol}//${url.host}@${address}`;
      let destination = destinations.get(key);
      if (!destination) {
        const Agent = url.protocol === "https:" ? https.Agent : http.Agent;
        destination = {
          agent: new Agent({ keepAlive: true, maxSockets: ENDPOINT_CONNECTIONS, maxFreeSockets: ENDPOINT_CONNECTIONS }),
          active: 0,
          waiting: [],
          idleSince: performance.now(),
        };
        destinations.set(key, destination);
      }
      await acquire(destination);
      try {
        return await send(destination.agent);
      } finally {
        release(destination);
      }
    },
    close() {
      closed = true;
      clearInterval(sweep);
      for (const destination of destinations.values()) destination.agent.destroy();
      destinations.clear();
    },
  };
}

/**
 * Sends one request, on a connection of `agent` (WebhookConnections.use) or, with `false`, on one
 * of its own (the API's test event). A pooled connection the receiver had closed while idle is
 * replaced by Deno's node:http, which sends the request again on a fresh one.
 */
export function sendWebhook(
  url: URL,
  address: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  agent: http.Agent | false,
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
      agent,
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
      if (answered) return answered.destroy();
      // Deno's node:http takes a request destroyed on a reused connection for one the receiver
      // closed while idle and sends it again (denoland/deno#36786): an attempt that timed out
      // would be sent twice, its outcome lost. Not "reused" any more, it is not retried.
      request.reusedSocket = false;
      request.destroy(new Error(`no response within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(body);
  });
}
