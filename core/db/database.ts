/** Owns the typed shape of every table, as Kysely sees it. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

export type Environment = "sandbox" | "live";
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
// deno-lint-ignore no-explicit-any
type Json<T = any> = ColumnType<T, string | T, string | T>;

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  environment: Environment;
  kind: "secret" | "publishable";
  key_prefix: string;
  key_hash: string;
  label: string | null;
  note: string | null;
  scopes: string[];
  api_version: string;
  default_key_inflection: Generated<string>;
  allowed_ips: string[] | null;
  allowed_origins: string[] | null;
  rate_limit_per_minute: number | null;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  org_id: string;
  environment: Environment;
  status: string;
  external_ref: string | null;
  country: string | null;
  workflow_id: string | null;
  redirect_url: string | null;
  checks: string[] | null;
  metadata: Json<Record<string, unknown>>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  fields_enc: string | null;
  applicant_email_enc: string | null;
  applicant_name_enc: string | null;
  send_email: Generated<boolean>;
  document_type: string | null;
  retention_status: Generated<string>;
  processing_attempts: Generated<number>;
  consent_ip_enc: string | null;
  capture_token_hash: string | null;
  capture_token_enc: string | null;
  token_expires_at: NullableTimestamp;
  api_key_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  expired_at: NullableTimestamp;
  consent_at: NullableTimestamp;
  consent_version: ColumnType<string | null, string | null | undefined, string | null>;
  consent_user_agent_enc: ColumnType<string | null, string | null | undefined, string | null>;
  consent_ip_bidx: ColumnType<string | null, string | null | undefined, string | null>;
  document_country: ColumnType<string | null, string | null | undefined, string | null>;
  document_state: ColumnType<string | null, string | null | undefined, string | null>;
  user_fields_enc: ColumnType<string | null, string | null | undefined, string | null>;
  client_signals: Json<Record<string, unknown> | null>;
  capture_completed_at: NullableTimestamp;
  /** The workflow version pinned when processing began. */
  workflow_version: ColumnType<number | null, number | null | undefined, number | null>;
  /** The workflow run allowed to decide the session. */
  current_run_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** `session.process` deliveries since processing was last requested. */
  engine_deliveries: Generated<number>;
}

