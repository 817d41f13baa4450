// Generated from the API document by `deno task client:generate` (openapi-typescript). Do not edit.
export interface paths {
  "/api/v1/sessions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List sessions
     * @description Scopes: `sessions:read`.
     */
    get: operations["listSessions"];
    put?: never;
    /**
     * Create a session
     * @description Also accepts the JSON:API envelope `{data: {attributes: {…}}}` and the Persona aliases (`reference_id`, `template_id`, `name_first`, …). A publishable key may set only `country` and `redirect_url` (on one of its allowed origins).
     *
     *     Scopes: `sessions:create`.
     */
    post: operations["createSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a session
     * @description Scopes: `sessions:read`.
     */
    get: operations["getSession"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update a session
     * @description `metadata` merges key by key; a null value deletes that key.
     *
     *     Scopes: `sessions:write`.
     */
    patch: operations["updateSession"];
    trace?: never;
  };
  "/api/v1/sessions/{id}/resume": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resume an expired or abandoned session
     * @description Scopes: `sessions:write`.
     */
    post: operations["resumeSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/legal-hold": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Place a legal hold on a session
     * @description While held, every redaction path (API, bulk, retention, identity erasure) refuses the session.
     *
     *     Scopes: `legal_hold:write`.
     */
    post: operations["holdSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/legal-hold/release": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Release a session's legal hold
     * @description Scopes: `legal_hold:write`.
     */
    post: operations["releaseSessionHold"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/expire": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Expire a session
     * @description Scopes: `sessions:write`.
     */
    post: operations["expireSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/tags": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a session's tags
     * @description Scopes: `sessions:read`.
     */
    get: operations["getSessionTags"];
    /**
     * Replace a session's tags
     * @description Scopes: `sessions:write`.
     */
    put: operations["setSessionTags"];
    /**
     * Add a tag to a session
     * @description Scopes: `sessions:write`.
     */
    post: operations["addSessionTag"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/tags/{tag}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a tag from a session
     * @description Scopes: `sessions:write`.
     */
    delete: operations["removeSessionTag"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/simulate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Simulate an outcome (sandbox keys only)
     * @description `action`: `approve`, `decline`, `require-review`, `expire`, or a preset (approve, reject, reject_face_mismatch, reject_document_expired, reject_underage, needs_review, needs_review_watchlist, resubmission_required, processing_error).
     *
     *     Scopes: `sessions:write`.
     */
    post: operations["simulateSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/submit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Submit a session captured through the API
     * @description Scopes: `sessions:write`.
     */
    post: operations["submitSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/risk": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a session's risk assessment
     * @description Scopes: `verifications:read`.
     */
    get: operations["getSessionRisk"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/result": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a session's result
     * @description Scopes: `verifications:read`.
     */
    get: operations["getSessionResult"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/bulk-redact": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Erase up to 100 sessions
     * @description Scopes: `redact:write`.
     */
    post: operations["bulkRedactSessions"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/data": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Erase a session's personal data and documents
     * @description Scopes: `redact:write`.
     */
    delete: operations["redactSession"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/export": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export a session's data (DSAR)
     * @description Scopes: `sessions:read`.
     */
    get: operations["exportSession"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/reprocess": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run the workflow again on the stored documents
     * @description Scopes: `sessions:write`.
     */
    post: operations["reprocessSession"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/external-decision": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decide a session waiting at an external gate
     * @description Scopes: `sessions:write`.
     */
    post: operations["submitExternalDecision"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/workflow-run": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the session's latest workflow run
     * @description Scopes: `verifications:read`.
     */
    get: operations["getWorkflowRun"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/workflow-run/replay": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Decide the latest run's checks again from their stored inputs
     * @description Scopes: `verifications:read`.
     */
    post: operations["replayWorkflowRun"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/verifications": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The latest attempt of each check in the latest run
     * @description Scopes: `verifications:read`.
     */
    get: operations["listVerifications"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/verifications/{policy}/attempts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Every attempt of one check
     * @description Scopes: `verifications:read`.
     */
    get: operations["listPolicyAttempts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/documents": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a session's documents, with signed URLs
     * @description Scopes: `verifications:read`.
     */
    get: operations["listSessionDocuments"];
    put?: never;
    /**
     * Upload a document to a session
     * @description JPEG, PNG, WebP, HEIC (or PDF for proof of address), at most 10 MB.
     *
     *     Scopes: `documents:write`.
     */
    post: operations["uploadSessionDocument"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/documents/{slot}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download a document through its signed URL
     * @description No API key: the `expires` and `sig` query parameters of the URL from the documents list are the credential.
     */
    get: operations["downloadSessionDocument"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/list-matches": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The custom-list matches recorded on a session
     * @description Scopes: `lists:read`.
     */
    get: operations["listSessionListMatches"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/sessions/{id}/list-matches/{match_id}/false-positive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark a list match as a false positive
     * @description Scopes: `lists:write`.
     */
    post: operations["markListMatchFalsePositive"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/results": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List results (no personal data)
     * @description Scopes: `verifications:read`.
     */
    get: operations["listResults"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/results/{sessionId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a result, its details nested under `result`
     * @description Scopes: `verifications:read`.
     */
    get: operations["getResult"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List identities (offset pages, or cursor pages with page[…])
     * @description Scopes: `identities:read`.
     */
    get: operations["listIdentities"];
    put?: never;
    /**
     * Create an identity stub (or find it, with upsert)
     * @description Scopes: `identities:write`.
     */
    post: operations["createIdentity"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/search": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Find identities by email, phone, document number, or name and date of birth
     * @description Scopes: `identities:read`.
     */
    post: operations["searchIdentities"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/merge/preview": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * What a merge would produce
     * @description Scopes: `identities:read`.
     */
    post: operations["previewIdentityMerge"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/merge": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Merge identities into a primary
     * @description Scopes: `identities:write`.
     */
    post: operations["mergeIdentities"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an identity
     * @description Scopes: `identities:read`.
     */
    get: operations["getIdentity"];
    put?: never;
    post?: never;
    /**
     * Erase an identity and its sessions
     * @description Scopes: `redact:write`.
     */
    delete: operations["redactIdentity"];
    options?: never;
    head?: never;
    /**
     * Update an identity
     * @description Scopes: `identities:write`.
     */
    patch: operations["updateIdentity"];
    trace?: never;
  };
  "/api/v1/identities/{id}/export": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export everything held about an identity (DSAR)
     * @description Scopes: `identities:read`.
     */
    get: operations["exportIdentity"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/sessions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List an identity's sessions
     * @description Scopes: `identities:read`.
     */
    get: operations["listIdentitySessions"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/audit-log": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An identity's event history
     * @description Scopes: `identities:read`.
     */
    get: operations["listIdentityEvents"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Archive an identity
     * @description Scopes: `identities:write`.
     */
    post: operations["archiveIdentity"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/restore": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Restore an archived identity
     * @description Scopes: `identities:write`.
     */
    post: operations["restoreIdentity"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/unflag": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Clear an identity's flag
     * @description Scopes: `identities:write`.
     */
    post: operations["unflagIdentity"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/flag": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Flag an identity for review
     * @description Scopes: `identities:write`.
     */
    post: operations["flagIdentity"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/legal-hold": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Place a legal hold on an identity (and so its sessions)
     * @description Scopes: `legal_hold:write`.
     */
    post: operations["holdIdentity"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/legal-hold/release": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Release an identity's legal hold
     * @description Scopes: `legal_hold:write`.
     */
    post: operations["releaseIdentityHold"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/tags/add": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Add an identity's tags
     * @description Scopes: `identities:write`.
     */
    post: operations["addIdentityTags"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/tags/remove": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Remove an identity's tags
     * @description Scopes: `identities:write`.
     */
    post: operations["removeIdentityTags"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/identities/{id}/tags/set": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replace an identity's tags
     * @description Scopes: `identities:write`.
     */
    post: operations["setIdentityTags"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List cases
     * @description Scopes: `cases:read`.
     */
    get: operations["listCases"];
    put?: never;
    /**
     * Open a review case for a session under review
     * @description Scopes: `cases:decide`.
     */
    post: operations["createCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/counts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * How many cases each queue tab holds
     * @description Scopes: `cases:read`.
     */
    get: operations["countCases"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/next": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Claim the next case in the queue
     * @description Scopes: `cases:decide`.
     */
    post: operations["claimNextCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a case with its session, documents, checks and history
     * @description Scopes: `cases:read`.
     */
    get: operations["getCase"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update a case's priority, metadata or custom fields
     * @description Scopes: `cases:decide`.
     */
    patch: operations["updateCase"];
    trace?: never;
  };
  "/api/v1/cases/{id}/claim": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Claim a case
     * @description Scopes: `cases:decide`.
     */
    post: operations["claimCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/release": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Release a claimed case
     * @description Scopes: `cases:decide`.
     */
    post: operations["releaseCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/assign": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Assign a case to a reviewer
     * @description Scopes: `cases:decide`.
     */
    post: operations["assignCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/escalate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Escalate a case
     * @description Scopes: `cases:decide`.
     */
    post: operations["escalateCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/approve": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve a case
     * @description Scopes: `cases:decide`.
     */
    post: operations["approveCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/reject": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Reject a case
     * @description Scopes: `cases:decide`.
     */
    post: operations["rejectCase"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/notes": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a case's notes
     * @description Scopes: `cases:read`.
     */
    get: operations["listCaseNotes"];
    put?: never;
    /**
     * Add a note to a case
     * @description Scopes: `cases:decide`.
     */
    post: operations["addCaseNote"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/result/pii": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Correct the extracted data of a case's result
     * @description Scopes: `cases:decide`.
     */
    put: operations["correctCasePii"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/cases/{id}/override-check": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Pass a failed check by a reviewer's decision
     * @description Scopes: `cases:decide`.
     */
    post: operations["overrideCaseCheck"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List workflows
     * @description Scopes: `workflows:read`.
     */
    get: operations["listWorkflows"];
    put?: never;
    /**
     * Create a workflow
     * @description Scopes: `workflows:write`.
     */
    post: operations["createWorkflow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/templates": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List workflow templates
     * @description Scopes: `workflows:read`.
     */
    get: operations["listWorkflowTemplates"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/validate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Validate a definition without saving it
     * @description Scopes: `workflows:read`.
     */
    post: operations["validateWorkflow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a workflow
     * @description Scopes: `workflows:read`.
     */
    get: operations["getWorkflow"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update a workflow (a new definition is a new version)
     * @description Scopes: `workflows:write`.
     */
    patch: operations["updateWorkflow"];
    trace?: never;
  };
  "/api/v1/workflows/{id}/versions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a workflow's versions
     * @description Scopes: `workflows:read`.
     */
    get: operations["listWorkflowVersions"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/{id}/versions/{version}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get one version of a workflow
     * @description Scopes: `workflows:read`.
     */
    get: operations["getWorkflowVersion"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/{id}/set-default": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Make a workflow the default
     * @description Scopes: `workflows:write`.
     */
    post: operations["setDefaultWorkflow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/{id}/deactivate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Deactivate a workflow
     * @description Scopes: `workflows:write`.
     */
    post: operations["deactivateWorkflow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/{id}/trigger": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run this workflow on a completed or failed live session
     * @description Scopes: `workflows:trigger`.
     */
    post: operations["triggerWorkflow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/dry-run": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Walk a graph (or a workflow) over a stored session without changing it
     * @description The walk runs on the worker. Done within the wait: 200 with the outcome; else 202 with the dry run's id and a Location to poll.
     *
     *     Scopes: `workflows:read`, `verifications:read`.
     */
    post: operations["dryRunWorkflow"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/workflows/dry-runs/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A dry run that outlasted the wait (its outcome is handed out once)
     * @description Scopes: `workflows:read`, `verifications:read`.
     */
    get: operations["getDryRun"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/verification-policies": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The checks a policy node may run, with their options
     * @description Scopes: `workflows:read`.
     */
    get: operations["listVerificationPolicies"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List custom lists
     * @description Scopes: `lists:read`.
     */
    get: operations["listLists"];
    put?: never;
    /**
     * Create a list
     * @description Scopes: `lists:write`.
     */
    post: operations["createList"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/check": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Check a subject against the lists (nothing stored)
     * @description Scopes: `lists:read`.
     */
    post: operations["checkListSubject"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a list
     * @description Scopes: `lists:read`.
     */
    get: operations["getList"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update a list
     * @description Scopes: `lists:write`.
     */
    patch: operations["updateList"];
    trace?: never;
  };
  "/api/v1/lists/{id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Archive a list
     * @description Scopes: `lists:write`.
     */
    post: operations["archiveList"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/{id}/items": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a list's items
     * @description Scopes: `lists:read`.
     */
    get: operations["listListItems"];
    put?: never;
    /**
     * Add an item
     * @description Scopes: `lists:write`.
     */
    post: operations["addListItem"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/{id}/items/bulk": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Add up to 1,000 items
     * @description Scopes: `lists:write`.
     */
    post: operations["addListItems"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/{id}/import": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Import items from CSV
     * @description A text/csv body, or a multipart form with the CSV in `file`; the columns follow the list type.
     *
     *     Scopes: `lists:write`.
     */
    post: operations["importListItems"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/{id}/export": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export a list's items as CSV
     * @description Scopes: `lists:read`.
     */
    get: operations["exportList"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/lists/{id}/items/{item_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an item
     * @description Scopes: `lists:read`.
     */
    get: operations["getListItem"];
    put?: never;
    post?: never;
    /**
     * Delete an item
     * @description Scopes: `lists:write`.
     */
    delete: operations["deleteListItem"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/event-types": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The event types an endpoint can subscribe to
     * @description Scopes: `webhooks:read`.
     */
    get: operations["listWebhookEventTypes"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/endpoints": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List webhook endpoints
     * @description Scopes: `webhooks:read`.
     */
    get: operations["listWebhookEndpoints"];
    put?: never;
    /**
     * Create a webhook endpoint
     * @description Live endpoints need https; private and loopback addresses are refused unless the operator allows them.
     *
     *     Scopes: `webhooks:write`.
     */
    post: operations["createWebhookEndpoint"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/endpoints/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a webhook endpoint
     * @description Scopes: `webhooks:read`.
     */
    get: operations["getWebhookEndpoint"];
    put?: never;
    post?: never;
    /**
     * Delete a webhook endpoint
     * @description Scopes: `webhooks:write`.
     */
    delete: operations["deleteWebhookEndpoint"];
    options?: never;
    head?: never;
    /**
     * Update a webhook endpoint
     * @description Scopes: `webhooks:write`.
     */
    patch: operations["updateWebhookEndpoint"];
    trace?: never;
  };
  "/api/v1/webhooks/endpoints/{id}/rotate-secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate an endpoint's secret (the old one signs too for 24 h)
     * @description Scopes: `webhooks:write`.
     */
    post: operations["rotateWebhookSecret"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/endpoints/{id}/clone": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Clone an endpoint (a new secret)
     * @description Scopes: `webhooks:write`.
     */
    post: operations["cloneWebhookEndpoint"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/endpoints/{id}/test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a webhook.test event now
     * @description Scopes: `webhooks:write`.
     */
    post: operations["testWebhookEndpoint"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/endpoints/{id}/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List an endpoint's deliveries
     * @description Scopes: `webhooks:read`.
     */
    get: operations["listEndpointDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List deliveries
     * @description Scopes: `webhooks:read`.
     */
    get: operations["listWebhookDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/deliveries/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a delivery with every attempt
     * @description Scopes: `webhooks:read`.
     */
    get: operations["getWebhookDelivery"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/webhooks/deliveries/{id}/retry": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Retry a delivery now
     * @description Scopes: `webhooks:write`.
     */
    post: operations["retryWebhookDelivery"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/api-keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List API keys
     * @description Scopes: `api_keys:read`.
     */
    get: operations["listApiKeys"];
    put?: never;
    /**
     * Create an API key
     * @description A key may grant only scopes it holds itself. Publishable keys get sessions:create only.
     *
     *     Scopes: `api_keys:write`.
     */
    post: operations["createApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/api-keys/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an API key
     * @description Scopes: `api_keys:read`.
     */
    get: operations["getApiKey"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update an API key
     * @description Scopes: `api_keys:write`.
     */
    patch: operations["updateApiKey"];
    trace?: never;
  };
  "/api/v1/api-keys/{id}/expire": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Expire (revoke) an API key
     * @description Scopes: `api_keys:write`.
     */
    post: operations["expireApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/settings": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the organisation's settings
     * @description Scopes: `settings:read`.
     */
    get: operations["getSettings"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change the organisation's settings (live secret keys only)
     * @description A shorter data_retention_days or auto-redaction switched on waits 24 h unless `confirm_retention_reduction: true`; null puts a setting back at its default.
     *
     *     Scopes: `settings:write`.
     */
    patch: operations["updateSettings"];
    trace?: never;
  };
  "/api/v1/events": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List audit events
     * @description Scopes: `events:read`.
     */
    get: operations["listAuditEvents"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/events/{eventId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an audit event
     * @description Scopes: `events:read`.
     */
    get: operations["getAuditEvent"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/state": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The capture state: steps required and done, document types allowed
     * @description No API key: the capture token in the path is the credential.
     */
    get: operations["getCaptureState"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/consent": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record the applicant's consent
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["recordConsent"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/document-type": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Choose the document type and country
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["chooseDocumentType"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/documents": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload the front or back of the document
     * @description JPEG, PNG, WebP or HEIC, at most 10 MB.
     *
     *     No API key: the capture token in the path is the credential.
     */
    post: operations["uploadCaptureDocument"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/selfie": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload the selfie (at least 480 px on its short side)
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["uploadCaptureSelfie"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/fields": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Submit the user-info fields the workflow asks for
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["submitCaptureFields"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/signals": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send client fraud signals
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["submitCaptureSignals"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/complete": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Finish capture
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["completeCapture"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/verify/{token}/sandbox-outcome": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Choose the outcome of a sandbox session (after complete)
     * @description No API key: the capture token in the path is the credential.
     */
    post: operations["chooseSandboxOutcome"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1/openapi.json": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * This document (OpenAPI 3.1)
     * @description No API key needed. A reference page rendered from it is served at `/docs`.
     */
    get: operations["getOpenApiDocument"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface webhooks {
  "session.created": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.created
     * @description A session was created.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_created"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.started": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.started
     * @description The applicant opened the capture flow and gave consent.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_started"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.expired": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.expired
     * @description The capture window passed (or the session was expired) before capture completed.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_expired"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.approved": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.approved
     * @description The session was approved, automatically or by a reviewer.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_approved"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.declined": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.declined
     * @description The session was rejected.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_declined"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.requires-review": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.requires-review
     * @description The session needs manual review.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_requires_review"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.resubmission-required": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.resubmission-required
     * @description The document photos could not be read; the applicant must start a new session.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_resubmission_required"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.awaiting_external": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.awaiting_external
     * @description The workflow paused at an external gate and waits for your decision.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_awaiting_external"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.redacted": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.redacted
     * @description The session's personal data and documents were permanently deleted.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_redacted"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "session.retention-expired": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * session.retention-expired
     * @description The session's retention window passed and its data was removed.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_session_retention_expired"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.created": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.created
     * @description An identity was created.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_created"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.updated": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.updated
     * @description An identity was created or updated.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_updated"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.flagged": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.flagged
     * @description An identity was flagged for review.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_flagged"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.archived": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.archived
     * @description An identity was archived.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_archived"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.restored": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.restored
     * @description An identity was restored.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_restored"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.tag-added": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.tag-added
     * @description A tag was added to an identity.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_tag_added"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "identity.tag-removed": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * identity.tag-removed
     * @description A tag was removed from an identity.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_identity_tag_removed"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "case.created": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * case.created
     * @description A review case was opened.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_case_created"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "case.approved": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * case.approved
     * @description A review case was approved.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_case_approved"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "case.rejected": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * case.rejected
     * @description A review case was rejected.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_case_rejected"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "case.escalated": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * case.escalated
     * @description A review case was escalated.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_case_escalated"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "webhook.test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * webhook.test
     * @description A test event sent from the API or dashboard.
     *
     *     Signed with `X-Verifa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">` under the endpoint's whsec_ secret (one v1= per valid secret during a rotation), and with the Standard Webhooks headers. Keys follow the endpoint's key_inflection.
     */
    post: operations["webhook_webhook_test"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface components {
  schemas: {
    ErrorBody: {
      /** @description A snake_case error code. */
      error: string;
      /** @description What went wrong, for a person. */
      detail: string;
      /** @description The HTTP status, repeated. */
      status_code: number;
      /** @description 422 validation_error only: one message per field path (dotted, `` for the body). */
      fields?: {
        [key: string]: string;
      };
    };
    Session: {
      /** @example ses_0123456789abcdefghijklmn */
      id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      is_sandbox: boolean;
      /** @enum {string} */
      environment: "sandbox" | "live";
      external_ref: string | null;
      identity_id: string | null;
      country: string | null;
      workflow_id: string | null;
      redirect_url: string | null;
      checks: string[] | null;
      metadata: {
        [key: string]: unknown;
      };
      tags: string[];
      document_type: string | null;
      retention_status: string;
      legal_hold: boolean;
      legal_hold_reason: string | null;
      legal_hold_set_at: string | null;
      processing_attempts: number;
      consent_ip: string | null;
      /** @description Set while capture is open (pending or capturing, token alive). */
      capture_url: string | null;
      send_email: boolean;
      case_id: string | null;
      case_status: string | null;
      created_at: string | null;
      updated_at: string | null;
      expires_at: string | null;
      token_expires_at: string | null;
      started_at: string | null;
      completed_at: string | null;
      expired_at: string | null;
      links: {
        result: string;
        documents: string;
        risk: string;
        webhook_deliveries: string;
      };
    };
    CreatedSession: {
      /** @example ses_0123456789abcdefghijklmn */
      id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      is_sandbox: boolean;
      /** @enum {string} */
      environment: "sandbox" | "live";
      external_ref: string | null;
      identity_id: string | null;
      country: string | null;
      workflow_id: string | null;
      redirect_url: string | null;
      checks: string[] | null;
      metadata: {
        [key: string]: unknown;
      };
      tags: string[];
      document_type: string | null;
      retention_status: string;
      legal_hold: boolean;
      legal_hold_reason: string | null;
      legal_hold_set_at: string | null;
      processing_attempts: number;
      consent_ip: string | null;
      capture_url: string;
      send_email: boolean;
      case_id: string | null;
      case_status: string | null;
      created_at: string | null;
      updated_at: string | null;
      expires_at: string | null;
      token_expires_at: string | null;
      started_at: string | null;
      completed_at: string | null;
      expired_at: string | null;
      links: {
        result: string;
        documents: string;
        risk: string;
        webhook_deliveries: string;
      };
      /** @description A PNG data URL of capture_url. */
      qr_code_data_url: string;
    };
    Result: {
      session_id: string;
      /** @enum {string} */
      status: "approved" | "rejected" | "needs_review";
      is_sandbox: boolean;
      created_at: string | null;
      face_match_passed: boolean | null;
      face_match_score: number | null;
      age_check_passed: boolean | null;
      extracted_age: number | null;
      /** @description Filtered by the organisation's api_pii_fields; {} past the sensitive window. */
      extracted_data: {
        [key: string]: unknown;
      };
      rejection_reason: string | null;
      rejection_reason_code: string | null;
      processing_mode: string | null;
      country_used: string | null;
      check_results: {
        [key: string]: unknown;
      } | null;
      sensitive_data_expired: boolean;
    };
    Document: {
      id: string;
      doc_type: string;
      document_type: string | null;
      side: string | null;
      mime_type: string;
      /** @description A signed URL, valid for expires_in seconds. */
      url: string;
      thumbnail_url: string | null;
      expires_in: number;
      file_size_bytes: number;
      width: number | null;
      height: number | null;
      quality: {
        ok: boolean;
        warnings: string[];
        blur: unknown;
        glare: unknown;
        resolution: unknown;
        exposure: unknown;
      } | null;
      upload_source: string;
      poa_document_type: string | null;
      poa_document_date: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
    };
    CheckAttempt: {
      id: string;
      session_id: string;
      run_id: string | null;
      node: string;
      policy: string;
      attempt_number: number;
      status: string;
      score: number | null;
      reasons: unknown;
      outputs: unknown;
      options: unknown;
      versions: unknown;
      duration_ms: number | null;
      error: string | null;
      replayable: boolean;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      decided_at: string | null;
    };
    WorkflowRun: {
      id: string;
      session_id: string;
      workflow_id: string | null;
      workflow_version: number | null;
      trigger: string;
      status: string;
      final_status: string | null;
      current_node: string | null;
      paused_at_node: string | null;
      external_decision: string | null;
      external_metadata: unknown;
      node_results: unknown;
      graph_snapshot: unknown;
      error: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      started_at: string | null;
      completed_at: string | null;
      duration_ms: number | null;
    };
    ResultSummary: {
      session_id: string;
      external_ref: string | null;
      /** @enum {string} */
      status: "approved" | "rejected" | "needs_review";
      is_sandbox: boolean;
      created_at: string | null;
      face_match_passed: boolean | null;
      face_match_score: number | null;
      age_check_passed: boolean | null;
      rejection_reason: string | null;
      rejection_reason_code: string | null;
      processing_mode: string | null;
      country_used: string | null;
    };
    NestedResult: {
      session_id: string;
      external_ref: string | null;
      /** @enum {string} */
      status: "approved" | "rejected" | "needs_review";
      is_sandbox: boolean;
      created_at: string | null;
      result: {
        face_match_passed: boolean | null;
        face_match_score: number | null;
        age_check_passed: boolean | null;
        extracted_age: number | null;
        extracted_data: {
          [key: string]: unknown;
        };
        check_results: {
          [key: string]: unknown;
        } | null;
      };
      rejection_reason: string | null;
      rejection_reason_code: string | null;
      processing_mode: string | null;
      country_used: string | null;
      sensitive_data_expired: boolean;
    };
    Identity: {
      id: string;
      /** @enum {string} */
      status: "pending" | "verified" | "rejected" | "failed" | "redacted" | "merged";
      session_count: number;
      is_sandbox: boolean;
      created_at: string | null;
      external_ref: string | null;
      latest_session_id: string | null;
      latest_result_id: string | null;
      face_match_passed: boolean | null;
      age_check_passed: boolean | null;
      extracted_age: number | null;
      rejection_reason: string | null;
      country: string | null;
      extracted_data: {
        [key: string]: unknown;
      };
      first_verified_at: string | null;
      last_verified_at: string | null;
      archived_at: string | null;
      tags: string[];
      custom_fields: {
        [key: string]: unknown;
      };
      is_flagged: boolean;
      flag_reason: string | null;
      flagged_at: string | null;
      flagged_by: string | null;
      legal_hold: boolean;
      merged_into: string | null;
      merged_at: string | null;
      redacted_at: string | null;
      updated_at: string | null;
    };
    Case: {
      id: string;
      session_id: string;
      identity_id: string | null;
      /** @enum {string} */
      status: "open" | "in_review" | "escalated" | "pending_second_review" | "approved" | "rejected";
      is_final: boolean;
      is_sandbox: boolean;
      source: string;
      priority: string;
      decision: string | null;
      reason_code: string | null;
      reason: string | null;
      assigned_to: string | null;
      claimed_at: string | null;
      claim_expires_at: string | null;
      last_activity_at: string | null;
      entered_review_at: string | null;
      /** @enum {string} */
      sla_status: "green" | "yellow" | "red";
      sla_elapsed_seconds: number;
      escalated_to: string | null;
      escalated_by: string | null;
      escalated_at: string | null;
      escalation_reason: string | null;
      first_decision: string | null;
      first_reason_code: string | null;
      first_reviewer: string | null;
      first_decided_at: string | null;
      decided_by: string | null;
      decided_at: string | null;
      metadata: {
        [key: string]: unknown;
      };
      custom_fields: {
        [key: string]: unknown;
      };
      created_at: string | null;
      updated_at: string | null;
    };
    CaseDetail: {
      id: string;
      session_id: string;
      identity_id: string | null;
      /** @enum {string} */
      status: "open" | "in_review" | "escalated" | "pending_second_review" | "approved" | "rejected";
      is_final: boolean;
      is_sandbox: boolean;
      source: string;
      priority: string;
      decision: string | null;
      reason_code: string | null;
      reason: string | null;
      assigned_to: string | null;
      claimed_at: string | null;
      claim_expires_at: string | null;
      last_activity_at: string | null;
      entered_review_at: string | null;
      /** @enum {string} */
      sla_status: "green" | "yellow" | "red";
      sla_elapsed_seconds: number;
      escalated_to: string | null;
      escalated_by: string | null;
      escalated_at: string | null;
      escalation_reason: string | null;
      first_decision: string | null;
      first_reason_code: string | null;
      first_reviewer: string | null;
      first_decided_at: string | null;
      decided_by: string | null;
      decided_at: string | null;
      metadata: {
        [key: string]: unknown;
      };
      custom_fields: {
        [key: string]: unknown;
      };
      created_at: string | null;
      updated_at: string | null;
      session: {
        id: string;
        status: string;
        external_ref: string | null;
        country: string | null;
        document_type: string | null;
        workflow_id: string | null;
        metadata: {
          [key: string]: unknown;
        };
        tags: string[];
        /**
         * Format: date-time
         * @example 2026-01-01T12:00:00.000Z
         */
        created_at: string;
        completed_at: string | null;
      };
      documents: components["schemas"]["Document"][];
      result: components["schemas"]["Result"] | null;
      check_results: {
        [key: string]: unknown;
      };
      risk_signals: unknown;
      history: {
        action: string;
        actor: string | null;
        from_status: string | null;
        to_status: string | null;
        details: unknown;
        created_at: string | null;
      }[];
    };
    CaseNote: {
      id: string;
      case_id: string;
      author: string;
      text: string;
      created_at: string | null;
    };
    Workflow: {
      id: string;
      name: string;
      description: string | null;
      version: number;
      format: string;
      /** @description The workflow graph: nodes keyed by id (see the README's workflow section). */
      graph: {
        [key: string]: unknown;
      };
      /** @description The legacy steps document the version was written in, or null. */
      steps: unknown;
      step_count: number;
      data_requirements: {
        [key: string]: unknown;
      } | null;
      is_default: boolean;
      is_active: boolean;
      rollout_percentage: number;
      previous_version: number | null;
      /** @enum {string} */
      environment: "sandbox" | "live";
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      updated_at: string;
    };
    WorkflowVersion: {
      workflow_id: string;
      version: number;
      name: string;
      description: string | null;
      format: string;
      /** @description The workflow graph: nodes keyed by id (see the README's workflow section). */
      graph: {
        [key: string]: unknown;
      };
      steps: unknown;
      step_count: number;
      data_requirements: {
        [key: string]: unknown;
      } | null;
      is_current: boolean;
      traffic_percentage: number;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
    };
    WorkflowTemplate: {
      id: string;
      name: string;
      description: string;
      industries: string[];
      /** @constant */
      format: "graph";
      /** @description The workflow graph: nodes keyed by id (see the README's workflow section). */
      graph: {
        [key: string]: unknown;
      };
      step_count: number;
      data_requirements: {
        [key: string]: unknown;
      };
    };
    VerificationPolicy: {
      name: string;
      category: string;
      description: string;
      requires: string[];
      auto_injected_in_verifa: boolean;
      outputs: string[];
      options: {
        [key: string]: unknown;
      }[];
    };
    List: {
      id: string;
      /** @constant */
      object: "list";
      name: string;
      /** @enum {string} */
      list_type:
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
      /** @enum {string} */
      match_mode: "block" | "flag" | "allow";
      description: string | null;
      item_count: number;
      is_active: boolean;
      archived_at: string | null;
      org_id: string;
      /** @enum {string} */
      environment: "sandbox" | "live";
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      updated_at: string;
      /** @description On GET /lists/{id}: the workflows whose checks use the list. */
      workflows?: {
        id: string;
        name: string;
        version: number;
      }[];
    };
    ListItem: {
      id: string;
      /** @constant */
      object: "list_item";
      list_id: string;
      /** @enum {string} */
      list_type:
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
      value: {
        [key: string]: unknown;
      };
      notes: string | null;
      created_by: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
    };
    ListMatch: {
      id: string;
      /** @constant */
      object: "list_match";
      session_id: string;
      list_id: string;
      item_id: string;
      /** @enum {string} */
      list_type:
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
      /** @enum {string} */
      match_mode: "block" | "flag" | "allow";
      matched_on: string;
      score: number;
      false_positive: boolean;
      false_positive_by: string | null;
      false_positive_at: string | null;
      false_positive_reason: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      updated_at: string;
    };
    WebhookEndpoint: {
      id: string;
      url: string;
      /** @enum {string} */
      environment: "sandbox" | "live";
      enabled: boolean;
      enabled_events: string[];
      label: string | null;
      description: string | null;
      attribute_blocklist: string[];
      event_filter_conditions: {
        [key: string]: unknown;
      } | null;
      api_version: string;
      /** @enum {string} */
      key_inflection: "snake" | "camel" | "kebab";
      consecutive_failures: number;
      disabled_reason: string | null;
      disabled_at: string | null;
      previous_secret_expires_at: string | null;
      cloned_from: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      updated_at: string;
      /** @description The whsec_ signing secret: on create, rotate and clone; on every read for sandbox endpoints. */
      secret?: string;
    };
    WebhookDelivery: {
      id: string;
      endpoint_id: string;
      event_id: string | null;
      event_type: string;
      session_id: string | null;
      idempotency_key: string;
      url: string;
      /** @enum {string} */
      status: "pending" | "retrying" | "succeeded" | "failed";
      attempts: number;
      next_attempt_at: string | null;
      last_status_code: number | null;
      last_error: string | null;
      is_test: boolean;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      completed_at: string | null;
    };
    WebhookDeliveryDetail: {
      id: string;
      endpoint_id: string;
      event_id: string | null;
      event_type: string;
      session_id: string | null;
      idempotency_key: string;
      url: string;
      /** @enum {string} */
      status: "pending" | "retrying" | "succeeded" | "failed";
      attempts: number;
      next_attempt_at: string | null;
      last_status_code: number | null;
      last_error: string | null;
      is_test: boolean;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      completed_at: string | null;
      attempt_log: {
        attempt: number;
        /**
         * Format: date-time
         * @example 2026-01-01T12:00:00.000Z
         */
        started_at: string;
        duration_ms: number | null;
        status_code: number | null;
        response_excerpt: string | null;
        error: string | null;
      }[];
    };
    ApiKey: {
      id: string;
      /** @enum {string} */
      type: "api-key" | "publishable-key";
      /** @enum {string} */
      environment: "sandbox" | "live";
      key_prefix: string;
      is_active: boolean;
      label: string | null;
      note: string | null;
      scopes: string[];
      api_version: string;
      /** @enum {string} */
      default_key_inflection: "snake" | "camel" | "kebab";
      allowed_ips: string[] | null;
      allowed_origins: string[] | null;
      rate_limit_per_minute: number;
      expires_at: string | null;
      last_used_at: string | null;
      revoked_at: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      updated_at: string;
    };
    CreatedApiKey: {
      id: string;
      /** @enum {string} */
      type: "api-key" | "publishable-key";
      /** @enum {string} */
      environment: "sandbox" | "live";
      key_prefix: string;
      is_active: boolean;
      label: string | null;
      note: string | null;
      scopes: string[];
      api_version: string;
      /** @enum {string} */
      default_key_inflection: "snake" | "camel" | "kebab";
      allowed_ips: string[] | null;
      allowed_origins: string[] | null;
      rate_limit_per_minute: number;
      expires_at: string | null;
      last_used_at: string | null;
      revoked_at: string | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      updated_at: string;
      /** @description The key itself: shown only in this response. */
      secret: string;
      warning: string;
    };
    Settings: {
      capture_token_ttl_minutes: number;
      image_url_expiry_seconds: number;
      api_pii_fields: string[] | null;
      data_retention_days: number | null;
      sensitive_data_retention_days: number | null;
      auto_redact_on_retention_expiry: boolean;
      risk_signal_actions: {
        [key: string]: string;
      };
      /** @description Retention reductions waiting out their 24 h, each with its effective_at. */
      pending_changes: {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    AuditEvent: {
      id: string;
      /** @constant */
      object: "audit_event";
      /** @description The action, dotted (`api.session.create`). */
      type: string;
      sequence_num: number;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      environment: ("sandbox" | "live") | null;
      actor: string;
      actor_type: string;
      actor_id: string;
      resource_type: string | null;
      resource_id: string | null;
      metadata: {
        [key: string]: unknown;
      };
      request_id: string | null;
      request_method: string | null;
      request_path: string | null;
      prev_hash: string;
      hash: string;
    };
    CaptureState: {
      session_id: string;
      status: string;
      is_sandbox: boolean;
      capture_open: boolean;
      expires_at: string | null;
      redirect_url: string | null;
      country: string | null;
      document_type: string | null;
      document_country: string | null;
      document_state: string | null;
      allowed_document_types: string[];
      requires_back: boolean;
      back_optional: boolean;
      selfie_required: boolean;
      user_info_fields: string[];
      prefill: {
        [key: string]: unknown;
      };
      steps_required: string[];
      steps_optional: string[];
      steps_completed: string[];
      missing_steps: string[];
      next_step: string | null;
      sandbox_presets: string[] | null;
    };
    CaptureUpload: {
      document: {
        id: string;
        doc_type: string;
        document_type: string | null;
        side: string | null;
        mime_type: string;
        width: number | null;
        height: number | null;
      };
      quality: {
        ok: boolean;
        warnings: string[];
        blur: unknown;
        glare: unknown;
        resolution: unknown;
        exposure: unknown;
      } | null;
      state: components["schemas"]["CaptureState"];
    };
    ListSessions200: {
      data: components["schemas"]["Session"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ResumeSession200: {
      id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      capture_url: string;
      expires_at: string | null;
      /** @description A PNG data URL of capture_url. */
      qr_code_data_url: string;
    };
    ExpireSession200: {
      id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      expired_at?: string;
    };
    GetSessionTags200: {
      id: string;
      tags: string[];
    };
    SimulateSession200: {
      id: string;
      action: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      /** @constant */
      simulated: true;
    };
    SubmitSession202: {
      id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
    };
    GetSessionRisk200: {
      session_id: string;
      risk_score: number;
      risk_level: string;
      signals: {
        [key: string]: unknown;
      }[];
      blocked_by: unknown[];
      ip_address: string | null;
      client_signals: unknown;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      assessed_at: string;
    };
    BulkRedactSessions200: {
      total: number;
      results: {
        session_id: string;
        status: string;
        documents_removed: number;
      }[];
    };
    RedactSession200: {
      /** @enum {string} */
      status: "deleted" | "already_redacted";
      session_id: string;
      documents_removed: number;
      retained?: {
        list_items: {
          [key: string]: unknown;
        }[];
        audit_log_rows: number;
      };
      message: string;
    };
    ExportSession200: {
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      exported_at: string;
      sensitive_data_expired: boolean;
      session: {
        id: string;
      } & {
        [key: string]: unknown;
      };
      result: unknown;
      documents: ({
        id: string;
        download_url: string;
      } & {
        [key: string]: unknown;
      })[];
    } & {
      [key: string]: unknown;
    };
    ReprocessSession202: {
      session_id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      message: string;
    };
    SubmitExternalDecision202: {
      session_id: string;
      decision: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
      message: string;
    };
    ReplayWorkflowRun200: {
      run_id: string;
      session_id: string;
      replayed: {
        attempt_id: string;
        node: string;
        policy: string;
        stored: {
          status: string;
          score: number | null;
        };
        replayed: {
          status: string;
          score: number | null;
        } | null;
        matches: boolean | null;
      }[];
      all_match: boolean;
    };
    ListVerifications200: {
      data: components["schemas"]["CheckAttempt"][];
    };
    ListPolicyAttempts200: {
      session_id: string;
      policy: string;
      attempts: components["schemas"]["CheckAttempt"][];
    };
    ListSessionDocuments200: {
      data: components["schemas"]["Document"][];
    };
    UploadSessionDocument201: {
      id: string;
      session_id: string;
      document_type:
        | ("passport" | "drivers_license" | "national_id" | "residence_permit" | "selfie" | "proof_of_address")
        | null;
      doc_type: string;
      side: string | null;
      mime_type: string;
      file_size_bytes: number;
      quality: {
        ok: boolean;
        warnings: string[];
        blur: unknown;
        glare: unknown;
        resolution: unknown;
        exposure: unknown;
      } | null;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
    };
    ListSessionListMatches200: {
      data: components["schemas"]["ListMatch"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ListResults200: {
      data: components["schemas"]["ResultSummary"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    CreateIdentity200: {
      id: string;
      /** @enum {string} */
      status: "pending" | "verified" | "rejected" | "failed" | "redacted" | "merged";
      session_count: number;
      is_sandbox: boolean;
      created_at: string | null;
      external_ref: string | null;
      latest_session_id: string | null;
      latest_result_id: string | null;
      face_match_passed: boolean | null;
      age_check_passed: boolean | null;
      extracted_age: number | null;
      rejection_reason: string | null;
      country: string | null;
      extracted_data: {
        [key: string]: unknown;
      };
      first_verified_at: string | null;
      last_verified_at: string | null;
      archived_at: string | null;
      tags: string[];
      custom_fields: {
        [key: string]: unknown;
      };
      is_flagged: boolean;
      flag_reason: string | null;
      flagged_at: string | null;
      flagged_by: string | null;
      legal_hold: boolean;
      merged_into: string | null;
      merged_at: string | null;
      redacted_at: string | null;
      updated_at: string | null;
      upserted: boolean;
    };
    CreateIdentity201: {
      id: string;
      /** @enum {string} */
      status: "pending" | "verified" | "rejected" | "failed" | "redacted" | "merged";
      session_count: number;
      is_sandbox: boolean;
      created_at: string | null;
      external_ref: string | null;
      latest_session_id: string | null;
      latest_result_id: string | null;
      face_match_passed: boolean | null;
      age_check_passed: boolean | null;
      extracted_age: number | null;
      rejection_reason: string | null;
      country: string | null;
      extracted_data: {
        [key: string]: unknown;
      };
      first_verified_at: string | null;
      last_verified_at: string | null;
      archived_at: string | null;
      tags: string[];
      custom_fields: {
        [key: string]: unknown;
      };
      is_flagged: boolean;
      flag_reason: string | null;
      flagged_at: string | null;
      flagged_by: string | null;
      legal_hold: boolean;
      merged_into: string | null;
      merged_at: string | null;
      redacted_at: string | null;
      updated_at: string | null;
      upserted: boolean;
    };
    ListIdentities200: {
      data: components["schemas"]["Identity"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    } | {
      data: components["schemas"]["Identity"][];
      pagination: {
        total: number;
        limit: number;
      };
      links: {
        next: string | null;
        prev: string | null;
      };
    };
    SearchIdentities200: {
      data: components["schemas"]["Identity"][];
    };
    PreviewIdentityMerge200: {
      primary: components["schemas"]["Identity"];
      secondaries: components["schemas"]["Identity"][];
      result: {
        [key: string]: unknown;
      };
      conflicting_fields: unknown[];
    };
    MergeIdentities200: {
      primary: components["schemas"]["Identity"];
      secondary: components["schemas"]["Identity"];
    } | {
      primary: components["schemas"]["Identity"];
      merged_count: number;
      merged_ids: string[];
    };
    RedactIdentity200: {
      id: string;
      /** @enum {string} */
      status: "pending" | "verified" | "rejected" | "failed" | "redacted" | "merged";
      redacted_at: string | null;
      already_redacted: boolean;
      sessions_redacted: number;
      retained: {
        list_items: {
          [key: string]: unknown;
        }[];
        audit_log_rows: number;
      };
    };
    ExportIdentity200: {
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      exported_at: string;
      identity: components["schemas"]["Identity"];
      sessions: ({
        session: {
          id: string;
        } & {
          [key: string]: unknown;
        };
      } & {
        [key: string]: unknown;
      })[];
      identity_links: unknown[];
      identity_relationships: unknown[];
      face_embeddings_count: number;
    };
    ListIdentitySessions200: {
      data: components["schemas"]["Session"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ListIdentityEvents200: {
      data: {
        id: string;
        type: string;
        identity_id: string | null;
        session_id: string | null;
        payload: unknown;
        /**
         * Format: date-time
         * @example 2026-01-01T12:00:00.000Z
         */
        created_at: string;
      }[];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ArchiveIdentity200: {
      id: string;
      /** @enum {string} */
      status: "pending" | "verified" | "rejected" | "failed" | "redacted" | "merged";
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      archived_at?: string;
    };
    AddIdentityTags200: {
      id: string;
      tags: string[];
    };
    ListCases200: {
      data: components["schemas"]["Case"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    CountCases200: {
      unassigned: number;
      mine: number;
      pending_second_review: number;
      escalated: number;
      all: number;
    };
    ApproveCase200: {
      id: string;
      session_id: string;
      identity_id: string | null;
      /** @enum {string} */
      status: "open" | "in_review" | "escalated" | "pending_second_review" | "approved" | "rejected";
      is_final: boolean;
      is_sandbox: boolean;
      source: string;
      priority: string;
      decision: string | null;
      reason_code: string | null;
      reason: string | null;
      assigned_to: string | null;
      claimed_at: string | null;
      claim_expires_at: string | null;
      last_activity_at: string | null;
      entered_review_at: string | null;
      /** @enum {string} */
      sla_status: "green" | "yellow" | "red";
      sla_elapsed_seconds: number;
      escalated_to: string | null;
      escalated_by: string | null;
      escalated_at: string | null;
      escalation_reason: string | null;
      first_decision: string | null;
      first_reason_code: string | null;
      first_reviewer: string | null;
      first_decided_at: string | null;
      decided_by: string | null;
      decided_at: string | null;
      metadata: {
        [key: string]: unknown;
      };
      custom_fields: {
        [key: string]: unknown;
      };
      created_at: string | null;
      updated_at: string | null;
      /** @description False while a second reviewer's decision is still needed (dual review). */
      final: boolean;
      blocked?: unknown;
    };
    ListCaseNotes200: {
      data: components["schemas"]["CaseNote"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    CorrectCasePii200: {
      case_id: string;
      corrected_fields: string[];
      result: components["schemas"]["Result"];
    };
    OverrideCaseCheck200: {
      id: string;
      session_id: string;
      identity_id: string | null;
      /** @enum {string} */
      status: "open" | "in_review" | "escalated" | "pending_second_review" | "approved" | "rejected";
      is_final: boolean;
      is_sandbox: boolean;
      source: string;
      priority: string;
      decision: string | null;
      reason_code: string | null;
      reason: string | null;
      assigned_to: string | null;
      claimed_at: string | null;
      claim_expires_at: string | null;
      last_activity_at: string | null;
      entered_review_at: string | null;
      /** @enum {string} */
      sla_status: "green" | "yellow" | "red";
      sla_elapsed_seconds: number;
      escalated_to: string | null;
      escalated_by: string | null;
      escalated_at: string | null;
      escalation_reason: string | null;
      first_decision: string | null;
      first_reason_code: string | null;
      first_reviewer: string | null;
      first_decided_at: string | null;
      decided_by: string | null;
      decided_at: string | null;
      metadata: {
        [key: string]: unknown;
      };
      custom_fields: {
        [key: string]: unknown;
      };
      created_at: string | null;
      updated_at: string | null;
      overridden_check: {
        policy: string;
        original_status: string;
        /** @constant */
        status: "passed";
      };
      remaining_failed_checks: string[];
      continued_to: string | null;
    };
    ListWorkflows200: {
      data: components["schemas"]["Workflow"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ListWorkflowTemplates200: {
      data: components["schemas"]["WorkflowTemplate"][];
    };
    ValidateWorkflow200: {
      valid: boolean;
      errors: {
        [key: string]: string;
      };
      step_count: number | null;
      data_requirements: {
        [key: string]: unknown;
      } | null;
    };
    ListWorkflowVersions200: {
      data: components["schemas"]["WorkflowVersion"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    TriggerWorkflow202: {
      session_id: string;
      workflow_id: string;
      /** @enum {string} */
      status:
        | "pending"
        | "capturing"
        | "processing"
        | "completed"
        | "expired"
        | "failed"
        | "awaiting_external"
        | "under_review"
        | "sandbox_pending";
    };
    /** @description The walk's outcome: each node's result and the status the workflow would reach. */
    DryRunWorkflow200: {
      /** @constant */
      dry_run: true;
      session_id: string;
    } & {
      [key: string]: unknown;
    };
    DryRunWorkflow202: {
      id: string;
      /** @constant */
      dry_run: true;
      session_id: string;
      /** @enum {string} */
      status: "queued" | "running";
    };
    ListVerificationPolicies200: {
      data: components["schemas"]["VerificationPolicy"][];
    };
    ListLists200: {
      data: components["schemas"]["List"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    CheckListSubject200: {
      data: {
        list_id: string;
        list_name: string;
        /** @enum {string} */
        list_type:
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
        /** @enum {string} */
        match_mode: "block" | "flag" | "allow";
        item_id: string;
        matched_on: string;
        score: number;
      }[];
      total_matches: number;
    };
    ListListItems200: {
      data: components["schemas"]["ListItem"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    AddListItems201: {
      data: components["schemas"]["ListItem"][];
      added: number;
      /** @description Values already on the list, or repeated in the batch. */
      duplicates: number;
    };
    DeleteListItem200: {
      id: string;
      /** @constant */
      object: "list_item";
      /** @constant */
      deleted: true;
    };
    ListWebhookEventTypes200: {
      data: {
        /** @enum {string} */
        type:
          | "session.created"
          | "session.started"
          | "session.expired"
          | "session.approved"
          | "session.declined"
          | "session.requires-review"
          | "session.resubmission-required"
          | "session.awaiting_external"
          | "session.redacted"
          | "session.retention-expired"
          | "identity.created"
          | "identity.updated"
          | "identity.flagged"
          | "identity.archived"
          | "identity.restored"
          | "identity.tag-added"
          | "identity.tag-removed"
          | "case.created"
          | "case.approved"
          | "case.rejected"
          | "case.escalated"
          | "webhook.test";
        description: string;
      }[];
    };
    ListWebhookEndpoints200: {
      data: components["schemas"]["WebhookEndpoint"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    DeleteWebhookEndpoint200: {
      id: string;
      /** @constant */
      deleted: true;
    };
    TestWebhookEndpoint200: {
      success: boolean;
      http_status: number | null;
      error: string | null;
      url: string;
      delivery_id: string;
    };
    ListEndpointDeliveries200: {
      data: components["schemas"]["WebhookDelivery"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ListWebhookDeliveries200: {
      data: components["schemas"]["WebhookDelivery"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ListApiKeys200: {
      data: components["schemas"]["ApiKey"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    ExpireApiKey200: {
      id: string;
      /** @constant */
      expired: true;
    };
    ListAuditEvents200: {
      data: components["schemas"]["AuditEvent"][];
      pagination: {
        total: number;
        limit: number;
        offset: number;
      };
    };
    SubmitCaptureSignals200: {
      accepted: string[];
    };
    ChooseSandboxOutcome200: {
      session_id: string;
      status: string;
      preset: string;
      redirect_url: string | null;
    };
    GetOpenApiDocument200: {
      /** @constant */
      openapi: "3.1.0";
    } & {
      [key: string]: unknown;
    };
    SessionCreatedEvent: {
      /** @constant */
      event: "session.created";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
    };
    SessionStartedEvent: {
      /** @constant */
      event: "session.started";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
    };
    SessionExpiredEvent: {
      /** @constant */
      event: "session.expired";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
    };
    SessionApprovedEvent: {
      /** @constant */
      event: "session.approved";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      result?: {
        status: string;
        face_match_passed: boolean | null;
        face_match_score: number | null;
        age_check_passed: boolean | null;
        extracted_age: number | null;
        /** @description Filtered by api_pii_fields; an endpoint's attribute_blocklist removes more. */
        extracted_data: {
          [key: string]: unknown;
        };
        rejection_reason: string | null;
        rejection_reason_code: string | null;
      };
    };
    SessionDeclinedEvent: {
      /** @constant */
      event: "session.declined";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      result?: {
        status: string;
        face_match_passed: boolean | null;
        face_match_score: number | null;
        age_check_passed: boolean | null;
        extracted_age: number | null;
        /** @description Filtered by api_pii_fields; an endpoint's attribute_blocklist removes more. */
        extracted_data: {
          [key: string]: unknown;
        };
        rejection_reason: string | null;
        rejection_reason_code: string | null;
      };
    };
    SessionRequiresReviewEvent: {
      /** @constant */
      event: "session.requires-review";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      result?: {
        status: string;
        face_match_passed: boolean | null;
        face_match_score: number | null;
        age_check_passed: boolean | null;
        extracted_age: number | null;
        /** @description Filtered by api_pii_fields; an endpoint's attribute_blocklist removes more. */
        extracted_data: {
          [key: string]: unknown;
        };
        rejection_reason: string | null;
        rejection_reason_code: string | null;
      };
    };
    SessionResubmissionRequiredEvent: {
      /** @constant */
      event: "session.resubmission-required";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      result?: {
        status: string;
        face_match_passed: boolean | null;
        face_match_score: number | null;
        age_check_passed: boolean | null;
        extracted_age: number | null;
        /** @description Filtered by api_pii_fields; an endpoint's attribute_blocklist removes more. */
        extracted_data: {
          [key: string]: unknown;
        };
        rejection_reason: string | null;
        rejection_reason_code: string | null;
      };
    };
    SessionAwaiting_externalEvent: {
      /** @constant */
      event: "session.awaiting_external";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
    };
    SessionRedactedEvent: {
      /** @constant */
      event: "session.redacted";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
    };
    SessionRetentionExpiredEvent: {
      /** @constant */
      event: "session.retention-expired";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityCreatedEvent: {
      /** @constant */
      event: "identity.created";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityUpdatedEvent: {
      /** @constant */
      event: "identity.updated";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityFlaggedEvent: {
      /** @constant */
      event: "identity.flagged";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityArchivedEvent: {
      /** @constant */
      event: "identity.archived";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityRestoredEvent: {
      /** @constant */
      event: "identity.restored";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityTagAddedEvent: {
      /** @constant */
      event: "identity.tag-added";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description With the change's own fields (`changed`, `tags`, `source`, `flagged_by`). */
    IdentityTagRemovedEvent: {
      /** @constant */
      event: "identity.tag-removed";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      identity_id: string;
    } & {
      [key: string]: unknown;
    };
    /** @description `status` is the case's; escalations add who and why. */
    CaseCreatedEvent: {
      /** @constant */
      event: "case.created";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      case_id: string;
      decision: string | null;
      reason_code: string | null;
    } & {
      [key: string]: unknown;
    };
    /** @description `status` is the case's; escalations add who and why. */
    CaseApprovedEvent: {
      /** @constant */
      event: "case.approved";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      case_id: string;
      decision: string | null;
      reason_code: string | null;
    } & {
      [key: string]: unknown;
    };
    /** @description `status` is the case's; escalations add who and why. */
    CaseRejectedEvent: {
      /** @constant */
      event: "case.rejected";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      case_id: string;
      decision: string | null;
      reason_code: string | null;
    } & {
      [key: string]: unknown;
    };
    /** @description `status` is the case's; escalations add who and why. */
    CaseEscalatedEvent: {
      /** @constant */
      event: "case.escalated";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      session_id: string;
      external_ref: string | null;
      /** @description The session's status; for a decision event, the decision. */
      status: string;
      identity_id: string | null;
      case_id: string;
      decision: string | null;
      reason_code: string | null;
    } & {
      [key: string]: unknown;
    };
    WebhookTestEvent: {
      /** @constant */
      event: "webhook.test";
      /** @description Stable across retries: deduplicate on it. */
      idempotency_key: string;
      /**
       * Format: date-time
       * @example 2026-01-01T12:00:00.000Z
       */
      created_at: string;
      is_sandbox: boolean;
      message: string;
    };
    CreateSessionRequest: {
      external_ref?: string | null;
      country?: string | null;
      workflow_id?: string | null;
      metadata?: unknown;
      redirect_url?: string | null;
      checks?: string[] | null;
      fields?: components["schemas"]["SubmitCaptureFieldsRequest"];
      send_email?: boolean;
      applicant_email?: string | null;
      applicant_name?: string | null;
    };
    UpdateSessionRequest: {
      external_ref?: string | null;
      metadata?: unknown;
      legal_hold?: unknown;
      legal_hold_reason?: unknown;
    };
    HoldSessionRequest: {
      reason?: string;
    };
    ReleaseSessionHoldRequest: {
      reason: string;
    };
    AddSessionTagRequest: {
      tag: string;
    };
    SetSessionTagsRequest: {
      tags: string[];
    };
    SimulateSessionRequest: {
      action: string;
    };
    BulkRedactSessionsRequest: {
      session_ids: string[];
    };
    SubmitExternalDecisionRequest: {
      /** @enum {string} */
      decision: "continue" | "fail" | "reject";
      metadata?: {
        [key: string]: unknown;
      };
    };
    UploadSessionDocumentRequest: {
      /** @enum {string} */
      document_type:
        | "passport"
        | "drivers_license"
        | "national_id"
        | "residence_permit"
        | "selfie"
        | "proof_of_address";
      /** @enum {string} */
      side?: "front" | "back";
      poa_document_type?: string;
      /** Format: date */
      poa_document_date?: string;
      /** Format: binary */
      file: string;
    };
    MarkListMatchFalsePositiveRequest: {
      reason: string;
    };
    CreateIdentityRequest: {
      external_ref: string;
      upsert?: boolean;
    };
    SearchIdentitiesRequest: {
      /** Format: email */
      email?: string;
      phone?: string;
      document_number?: string;
      first_name?: string;
      last_name?: string;
      date_of_birth?: string;
      limit?: number;
    };
    PreviewIdentityMergeRequest: {
      primary_identity_id: string;
      secondary_identity_id?: string;
      secondary_identity_ids?: string[];
      redact_secondary?: boolean;
    };
    UpdateIdentityRequest: {
      external_ref?: string;
      /** @enum {string} */
      status?: "pending" | "verified" | "rejected" | "failed";
      first_name?: string | null;
      middle_name?: string | null;
      last_name?: string | null;
      date_of_birth?: string | null;
      document_number?: string | null;
      document_type?: string | null;
      ssn?: string | null;
      nationality?: string | null;
      gender?: string | null;
      email?: string | null;
      phone?: string | null;
      address_line1?: string | null;
      address_line2?: string | null;
      city?: string | null;
      state?: string | null;
      zip_code?: string | null;
      country?: string | null;
      custom_fields?: {
        [key: string]: unknown;
      };
      legal_hold?: unknown;
    };
    FlagIdentityRequest: {
      reason: string;
    };
    AddIdentityTagsRequest: {
      tags?: string[];
      tag?: string;
    };
    CreateCaseRequest: {
      session_id: string;
      /** @enum {string} */
      priority?: "low" | "normal" | "high" | "urgent";
      metadata?: unknown;
      custom_fields?: unknown;
      reviewer_id?: string;
    };
    ClaimNextCaseRequest: {
      reviewer_id?: string;
    };
    UpdateCaseRequest: {
      metadata?: unknown;
      custom_fields?: unknown;
      /** @enum {string} */
      priority?: "low" | "normal" | "high" | "urgent";
      reviewer_id?: string;
    };
    AssignCaseRequest: {
      reviewer_id: string;
      assigned_by?: string;
    };
    EscalateCaseRequest: {
      reviewer_id?: string;
      escalated_to: string;
      reason: string;
      notes?: string;
    };
    ApproveCaseRequest: {
      reviewer_id?: string;
      reason?: string;
    };
    RejectCaseRequest: {
      reviewer_id?: string;
      /** @enum {string} */
      reason_code:
        | "document_fraudulent"
        | "document_expired"
        | "document_unreadable"
        | "face_mismatch"
        | "liveness_failed"
        | "underage"
        | "watchlist_match"
        | "duplicate_identity"
        | "data_mismatch"
        | "suspected_fraud"
        | "other";
      reason?: string;
      add_to_blocklist?: boolean;
    };
    AddCaseNoteRequest: {
      reviewer_id?: string;
      text: string;
    };
    CorrectCasePiiRequest: {
      reviewer_id?: string;
      extracted_data: {
        first_name?: string | null;
        middle_name?: string | null;
        last_name?: string | null;
        date_of_birth?: string | null;
        address?: {
          line1?: string | null;
          line2?: string | null;
          city?: string | null;
          state?: string | null;
          zip?: string | null;
          country?: string | null;
        } | null;
        document_number?: string | null;
        nationality?: string | null;
        gender?: string | null;
        ssn?: string | null;
        document_type?: string | null;
        document_expiration_date?: string | null;
        document_issuing_state?: string | null;
        document_issuing_country?: string | null;
      };
      reason?: string;
    };
    OverrideCaseCheckRequest: {
      reviewer_id?: string;
      policy: string;
      reason: string;
    };
    CreateWorkflowRequest: {
      name?: string;
      description?: string | null;
      template?: string;
      is_default?: boolean;
      graph?: unknown;
      steps?: unknown;
      data_requirements?: unknown;
    };
    ValidateWorkflowRequest: {
      graph?: unknown;
      steps?: unknown;
      data_requirements?: unknown;
    };
    UpdateWorkflowRequest: {
      name?: string;
      description?: string | null;
      is_default?: boolean;
      rollout_percentage?: number;
      graph?: unknown;
      steps?: unknown;
      data_requirements?: unknown;
    };
    TriggerWorkflowRequest: {
      session_id: string;
    };
    DryRunWorkflowRequest: {
      session_id: string;
      graph?: unknown;
      workflow_id?: string;
    };
    CreateListRequest: {
      name: string;
      description?: string | null;
      /** @enum {string} */
      match_mode?: "block" | "flag" | "allow";
      /** @enum {string} */
      list_type:
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
    };
    CheckListSubjectRequest: {
      subject_data: {
        [key: string]: unknown;
      };
      list_ids?: string[];
    };
    UpdateListRequest: {
      name?: string;
      description?: string | null;
      /** @enum {string} */
      match_mode?: "block" | "flag" | "allow";
      is_active?: boolean;
    };
    AddListItemRequest: {
      /** @description The value's shape follows the list's type: name, email, phone, ip_address, government_id, country, geolocation, face or string. */
      value: {
        first_name: string;
        last_name: string;
        date_of_birth?: string;
      } | {
        email: string;
        match_domain_only?: boolean;
      } | {
        phone: string;
      } | {
        ip: string;
      } | {
        id_number: string;
        id_class?: string;
      } | {
        country_code: string;
      } | {
        latitude: number;
        longitude: number;
        radius_meters: number;
      } | {
        fingerprint_hash: string;
      } | {
        embedding: number[];
        /** Format: uri */
        image_url?: string;
      } | {
        value: string;
      };
      notes?: string | null;
    };
    AddListItemsRequest: {
      items: components["schemas"]["AddListItemRequest"][];
    };
    ImportListItemsRequest: string;
    ImportListItemsUpload: {
      /** Format: binary */
      file: string;
    };
    CreateWebhookEndpointRequest: {
      url: string;
      label?: string | null;
      description?: string | null;
      enabled_events?: string[];
      attribute_blocklist?: string[];
      event_filter_conditions?: {
        [key: string]: (string | number | boolean | null) | (string | number | boolean | null)[];
      };
      /** @enum {string} */
      api_version?: "2026-01-01" | "2026-02-01";
      /** @enum {string} */
      key_inflection?: "snake" | "camel" | "kebab";
    };
    UpdateWebhookEndpointRequest: {
      url?: string;
      label?: string | null;
      description?: string | null;
      enabled_events?: string[];
      attribute_blocklist?: string[];
      event_filter_conditions?: {
        [key: string]: (string | number | boolean | null) | (string | number | boolean | null)[];
      };
      /** @enum {string} */
      api_version?: "2026-01-01" | "2026-02-01";
      /** @enum {string} */
      key_inflection?: "snake" | "camel" | "kebab";
      enabled?: boolean;
    };
    CreateApiKeyRequest: {
      label?: string | null;
      note?: string | null;
      scopes?: string[];
      /** @enum {string} */
      api_version?: "2026-01-01" | "2026-02-01";
      /** @enum {string} */
      default_key_inflection?: "snake" | "camel" | "kebab";
      allowed_ips?: string[] | null;
      allowed_origins?: string[] | null;
      expires_at?: string | null;
      /** @enum {string} */
      environment?: "sandbox" | "live";
      /** @enum {string} */
      type?: "secret" | "publishable";
    };
    UpdateApiKeyRequest: {
      label?: string | null;
      note?: string | null;
      scopes?: string[];
      /** @enum {string} */
      api_version?: "2026-01-01" | "2026-02-01";
      /** @enum {string} */
      default_key_inflection?: "snake" | "camel" | "kebab";
      allowed_ips?: string[] | null;
      allowed_origins?: string[] | null;
      expires_at?: string | null;
    };
    UpdateSettingsRequest: {
      capture_token_ttl_minutes?: number | null;
      image_url_expiry_seconds?: number | null;
      api_pii_fields?:
        | (
          | "first_name"
          | "middle_name"
          | "last_name"
          | "date_of_birth"
          | "address"
          | "document_number"
          | "nationality"
          | "gender"
          | "ssn"
          | "document_type"
          | "document_expiration_date"
          | "document_issuing_state"
          | "document_issuing_country"
        )[]
        | null;
      data_retention_days?: number | null;
      sensitive_data_retention_days?: number | null;
      auto_redact_on_retention_expiry?: boolean | null;
      risk_signal_actions?: {
        [key: string]: ("ignore" | "flag" | "block") | null;
      } | null;
      dual_review?: boolean | null;
      confirm_retention_reduction?: boolean;
    };
    RecordConsentRequest: {
      consent_version: string;
      /** @constant */
      accepted: true;
    };
    ChooseDocumentTypeRequest: {
      /** @enum {string} */
      document_type: "passport" | "drivers_license" | "national_id" | "residence_permit";
      country: string;
      state?: string | null;
    };
    UploadCaptureDocumentRequest: {
      /** Format: binary */
      file: string;
      /** @enum {string} */
      side: "front" | "back";
    };
    UploadCaptureSelfieRequest: {
      /** Format: binary */
      file: string;
    };
    SubmitCaptureFieldsRequest: {
      first_name?: string;
      middle_name?: string;
      last_name?: string;
      date_of_birth?: string;
      /** Format: email */
      email?: string;
      phone?: string;
      document_number?: string;
      nationality?: string;
      gender?: string;
      ssn?: string;
      address?: {
        line1?: string;
        line2?: string;
        city?: string;
        state?: string;
        zip?: string;
        country?: string;
      };
    };
    SubmitCaptureSignalsRequest: {
      behavioral?: {
        [key: string]: unknown;
      };
      device?: {
        [key: string]: unknown;
      };
      network?: {
        [key: string]: unknown;
      };
      integrity?: {
        [key: string]: unknown;
      };
    };
    ChooseSandboxOutcomeRequest: {
      outcome?: string;
      preset?: string;
    };
  };
  responses: {
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`, `invalid_json`. */
    Error400_1: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_idempotency_key"
            | "invalid_json";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `unauthorized`. */
    Error401_2: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "unauthorized";
          /** @constant */
          status_code?: 401;
        };
      };
    };
    /** @description Error: `insufficient_scope`, `ip_not_allowed`, `origin_not_allowed`. */
    Error403_3: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "insufficient_scope" | "ip_not_allowed" | "origin_not_allowed";
          /** @constant */
          status_code?: 403;
        };
      };
    };
    /** @description Error: `not_found`. */
    Error404_4: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "not_found";
          /** @constant */
          status_code?: 404;
        };
      };
    };
    /** @description Error: `idempotency_in_progress`. */
    Error409_5: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_in_progress";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `payload_too_large`. */
    Error413_6: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "payload_too_large";
          /** @constant */
          status_code?: 413;
        };
      };
    };
    /** @description Error: `unsupported_media_type`. */
    Error415_7: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "unsupported_media_type";
          /** @constant */
          status_code?: 415;
        };
      };
    };
    /** @description Error: `idempotency_mismatch`, `validation_error`. */
    Error422_8: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_mismatch" | "validation_error";
          /** @constant */
          status_code?: 422;
        };
      };
    };
    /** @description Error: `rate_limited`. */
    Error429_9: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        "Retry-After": components["headers"]["Retry-After"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "rate_limited";
          /** @constant */
          status_code?: 429;
        };
      };
    };
    /** @description Error: `internal_error`. */
    Error500_10: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "internal_error";
          /** @constant */
          status_code?: 500;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`. */
    Error400_11: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "invalid_key_inflection" | "unsupported_version";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_json`, `invalid_session_state`. */
    Error400_12: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_json"
            | "invalid_session_state";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `conflict`. */
    Error409_13: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "conflict";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `validation_error`. */
    Error422_14: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "validation_error";
          /** @constant */
          status_code?: 422;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`, `invalid_session_state`. */
    Error400_15: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_idempotency_key"
            | "invalid_session_state";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `idempotency_mismatch`. */
    Error422_16: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_mismatch";
          /** @constant */
          status_code?: 422;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`, `invalid_json`, `invalid_session_state`. */
    Error400_17: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_idempotency_key"
            | "invalid_json"
            | "invalid_session_state";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `idempotency_in_progress`, `conflict`. */
    Error409_18: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_in_progress" | "conflict";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_json`. */
    Error400_19: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "invalid_key_inflection" | "unsupported_version" | "invalid_json";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `insufficient_scope`, `ip_not_allowed`, `origin_not_allowed`, `sandbox_only`. */
    Error403_20: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "insufficient_scope" | "ip_not_allowed" | "origin_not_allowed" | "sandbox_only";
          /** @constant */
          status_code?: 403;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`, `invalid_session_state`, `capture_incomplete`. */
    Error400_21: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_idempotency_key"
            | "invalid_session_state"
            | "capture_incomplete";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_session_state`. */
    Error400_22: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "invalid_key_inflection" | "unsupported_version" | "invalid_session_state";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `legal_hold`, `conflict`. */
    Error409_23: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "legal_hold" | "conflict";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `service_unavailable`. */
    Error503_24: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "service_unavailable";
          /** @constant */
          status_code?: 503;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`. */
    Error400_25: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "invalid_key_inflection" | "unsupported_version" | "invalid_idempotency_key";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `idempotency_in_progress`, `invalid_session_state`. */
    Error409_26: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_in_progress" | "invalid_session_state";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `sensitive_data_expired`. */
    Error410_27: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "sensitive_data_expired";
          /** @constant */
          status_code?: 410;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`, `bad_request`, `invalid_session_state`, `unsupported_media_type`, `file_too_large`, `image_too_small`, `image_unreadable`. */
    Error400_28: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_idempotency_key"
            | "bad_request"
            | "invalid_session_state"
            | "unsupported_media_type"
            | "file_too_large"
            | "image_too_small"
            | "image_unreadable";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`. */
    Error400_29: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `forbidden`. */
    Error403_30: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "forbidden";
          /** @constant */
          status_code?: 403;
        };
      };
    };
    /** @description Error: `idempotency_in_progress`, `conflict`, `legal_hold`. */
    Error409_31: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_in_progress" | "conflict" | "legal_hold";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `insufficient_scope`, `ip_not_allowed`, `origin_not_allowed`, `forbidden`. */
    Error403_32: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "insufficient_scope" | "ip_not_allowed" | "origin_not_allowed" | "forbidden";
          /** @constant */
          status_code?: 403;
        };
      };
    };
    /** @description Error: `idempotency_in_progress`, `conflict`, `invalid_session_state`. */
    Error409_33: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "idempotency_in_progress" | "conflict" | "invalid_session_state";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `invalid_session_state`. */
    Error409_34: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_session_state";
          /** @constant */
          status_code?: 409;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `invalid_key_inflection`, `unsupported_version`, `invalid_idempotency_key`, `bad_request`. */
    Error400_35: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "invalid_key_inflection"
            | "unsupported_version"
            | "invalid_idempotency_key"
            | "bad_request";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `insufficient_scope`, `ip_not_allowed`, `origin_not_allowed`, `live_key_required`. */
    Error403_36: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "insufficient_scope" | "ip_not_allowed" | "origin_not_allowed" | "live_key_required";
          /** @constant */
          status_code?: 403;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`. */
    Error400_37: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "token_expired";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`, `invalid_json`. */
    Error400_38: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "token_expired" | "invalid_json";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`, `invalid_json`, `consent_required`, `step_out_of_order`. */
    Error400_39: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "token_expired" | "invalid_json" | "consent_required" | "step_out_of_order";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`, `bad_request`, `unsupported_media_type`, `file_too_large`, `image_too_small`, `image_unreadable`, `consent_required`, `step_out_of_order`. */
    Error400_40: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "token_expired"
            | "bad_request"
            | "unsupported_media_type"
            | "file_too_large"
            | "image_too_small"
            | "image_unreadable"
            | "consent_required"
            | "step_out_of_order";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`, `invalid_json`, `consent_required`. */
    Error400_41: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "token_expired" | "invalid_json" | "consent_required";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`, `consent_required`, `capture_incomplete`. */
    Error400_42: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?: "invalid_parameter" | "token_expired" | "consent_required" | "capture_incomplete";
          /** @constant */
          status_code?: 400;
        };
      };
    };
    /** @description Error: `invalid_parameter`, `token_expired`, `invalid_json`, `sandbox_only`, `consent_required`, `step_out_of_order`. */
    Error400_43: {
      headers: {
        "X-Request-Id": components["headers"]["X-Request-Id"];
        [name: string]: unknown;
      };
      content: {
        "application/json": components["schemas"]["ErrorBody"] & {
          /** @enum {unknown} */
          error?:
            | "invalid_parameter"
            | "token_expired"
            | "invalid_json"
            | "sandbox_only"
            | "consent_required"
            | "step_out_of_order";
          /** @constant */
          status_code?: 400;
        };
      };
    };
  };
  parameters: {
    /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
    KeyInflection: "snake" | "camel" | "kebab";
    /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
    VerifaVersion: "2026-01-01" | "2026-02-01";
    /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
    IdempotencyKey: string;
  };
  requestBodies: never;
  headers: {
    /** @description Quote it when reporting a problem. */
    "X-Request-Id": string;
    /** @description Seconds until the rate-limit window resets. */
    "Retry-After": number;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listSessions: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Only sessions in these statuses. Repeat it, or separate values with commas. */
        status?: (
          | "pending"
          | "capturing"
          | "processing"
          | "completed"
          | "expired"
          | "failed"
          | "awaiting_external"
          | "under_review"
          | "sandbox_pending"
        )[];
        /** @description Search by id or external_ref. */
        q?: string;
        /** @description Only sessions with this external_ref. */
        external_ref?: string;
        /** @description Created at or after (ISO 8601 date or time). */
        created_after?: string;
        /** @description Created before (ISO 8601 date or time). */
        created_before?: string;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of sessions. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListSessions200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateSessionRequest"];
      };
    };
    responses: {
      /** @description The session, with its capture URL and QR code. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreatedSession"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Session"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateSessionRequest"];
      };
    };
    responses: {
      /** @description The updated session. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Session"];
        };
      };
      400: components["responses"]["Error400_12"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  resumeSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session is pending again, with a new capture token. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ResumeSession200"];
        };
      };
      400: components["responses"]["Error400_15"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  holdSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["HoldSessionRequest"];
      };
    };
    responses: {
      /** @description The held session. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Session"];
        };
      };
      400: components["responses"]["Error400_17"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  releaseSessionHold: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ReleaseSessionHoldRequest"];
      };
    };
    responses: {
      /** @description The released session. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Session"];
        };
      };
      400: components["responses"]["Error400_17"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  expireSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The expired session. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ExpireSession200"];
        };
      };
      400: components["responses"]["Error400_15"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getSessionTags: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetSessionTags200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  setSessionTags: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["SetSessionTagsRequest"];
      };
    };
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetSessionTags200"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  addSessionTag: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddSessionTagRequest"];
      };
    };
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetSessionTags200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  removeSessionTag: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
        /** @description The tag to remove. */
        tag: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetSessionTags200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  simulateSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["SimulateSessionRequest"];
      };
    };
    responses: {
      /** @description The session after the simulated outcome. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SimulateSession200"];
        };
      };
      400: components["responses"]["Error400_17"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_20"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  submitSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: processing starts. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SubmitSession202"];
        };
      };
      400: components["responses"]["Error400_21"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getSessionRisk: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The risk score, its level and the signals behind it. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetSessionRisk200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getSessionResult: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The decision. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Result"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  bulkRedactSessions: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["BulkRedactSessionsRequest"];
      };
    };
    responses: {
      /** @description One result per session id. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["BulkRedactSessions200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  redactSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The erasure receipt (`retained` is present when something was erased). */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RedactSession200"];
        };
      };
      400: components["responses"]["Error400_22"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_23"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  exportSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Everything held about the applicant of this session, with 24 h download URLs. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ExportSession200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  reprocessSession: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: the session is processing. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ReprocessSession202"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_26"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  submitExternalDecision: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["SubmitExternalDecisionRequest"];
      };
    };
    responses: {
      /** @description Accepted: the worker applies the decision. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SubmitExternalDecision202"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_26"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getWorkflowRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The run, node by node. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkflowRun"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  replayWorkflowRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Each settled attempt, stored and replayed. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ReplayWorkflowRun200"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listVerifications: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The attempts. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListVerifications200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listPolicyAttempts: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
        /** @description A verification policy name (GET /api/v1/verification-policies). */
        policy: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The attempts, oldest first. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListPolicyAttempts200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listSessionDocuments: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The documents. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListSessionDocuments200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      410: components["responses"]["Error410_27"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  uploadSessionDocument: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "multipart/form-data": components["schemas"]["UploadSessionDocumentRequest"];
      };
    };
    responses: {
      /** @description The stored document and its quality feedback. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UploadSessionDocument201"];
        };
      };
      400: components["responses"]["Error400_28"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  downloadSessionDocument: {
    parameters: {
      query?: {
        /** @description Unix time the URL expires at. */
        expires?: string;
        /** @description The URL's HMAC signature. */
        sig?: string;
        /** @description The thumbnail instead of the full image. */
        variant?: "full" | "thumb";
      };
      header?: never;
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
        /** @description The document slot (`id_front`, `id_back`, `selfie`, …). */
        slot: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The document bytes (a PDF is served as an attachment). */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "*/*": string;
        };
      };
      400: components["responses"]["Error400_29"];
      403: components["responses"]["Error403_30"];
      404: components["responses"]["Error404_4"];
      410: components["responses"]["Error410_27"];
      500: components["responses"]["Error500_10"];
    };
  };
  listSessionListMatches: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of matches. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListSessionListMatches200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  markListMatchFalsePositive: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        id: string;
        /** @description The match id. */
        match_id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["MarkListMatchFalsePositiveRequest"];
      };
    };
    responses: {
      /** @description The match. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListMatch"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listResults: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Only results with these statuses. Repeat it, or separate values with commas. */
        status?: ("approved" | "rejected" | "needs_review")[];
        /** @description Created at or after (ISO 8601 date or time). */
        created_after?: string;
        /** @description Created before (ISO 8601 date or time). */
        created_before?: string;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of results. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListResults200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getResult: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The session id (`ses_…`). */
        sessionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The result. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["NestedResult"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listIdentities: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Cursor page size. */
        "page[size]"?: number;
        /** @description The page after this identity id. */
        "page[after]"?: string;
        /** @description The page before this identity id. */
        "page[before]"?: string;
        /** @description Only identities in these statuses. Repeat it, or separate values with commas. */
        status?: ("pending" | "verified" | "rejected" | "failed" | "redacted" | "merged")[];
        /** @description Search by id or external_ref. */
        q?: string;
        /** @description Include archived identities. */
        include_archived?: "true" | "false";
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of identities: offset pagination, or cursor links with page[…]. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListIdentities200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateIdentityRequest"];
      };
    };
    responses: {
      /** @description With upsert: the existing identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreateIdentity200"];
        };
      };
      /** @description The new identity. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreateIdentity201"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  searchIdentities: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["SearchIdentitiesRequest"];
      };
    };
    responses: {
      /** @description The matches. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SearchIdentities200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  previewIdentityMerge: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PreviewIdentityMergeRequest"];
      };
    };
    responses: {
      /** @description The identities and the merged result. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PreviewIdentityMerge200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_31"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  mergeIdentities: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PreviewIdentityMergeRequest"];
      };
    };
    responses: {
      /** @description The primary and what was merged into it. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MergeIdentities200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_31"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  redactIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The erasure, and what it keeps on purpose. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RedactIdentity200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_23"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateIdentityRequest"];
      };
    };
    responses: {
      /** @description The identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  exportIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The identity and each of its sessions' exports. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ExportIdentity200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  listIdentitySessions: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of sessions. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListIdentitySessions200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listIdentityEvents: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of events. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListIdentityEvents200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  archiveIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Archived. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ArchiveIdentity200"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  restoreIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  unflagIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  flagIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["FlagIdentityRequest"];
      };
    };
    responses: {
      /** @description The identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  holdIdentity: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["HoldSessionRequest"];
      };
    };
    responses: {
      /** @description The held identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  releaseIdentityHold: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ReleaseSessionHoldRequest"];
      };
    };
    responses: {
      /** @description The released identity. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Identity"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  addIdentityTags: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddIdentityTagsRequest"];
      };
    };
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AddIdentityTags200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  removeIdentityTags: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddIdentityTagsRequest"];
      };
    };
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AddIdentityTags200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  setIdentityTags: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The identity id (`idn_…`) or your external_ref. */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddIdentityTagsRequest"];
      };
    };
    responses: {
      /** @description The tags. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AddIdentityTags200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listCases: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description A queue tab (its first value counts). Repeat it, or separate values with commas. */
        tab?: ("unassigned" | "mine" | "pending_second_review" | "escalated" | "all")[];
        /** @description Only cases in these statuses. Repeat it, or separate values with commas. */
        status?: ("open" | "in_review" | "escalated" | "pending_second_review" | "approved" | "rejected")[];
        /** @description Only cases assigned to this reviewer. */
        assigned_to?: string;
        /** @description Whose `mine` tab. */
        reviewer_id?: string;
        /** @description Only this session's cases. */
        session_id?: string;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of cases. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListCases200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Case"];
        };
      };
      400: components["responses"]["Error400_17"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  countCases: {
    parameters: {
      query?: {
        /** @description Whose `mine` count. */
        reviewer_id?: string;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The counts. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CountCases200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  claimNextCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ClaimNextCaseRequest"];
      };
    };
    responses: {
      /** @description The claimed case, in detail. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaseDetail"];
        };
      };
      /** @description The queue is empty. */
      204: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaseDetail"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Case"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  claimCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ClaimNextCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Case"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  releaseCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ClaimNextCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Case"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  assignCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AssignCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Case"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  escalateCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["EscalateCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Case"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  approveCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ApproveCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApproveCase200"];
        };
      };
      400: components["responses"]["Error400_17"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  rejectCase: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["RejectCaseRequest"];
      };
    };
    responses: {
      /** @description The case. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApproveCase200"];
        };
      };
      400: components["responses"]["Error400_17"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listCaseNotes: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of notes. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListCaseNotes200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  addCaseNote: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddCaseNoteRequest"];
      };
    };
    responses: {
      /** @description The note. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaseNote"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  correctCasePii: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CorrectCasePiiRequest"];
      };
    };
    responses: {
      /** @description The corrected fields and the result after the correction. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CorrectCasePii200"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  overrideCaseCheck: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The case id (`case_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["OverrideCaseCheckRequest"];
      };
    };
    responses: {
      /** @description The case, the overridden check, and where the workflow continued. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OverrideCaseCheck200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_32"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listWorkflows: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Only active (true) or deactivated (false) workflows. */
        is_active?: "true" | "false";
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of workflows. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListWorkflows200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateWorkflowRequest"];
      };
    };
    responses: {
      /** @description The workflow at version 1. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workflow"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listWorkflowTemplates: {
    parameters: {
      query?: {
        /** @description Only this industry's. */
        industry?: "marketplace" | "fintech" | "age_gated" | "healthcare" | "crypto";
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The templates. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListWorkflowTemplates200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  validateWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ValidateWorkflowRequest"];
      };
    };
    responses: {
      /** @description Whether it is valid, and each problem by path. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ValidateWorkflow200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflow. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workflow"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateWorkflowRequest"];
      };
    };
    responses: {
      /** @description The workflow. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workflow"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listWorkflowVersions: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of versions, newest first. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListWorkflowVersions200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getWorkflowVersion: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
        /** @description The version number (1, 2, …). */
        version: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The version. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkflowVersion"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  setDefaultWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflow. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workflow"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  deactivateWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflow. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workflow"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  triggerWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The workflow id (`wfl_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["TriggerWorkflowRequest"];
      };
    };
    responses: {
      /** @description Accepted: the session is processing. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TriggerWorkflow202"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_33"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  dryRunWorkflow: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["DryRunWorkflowRequest"];
      };
    };
    responses: {
      /** @description The outcome. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DryRunWorkflow200"];
        };
      };
      /** @description Still running. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          /** @description Where to poll. */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DryRunWorkflow202"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_26"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  getDryRun: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The dry run id. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The outcome. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DryRunWorkflow200"];
        };
      };
      /** @description Still running. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          /** @description Where to poll. */
          Location?: string;
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DryRunWorkflow202"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_34"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  listVerificationPolicies: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The catalogue. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListVerificationPolicies200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listLists: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Only lists of these types. Repeat it, or separate values with commas. */
        list_type?: (
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
          | "string"
        )[];
        /** @description Only lists with these match modes. Repeat it, or separate values with commas. */
        match_mode?: ("block" | "flag" | "allow")[];
        /** @description Include archived lists. */
        include_archived?: "true" | "false";
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of lists. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListLists200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createList: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateListRequest"];
      };
    };
    responses: {
      /** @description The list. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["List"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  checkListSubject: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CheckListSubjectRequest"];
      };
    };
    responses: {
      /** @description The matches. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CheckListSubject200"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getList: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The list and the workflows using it. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["List"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateList: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateListRequest"];
      };
    };
    responses: {
      /** @description The list. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["List"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  archiveList: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The archived list. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["List"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listListItems: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of items. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListListItems200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  addListItem: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddListItemRequest"];
      };
    };
    responses: {
      /** @description The item. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListItem"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  addListItems: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["AddListItemsRequest"];
      };
    };
    responses: {
      /** @description What was added. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AddListItems201"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  importListItems: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "text/csv": components["schemas"]["ImportListItemsRequest"];
        "multipart/form-data": components["schemas"]["ImportListItemsUpload"];
      };
    };
    responses: {
      /** @description What was added. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AddListItems201"];
        };
      };
      400: components["responses"]["Error400_35"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  exportList: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The items, one per row. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "text/csv": string;
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getListItem: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
        /** @description The item id. */
        item_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The item. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListItem"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  deleteListItem: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The list id (`list_…`). */
        id: string;
        /** @description The item id. */
        item_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeleteListItem200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listWebhookEventTypes: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The catalogue. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListWebhookEventTypes200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listWebhookEndpoints: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of endpoints. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListWebhookEndpoints200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
      };
    };
    responses: {
      /** @description The endpoint, with its secret. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookEndpoint"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookEndpoint"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  deleteWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeleteWebhookEndpoint200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateWebhookEndpointRequest"];
      };
    };
    responses: {
      /** @description The endpoint. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookEndpoint"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint, with its new secret. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookEndpoint"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  cloneWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new endpoint, with its secret. */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookEndpoint"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  testWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The outcome of the one attempt (recorded as a delivery, never retried). */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TestWebhookEndpoint200"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listEndpointDeliveries: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Only deliveries of this event type. */
        event_type?: string;
        /** @description Only deliveries in these statuses. Repeat it, or separate values with commas. */
        status?: ("pending" | "retrying" | "succeeded" | "failed")[];
        /** @description Created at or after (ISO 8601 date or time). */
        date_from?: string;
        /** @description Created before (ISO 8601 date or time). */
        date_to?: string;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The endpoint id (`whep_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListEndpointDeliveries200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Only deliveries of this event type. */
        event_type?: string;
        /** @description Only deliveries in these statuses. Repeat it, or separate values with commas. */
        status?: ("pending" | "retrying" | "succeeded" | "failed")[];
        /** @description Created at or after (ISO 8601 date or time). */
        date_from?: string;
        /** @description Created before (ISO 8601 date or time). */
        date_to?: string;
        /** @description Only this endpoint's deliveries. */
        endpoint_id?: string;
        /** @description Only deliveries of this session's events. */
        session_id?: string;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListWebhookDeliveries200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getWebhookDelivery: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The delivery id (`whd_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The delivery and its attempt log. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookDeliveryDetail"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  retryWebhookDelivery: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The delivery id (`whd_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The delivery, queued again. */
      202: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WebhookDelivery"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_18"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of keys (never their secrets). */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListApiKeys200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["CreateApiKeyRequest"];
      };
    };
    responses: {
      /** @description The key, with its secret (shown once). */
      201: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreatedApiKey"];
        };
      };
      400: components["responses"]["Error400_1"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      409: components["responses"]["Error409_5"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_8"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The API key id (`key_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The key. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The API key id (`key_…`). */
        id: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateApiKeyRequest"];
      };
    };
    responses: {
      /** @description The key. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_13"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  expireApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
        /** @description A replay within 24 h returns the stored reply; the same key with another body is 422 idempotency_mismatch, a duplicate in flight 409 idempotency_in_progress. */
        "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
      };
      path: {
        /** @description The API key id (`key_…`). */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ExpireApiKey200"];
        };
      };
      400: components["responses"]["Error400_25"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      409: components["responses"]["Error409_5"];
      422: components["responses"]["Error422_16"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getSettings: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The settings in force, and pending changes. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Settings"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  updateSettings: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["UpdateSettingsRequest"];
      };
    };
    responses: {
      /** @description The settings after the change. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Settings"];
        };
      };
      400: components["responses"]["Error400_19"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_36"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  listAuditEvents: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 100. */
        limit?: number;
        /** @description Items to skip. */
        offset?: number;
        /** @description Dotted action names, a trailing `*` for a prefix (`api.session.*`). Repeat it, or separate values with commas. */
        action?: string[];
        /** @description Only events on this resource type. */
        resource_type?: string;
        /** @description Only events on this resource. */
        resource_id?: string;
        /** @description Only events by this actor (`api_key:key_…`). */
        actor?: string;
        /** @description Created at or after (ISO 8601 date or time). */
        created_after?: string;
        /** @description Created before (ISO 8601 date or time). */
        created_before?: string;
        /** @description Free-text search. */
        q?: string;
        /** @description By sequence number; newest first by default. */
        order?: "asc" | "desc";
      };
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of audit events. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListAuditEvents200"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getAuditEvent: {
    parameters: {
      query?: never;
      header?: {
        /** @description The casing of response keys; defaults to the key's default_key_inflection (snake). */
        "Key-Inflection"?: components["parameters"]["KeyInflection"];
        /** @description The API version (YYYY-MM-DD); current 2026-01-01. */
        "Verifa-Version"?: components["parameters"]["VerifaVersion"];
      };
      path: {
        /** @description The audit event id (`aud_…`). */
        eventId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The audit event. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditEvent"];
        };
      };
      400: components["responses"]["Error400_11"];
      401: components["responses"]["Error401_2"];
      403: components["responses"]["Error403_3"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getCaptureState: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The state. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureState"];
        };
      };
      400: components["responses"]["Error400_37"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  recordConsent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["RecordConsentRequest"];
      };
    };
    responses: {
      /** @description The capture state after the step. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureState"];
        };
      };
      400: components["responses"]["Error400_38"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  chooseDocumentType: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ChooseDocumentTypeRequest"];
      };
    };
    responses: {
      /** @description The capture state after the step. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureState"];
        };
      };
      400: components["responses"]["Error400_39"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  uploadCaptureDocument: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "multipart/form-data": components["schemas"]["UploadCaptureDocumentRequest"];
      };
    };
    responses: {
      /** @description The stored side, its quality, and the state. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureUpload"];
        };
      };
      400: components["responses"]["Error400_40"];
      404: components["responses"]["Error404_4"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  uploadCaptureSelfie: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "multipart/form-data": components["schemas"]["UploadCaptureSelfieRequest"];
      };
    };
    responses: {
      /** @description The stored selfie, its quality, and the state. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureUpload"];
        };
      };
      400: components["responses"]["Error400_40"];
      404: components["responses"]["Error404_4"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
      503: components["responses"]["Error503_24"];
    };
  };
  submitCaptureFields: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["SubmitCaptureFieldsRequest"];
      };
    };
    responses: {
      /** @description The capture state after the step. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureState"];
        };
      };
      400: components["responses"]["Error400_39"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  submitCaptureSignals: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["SubmitCaptureSignalsRequest"];
      };
    };
    responses: {
      /** @description Which signal groups were stored. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SubmitCaptureSignals200"];
        };
      };
      400: components["responses"]["Error400_41"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  completeCapture: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The capture state after the step. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CaptureState"];
        };
      };
      400: components["responses"]["Error400_42"];
      404: components["responses"]["Error404_4"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  chooseSandboxOutcome: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The capture token from the session's capture_url. */
        token: string;
      };
      cookie?: never;
    };
    /** @description Keys may also be sent in camelCase or kebab-case; an empty body is `{}`. */
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ChooseSandboxOutcomeRequest"];
      };
    };
    responses: {
      /** @description The session with the preset's result. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChooseSandboxOutcome200"];
        };
      };
      400: components["responses"]["Error400_43"];
      404: components["responses"]["Error404_4"];
      413: components["responses"]["Error413_6"];
      415: components["responses"]["Error415_7"];
      422: components["responses"]["Error422_14"];
      429: components["responses"]["Error429_9"];
      500: components["responses"]["Error500_10"];
    };
  };
  getOpenApiDocument: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The OpenAPI document. */
      200: {
        headers: {
          "X-Request-Id": components["headers"]["X-Request-Id"];
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetOpenApiDocument200"];
        };
      };
      400: components["responses"]["Error400_29"];
      500: components["responses"]["Error500_10"];
    };
  };
  webhook_session_created: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.created";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionCreatedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_started: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.started";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionStartedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_expired: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.expired";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionExpiredEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_approved: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.approved";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionApprovedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_declined: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.declined";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionDeclinedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_requires_review: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.requires-review";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionRequiresReviewEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_resubmission_required: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.resubmission-required";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionResubmissionRequiredEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_awaiting_external: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.awaiting_external";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionAwaiting_externalEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_redacted: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.redacted";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionRedactedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_session_retention_expired: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "session.retention-expired";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SessionRetentionExpiredEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_created: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.created";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityCreatedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_updated: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.updated";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityUpdatedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_flagged: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.flagged";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityFlaggedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_archived: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.archived";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityArchivedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_restored: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.restored";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityRestoredEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_tag_added: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.tag-added";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityTagAddedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_identity_tag_removed: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "identity.tag-removed";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["IdentityTagRemovedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_case_created: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "case.created";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CaseCreatedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_case_approved: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "case.approved";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CaseApprovedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_case_rejected: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "case.rejected";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CaseRejectedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_case_escalated: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "case.escalated";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CaseEscalatedEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_webhook_test: {
    parameters: {
      query?: never;
      header: {
        "X-Verifa-Signature": string;
        "X-Verifa-Event": "webhook.test";
        "X-Verifa-Delivery-Id": string;
        "webhook-id": string;
        "webhook-timestamp": string;
        "webhook-signature": string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WebhookTestEvent"];
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
