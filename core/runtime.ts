/** Owns turning a parsed Config into the live dependency bundle (pool, key ring, blob store) and closing it. */
import type { Config } from "./config.ts";
import type { CoreDeps } from "./deps.ts";
import { createDb } from "./db/create_db.ts";
import { KeyRing } from "./crypto/key_ring.ts";
import type { Logger } from "./logger.ts";
import type { BlobStore } from "./storage/blob_store.ts";
import type { JobQueue } from "./jobs/job_queue.ts";
import { systemResolver } from "./webhooks/url_policy.ts";
import { DEFAULT_RETRY_SCHEDULE_MS, DELIVERY_TIMEOUT_MS } from "./webhooks/delivery.ts";
import { createS3BlobStore } from "./storage/s3_blob_store.ts";
import { createFsBlobStore } from "./storage/fs_blob_store.ts";
import { createSmtpMailer } from "./mail/mailer.ts";
import { uploadDecodes } from "./images/image_pipeline.ts";

export function createBlobStore(config: Config): Promise<BlobStore> {
  return config.s3 ? createS3BlobStore(config.s3) : createFsBlobStore(config.blobDir);
}

export async function createCoreDeps(
  config: Config,
  log: Logger,
  jobs: JobQueue & { stop(): Promise<void> },
): Promise<CoreDeps & { close(): Promise<void> }> {
  const blobs = await createBlobStore(config);
  const db = createDb(config.databaseUrl, config.dbPoolSize);
  const mailer = config.smtp ? createSmtpMailer(config.smtp) : undefined;
  // Process-wide, like the resources it guards (core/images/image_pipeline.ts).
  uploadDecodes.configure(config.imageDecode);
  return {
    db,
    keyRing: new KeyRing(config.encryptionKeys),
    indexKey: config.indexKey,
    signingKeys: config.signingKeys,
    publicUrl: config.publicUrl,
    clock: () => new Date(),
    log,
    blobs,
    jobs,
    webhooks: {
      allowPrivate: config.webhookAllowPrivate,
      resolve: systemResolver,
      retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
      timeoutMs: DELIVERY_TIMEOUT_MS,
    },
    mailer,
    close: async () => {
      mailer?.close();
      await jobs.stop();
      await db.destroy();
    },
  };
}