export interface WorkflowsTable {
  id: string;
  org_id: string;
  environment: Environment;
  name: string;
  description: string | null;
  is_default: Generated<boolean>;
  is_active: Generated<boolean>;
  version: Generated<number>;
  data_requirements: Json<DataRequirements>;
  /** The current version's graph; null only on rows written before graphs (read as the default graph). */
  graph: Json<Record<string, unknown> | null>;
  /** Share (0–100) of new sessions that run `version`; the rest run `previous_version`. */
  rollout_percentage: Generated<number>;
  previous_version: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An immutable snapshot of one version of a workflow. */
export interface WorkflowVersionsTable {
  workflow_id: string;
  version: number;
  org_id: string;
  environment: Environment;
  name: string;
  description: string | null;
  format: "graph" | "steps";
  data_requirements: Json<DataRequirements>;
  graph: Json<Record<string, unknown>>;
  /** The legacy list as sent, when `format` is "steps". */
  steps: Json<unknown[] | null>;
  created_at: Timestamp;
}

/** What a workflow needs the applicant to capture; it drives the capture steps. */
export interface DataRequirements {
  document_types: string[];
  selfie: boolean;
  user_info_fields: string[];
  proof_of_address: boolean;
}

export interface DocumentsTable {
  id: string;
  org_id: string;
  environment: Environment;
  session_id: string;
  doc_type: string;
  document_type: string;
  side: string | null;
  mime_type: string;
  size_bytes: number;
  width: number | null;
  height: number | null;
  quality: Json<Record<string, unknown> | null>;
  storage_key: string;
  thumbnail_key: string | null;
  content_hmac: string;
  upload_source: "api" | "capture" | "dashboard";
  poa_document_type: string | null;
  poa_document_date: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface SessionResultsTable {
  session_id: string;
  org_id: string;
  environment: Environment;
  status: "approved" | "rejected" | "needs_review";
  face_match_passed: boolean | null;
  face_match_score: number | null;
  age_check_passed: boolean | null;
  extracted_age: number | null;
  extracted_data_enc: string | null;
  rejection_reason: string | null;
  rejection_reason_code: string | null;
  processing_mode: string;
  country_used: string | null;
  check_results: Json<Record<string, unknown>>;
  risk_signals: Json<unknown[]>;
  created_at: Timestamp;
}

export interface EventsTable {
  id: string;
  org_id: string;
  environment: Environment;
  type: string;
  session_id: string | null;
  identity_id: string | null;
  idempotency_key: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  relayed_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  org_id: string;
  environment: Environment;
  /** The API key whose reply this is (migration 20261207T0220): replies never cross keys. */
  api_key_id: string;
  key: string;
  request_hash: string;
  state: "in_progress" | "completed";
  response_status: number | null;
  response_content_type: string | null;
  response_body_enc: string | null;
  locked_at: Timestamp;
  expires_at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  environment: Environment;
  url: string;
  label: string | null;
  description: string | null;
  enabled: Generated<boolean>;
  enabled_events: ColumnType<string[], string[] | undefined, string[]>;
  attribute_blocklist: ColumnType<string[], string[] | undefined, string[]>;
  event_filter_conditions: Json<Record<string, unknown>>;
  api_version: string;
  key_inflection: Generated<string>;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: NullableTimestamp;
  consecutive_failures: Generated<number>;
  disabled_reason: string | null;
  disabled_at: NullableTimestamp;
  cloned_from: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export type DeliveryStatus = "pending" | "retrying" | "succeeded" | "failed";

export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  environment: Environment;
  endpoint_id: string;
  event_id: string | null;
  event_type: string;
  session_id: string | null;
  idempotency_key: string;
  url: string;
  payload_enc: string | null;
  status: DeliveryStatus;
  attempt_count: Generated<number>;
  next_attempt_at: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  is_test: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt_number: number;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
}

export interface WorkflowRunsTable {
  id: string;
  org_id: string;
  environment: Environment;
  session_id: string;
  workflow_id: string | null;
  workflow_version: number | null;
  trigger: string;
  status: "running" | "paused" | "completed" | "failed" | "superseded";
  graph_snapshot: Json<Record<string, unknown>>;
  current_node: string | null;
  paused_at_node: string | null;
  node_results: Json<unknown[]>;
  context_enc: string | null;
  final_status: "approved" | "rejected" | "needs_review" | null;
  external_decision: string | null;
  external_metadata: Json<Record<string, unknown> | null>;
  error: string | null;
  resumed_from: string | null;
  started_at: Timestamp;
  heartbeat_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  duration_ms: number | null;
  created_at: Generated<Date>;
}

export interface CheckAttemptsTable {
  id: string;
  org_id: string;
  environment: Environment;
  session_id: string;
  run_id: string;
  node: string;
  policy: string;
  attempt: number;
  status: "pending" | "passed" | "failed" | "error" | "skipped" | "requires_retry";
  score: number | null;
  reasons: Json<unknown[]>;
  outputs: Json<Record<string, unknown>>;
  options: Json<Record<string, unknown>>;
  inputs_enc: string | null;
  versions: Json<Record<string, unknown>>;
  duration_ms: number;
  error: string | null;
  decided_at: Timestamp;
  created_at: Generated<Date>;
}

export interface SessionIdentifiersTable {
  session_id: string;
  org_id: string;
  environment: Environment;
  kind: "document_number" | "email" | "phone" | "name_dob";
  digest: string;
  created_at: Timestamp;
}

export interface FaceTemplatesTable {
  session_id: string;
  org_id: string;
  environment: Environment;
  embedding_enc: string;
  model: string;
  created_at: Timestamp;
}

/** Folded list totals (migration 20261207T1800_list_counts, core/sessions/list_counts.ts). */
export interface ListCountsTable {
  org_id: string;
  environment: Environment;
  list: "sessions" | "results";
  status: string;
  n: number;
}

/** Changes to the list totals not folded into list_counts yet, one row per statement and status. */
export interface ListCountDeltasTable {
  org_id: string;
  environment: Environment;
  list: "sessions" | "results";
  status: string;
  delta: number;
}

export interface Database {
  organizations: OrganizationsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  session_results: SessionResultsTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  documents: DocumentsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  workflow_runs: WorkflowRunsTable;
  check_attempts: CheckAttemptsTable;
  session_identifiers: SessionIdentifiersTable;
  face_templates: FaceTemplatesTable;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type SessionRow = Selectable<SessionsTable>;
export type NewSession = Insertable<SessionsTable>;
export type SessionUpdate = Updateable<SessionsTable>;
export type SessionResultRow = Selectable<SessionResultsTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type WorkflowRow = Selectable<WorkflowsTable>;
export type WorkflowVersionRow = Selectable<WorkflowVersionsTable>;
export type DocumentRow = Selectable<DocumentsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
export type WorkflowRunRow = Selectable<WorkflowRunsTable>;
export type CheckAttemptRow = Selectable<CheckAttemptsTable>;

// Sanctions watchlists (migration 0006): installation-wide public data, not tenant data.
export interface WatchlistImportsTable {
  id: string;
  source: string;
  file_sha256: string;
  aliases_file_sha256: string | null;
  list_version: string | null;
  entry_count: number;
  name_count: number;
  imported_by: string;
  imported_at: Timestamp;
}

export interface WatchlistEntriesTable {
  id: string;
  import_id: string;
  source: string;
  source_ref: string;
  entity_type: string;
  name: string;
  programs: string[];
  dates_of_birth: string[];
  nationalities: string[];
  remarks: string | null;
  list_version: string | null;
  imported_at: Timestamp;
}

export interface WatchlistEntryNamesTable {
  id: Generated<number>;
  entry_id: string;
  name: string;
  name_normalized: string;
  is_alias: boolean;
  alias_note: string | null;
}

// A second declaration of Database merges with the first: appended so that parallel edits to the
// list above do not conflict with this one.
export interface Database {
  watchlist_imports: WatchlistImportsTable;
  watchlist_entries: WatchlistEntriesTable;
  watchlist_entry_names: WatchlistEntryNamesTable;
}

// Review cases (migration 0008, issue #7): the review queue, reviewers' notes, and each case's
// append-only record of actions.
export type CaseStatus = "open" | "in_review" | "escalated" | "pending_second_review" | "approved" | "rejected";
export type CaseDecision = "approved" | "rejected";

export interface ReviewCasesTable {
  id: string;
  org_id: string;
  environment: Environment;
  session_id: string;
  identity_id: string | null;
  source: "workflow" | "sandbox" | "api";
  status: CaseStatus;
  priority: ColumnType<string, string | undefined, string>;
  decision: CaseDecision | null;
  reason_code: string | null;
  reason_enc: string | null;
  assigned_to: string | null;
  claimed_at: NullableTimestamp;
  last_activity_at: Timestamp;
  entered_review_at: Timestamp;
  escalated_to: string | null;
  escalated_by: string | null;
  escalated_at: NullableTimestamp;
  escalation_reason_enc: string | null;
  first_decision: CaseDecision | null;
  first_reason_code: string | null;
  first_reviewer: string | null;
  /** Who authenticated for the recommendation (API key or operator id): dual review compares it (issue #15). */
  first_principal: ColumnType<string | null, string | null | undefined, string | null>;
  first_decided_at: NullableTimestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  metadata: Json<Record<string, unknown>>;
  custom_fields: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseNotesTable {
  id: string;
  org_id: string;
  environment: Environment;
  case_id: string;
  author: string;
  text_enc: string;
  created_at: Timestamp;
}

export interface CaseActionsTable {
  id: Generated<number>;
  org_id: string;
  environment: Environment;
  case_id: string;
  action: string;
  actor: string;
  from_status: string | null;
  to_status: string | null;
  details: Json<Record<string, unknown>>;
  details_enc: string | null;
  created_at: Timestamp;
}

export interface Database {
  review_cases: ReviewCasesTable;
  case_notes: CaseNotesTable;
  case_actions: CaseActionsTable;
}

export type ReviewCaseRow = Selectable<ReviewCasesTable>;
export type CaseNoteRow = Selectable<CaseNotesTable>;
export type CaseActionRow = Selectable<CaseActionsTable>;

// Identities (migration 0007), appended like the watchlists block above.
export type IdentityStatus = "pending" | "verified" | "rejected" | "failed" | "redacted" | "merged";

export interface IdentitiesTable {
  id: string;
  org_id: string;
  environment: Environment;
  external_ref: string;
  status: IdentityStatus;
  pii_enc: string | null;
  email_bidx: string | null;
  phone_bidx: string | null;
  document_number_bidx: string | null;
  name_dob_bidx: string | null;
  country: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom_fields: Json<Record<string, unknown>>;
  is_flagged: Generated<boolean>;
  flag_reason: string | null;
  flagged_at: NullableTimestamp;
  flagged_by: string | null;
  legal_hold: Generated<boolean>;
  latest_session_id: string | null;
  session_count: Generated<number>;
  first_verified_at: NullableTimestamp;
  last_verified_at: NullableTimestamp;
  merged_into: string | null;
  merged_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  redacted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  /** The identity the session's outcome was recorded on (sessions with an external_ref). */
  identity_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  identities: IdentitiesTable;
}

export type IdentityRow = Selectable<IdentitiesTable>;

// Custom lists (migration 0009).
export type ListType =
  | "name"
  | "email"
  | "phone"
  | "ip_address"
  | "government_id"
  | "country"
  | "geolocation"
  | "browser_fingerprint"
  | "device_fingerprint"
  | "face"
  | "string";
export type ListMatchMode = "block" | "flag" | "allow";

export interface CustomListsTable {
  id: string;
  org_id: string;
  environment: Environment;
  name: string;
  list_type: ListType;
  match_mode: ListMatchMode;
  description: string | null;
  is_active: Generated<boolean>;
  archived_at: NullableTimestamp;
  item_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomListItemsTable {
  id: string;
  list_id: string;
  org_id: string;
  environment: Environment;
  list_type: ListType;
  value_enc: string;
  lookup_hmac: string;
  name_normalized: string | null;
  notes: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ListMatchesTable {
  id: string;
  org_id: string;
  environment: Environment;
  session_id: string;
  list_id: string;
  item_id: string;
  list_type: ListType;
  match_mode: ListMatchMode;
  matched_on: string;
  score: number | null;
  false_positive: Generated<boolean>;
  false_positive_by: string | null;
  false_positive_at: NullableTimestamp;
  false_positive_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  custom_lists: CustomListsTable;
  custom_list_items: CustomListItemsTable;
  list_matches: ListMatchesTable;
}

export type CustomListRow = Selectable<CustomListsTable>;
export type CustomListItemRow = Selectable<CustomListItemsTable>;
export type ListMatchRow = Selectable<ListMatchesTable>;

// Legal hold on sessions (migration 0012, issue #9): blocks every redaction path while set.
export interface SessionsTable {
  legal_hold: Generated<boolean>;
  legal_hold_reason: ColumnType<string | null, string | null | undefined, string | null>;
  legal_hold_set_at: NullableTimestamp;
}

// Dashboard operators (migration 0010, issue #8): users, passkeys, invites, sessions, challenges.
export type OperatorRoleColumn = "admin" | "reviewer" | "viewer";

export interface OperatorUsersTable {
  id: string;
  org_id: string;
  email: string;
  display_name: string;
  role: OperatorRoleColumn;
  webauthn_user_id: string;
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export interface OperatorPasskeysTable {
  id: string;
  user_id: string;
  public_key: Uint8Array;
  counter: ColumnType<string, number | string | undefined, number | string>;
  transports: Generated<string[]>;
  name: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface OperatorInvitesTable {
  id: string;
  org_id: string;
  token_hash: string;
  kind: "bootstrap" | "invite";
  role: OperatorRoleColumn;
  email: string | null;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  used_by: string | null;
}

export interface OperatorSessionsTable {
  id: string;
  user_id: string;
  org_id: string;
  environment: Generated<Environment>;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  /** Every signed-in request moves it; a session idle past the timeout is over. */
  last_seen_at: Timestamp;
  /** The latest passkey assertion (sign-in or step-up); destructive actions need it recent. */
  reauthenticated_at: NullableTimestamp;
}

export interface OperatorChallengesTable {
  id: string;
  purpose: "registration" | "authentication";
  challenge: string;
  invite_id: string | null;
  user_id: string | null;
  webauthn_user_id: string | null;
  email: string | null;
  display_name: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface Database {
  operator_users: OperatorUsersTable;
  operator_passkeys: OperatorPasskeysTable;
  operator_invites: OperatorInvitesTable;
  operator_sessions: OperatorSessionsTable;
  operator_challenges: OperatorChallengesTable;
}

export type OperatorUserRow = Selectable<OperatorUsersTable>;
export type OperatorPasskeyRow = Selectable<OperatorPasskeysTable>;
export type OperatorInviteRow = Selectable<OperatorInvitesTable>;

// The tamper-evident audit log (migration 0011, issue #9); `events` above is the webhook outbox.
export type AuditActorType = "api_key" | "operator" | "system" | "script";

export interface AuditLogTable {
  id: string;
  org_id: string;
  /** Insertion order (migration 20261207T1100): the order the sealer seals an organisation's rows in. */
  append_id: Generated<string>;
  /** Position in the organisation's hash chain, from 1, without gaps; null until sealed (core/audit/seal.ts). */
  sequence_num: number | null;
  environment: Environment | null;
  actor_type: AuditActorType;
  actor_id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
  request_id: string | null;
  created_at: Timestamp;
  /** Null until sealed, like `hash`. */
  prev_hash: string | null;
  hash: string | null;
}

export interface Database {
  audit_log: AuditLogTable;
}

export type AuditLogRow = Selectable<AuditLogTable>;

// Block-list items built from a session (migration 20261207T0200, issue #15): the session they came from.
export interface CustomListItemsTable {
  source_session_id: ColumnType<string | null, string | null | undefined, string | null>;
}

// Workflow dry runs handed to the worker (migration 20261207T0210, issue #15 item 11).
export interface WorkflowDryRunsTable {
  id: string;
  org_id: string;
  environment: Environment;
  session_id: string;
  graph: Json<Record<string, unknown>>;
  status: "queued" | "running" | "completed" | "failed";
  result_enc: string | null;
  error_code: string | null;
  error_detail: string | null;
  error_status: number | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface Database {
  workflow_dry_runs: WorkflowDryRunsTable;
}

// Rate-limit counters shared by every API process (migration 20261207T0300, issue #16).
export interface RateLimitWindowsTable {
  /** Keyed digest of the counted thing (API key id, capture token, client IP): never the value. */
  bucket: string;
  window_start: Timestamp;
  hits: number;
  max_hits: number;
}

export interface Database {
  rate_limit_windows: RateLimitWindowsTable;
  list_counts: ListCountsTable;
  list_count_deltas: ListCountDeltasTable;
}
