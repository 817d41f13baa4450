/**
 * Owns the cap on concurrent image decodes: a semaphore with a bounded queue. A decode may hold
 * ≈200 MB (MAX_PIXELS of RGBA) and a libuv thread for seconds, so a burst of uploads (one token
 * or many) must wait its turn, and once the queue is full it is refused at once with 503 and
 * Retry-After rather than piling up in memory.
 */
import { AppError } from "../errors.ts";

export interface DecodeLimits {
  /** Decodes running at once (VERIFA_IMAGE_DECODE_CONCURRENCY). */
  concurrency: number;
  /** Decodes that may wait for a slot (VERIFA_IMAGE_DECODE_QUEUE); 0: none wait. */
  queue: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { concurrency: 4, queue: 16 };

/** A decode takes well under a second at the sizes accepted: a client may try again soon. */
const RETRY_AFTER_SECONDS = 2;

export class DecodeGate {
  #limits: DecodeLimits;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = { ...limits };
  }

  /** Composition roots set the configured limits once at boot; running decodes keep their slots. */
  configure(limits: DecodeLimits): void {
    this.#limits = { ...limits };
    this.#drain();
  }

  get limits(): DecodeLimits {
    return { ...this.#limits };
  }

  /** What is running and waiting now (for tests and diagnostics). */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  /** Runs `work` in a slot; throws 503 service_unavailable when every slot and queue place is taken. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limits.concurrency) {
      if (this.#waiting.length >= this.#limits.queue) {
        throw new AppError(
          "service_unavailable",
          "The server is busy processing other images; try the upload again in a moment.",
          undefined,
          { "Retry-After": String(RETRY_AFTER_SECONDS) },
        );
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await work();
    } finally {
      this.#running--;
      this.#drain();
    }
  }

  /** Hands free slots to waiters in arrival order; each waiter's slot is counted before it resumes. */
  #drain(): void {
    while (this.#running < this.#limits.concurrency && this.#waiting.length > 0) {
      this.#running++;
      this.#waiting.shift()!();
    }
  }
}
