/** Owns the dependency bundle the composition roots build and hand to services, routes and jobs. */
import type { Db } from "./db/create_db.ts";
import type { KeyEntry } from "./config.ts";
import type { KeyRing } from "./crypto/key_ring.ts";
import type { Logger } from "./logger.ts";
import type { BlobStore } from "./storage/blob_store.ts";
import type { JobQueue } from "./jobs/job_queue.ts";
import type { Resolver } from "./webhooks/url_policy.ts";
import type { VerificationEngines } from "./verification/engines.ts";
import type { Mailer } from "./mail/mailer.ts";

export interface CoreDeps {
  db: Db;
  keyRing: KeyRing;
  indexKey: Uint8Array;
  /** First key signs URLs; all verify. */
  signingKeys: readonly KeyEntry[];
  publicUrl: string;
  /** Injected so expiry and retry schedules are testable without waiting. */
  clock: () => Date;
  log: Logger;
  /** Encrypted document objects: S3/MinIO, or the filesystem in the one-machine mode. */
  blobs: BlobStore;
  /** Enqueues background jobs inside the caller's transaction. */
  jobs: JobQueue;
  webhooks: WebhookRuntime;
  /** The live checks' engines; ON_PREMISES_ENGINES when absent. */
  engines?: VerificationEngines;
  /** Outgoing mail (VERIFA_SMTP_URL); absent, features that send email say they are off. */
  mailer?: Mailer;
}

/** How webhooks are delivered; tests shorten the schedule instead of waiting hours. */
export interface WebhookRuntime {
  /** VERIFA_WEBHOOK_ALLOW_PRIVATE: development only. */
  allowPrivate: boolean;
  resolve: Resolver;
  /** Delay before each retry; its length is the number of retries. */
  retryScheduleMs: readonly number[];
  timeoutMs: number;
}
