/**
 * Owns the request transaction (issue #17): everything one API call or dashboard action writes,
 * and the audit row that records it, commit together or not at all, so a crash can no longer leave
 * a change without its record.
 *
 * How: `withRequestTransaction` marks a unit of work (the middleware wraps the handler in it). The
 * Kysely driver built by `requestTransactionDialect` watches for that mark. Reads before the first
 * write run as before, on any pooled connection. The first write (a transaction a service begins,
 * or an INSERT/UPDATE/DELETE of its own) begins the request transaction on that connection and
 * holds it: every later statement of the unit runs there (it must see the unit's own uncommitted
 * rows), a service's later transactions become savepoints, and its first transaction's COMMIT is
 * deferred to the end of the unit, where the caller appends its audit row and the whole commits.
 * Services keep calling `db.transaction()` as they always have; outside a unit (the worker,
 * scripts) the driver passes everything straight through.
 *
 * What a unit gives up: statements that ran on other connections at once now queue on one, and a
 * row a service locked stays locked until the unit ends (its end follows the handler directly). A
 * failed statement outside a transaction poisons the unit: it then rolls back as a whole and the
 * caller answers 500, where before the earlier writes would have stayed.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type OperationNode,
  type QueryResult,
  type TransactionSettings,
  type WithNode,
} from "kysely";

const units = new AsyncLocalStorage<Unit>();
type AbortableOptions = Parameters<DatabaseConnection["executeQuery"]>[1];

/** One unit's state: the connection it holds once it has written, and its open savepoints. */
class Unit {
  /** The pooled connection the unit's transaction runs on, once begun, and the driver it came from. */
  held: DatabaseConnection | null = null;
  driver: Driver | null = null;
  /** Savepoint names, innermost last (unique among the open ones, which is all Postgres needs). */
  savepoints: string[] = [];
  /** A statement failed on the held connection outside any savepoint: Postgres has aborted it. */
  poisoned = false;
  /** Set once the unit committed or rolled back: later statements pass straight through. */
  ended = false;
  /** Run once the unit has committed (caches to forget what it changed). */
  afterCommit: (() => void)[] = [];
  /**
   * The unit holds its connection but has not sent BEGIN: it goes out with the next statement, in
   * the same round trip (the pool's clients pipeline), so beginning costs no wait of its own.
   */
  beginPending = false;
  /** The statements `executeAtCommit` left to be sent with the COMMIT, in order. */
  atCommit: { query: CompiledQuery; onFailure?: (error: unknown) => void }[] = [];

  /** Takes `connection` for the unit's transaction, to be begun with its next statement. */
  hold(connection: DatabaseConnection, driver: Driver): void {
    this.held = connection;
    this.driver = driver;
    this.beginPending = true;
  }

  /** Runs a statement on `connection`, preceded by the held connection's pending BEGIN. */
  async run<R>(connection: DatabaseConnection, query: CompiledQuery, options?: AbortableOptions) {
    if (!this.beginPending || connection !== this.held) return await connection.executeQuery<R>(query, options);
    this.beginPending = false;
    const [, result] = await Promise.all([
      connection.executeQuery(CompiledQuery.raw("begin")),
      connection.executeQuery<R>(query, options),
    ]);
    return result;
  }
}

/** The unit the caller runs in, if it is still open. */
function currentUnit(): Unit | null {
  const unit = units.getStore();
  return unit && !unit.ended ? unit : null;
}

/**
 * A connection handed to Kysely inside a unit. `frame` says what a transaction begun on it is:
 * `root` began the unit's transaction (its COMMIT waits for the unit), a savepoint name nests in
 * it, `independent` is a real transaction of its own (a connection taken before the unit held
 * one, by a concurrent branch of the same request).
 */
class Lease implements DatabaseConnection {
  frame: "root" | "independent" | string | null = null;
  constructor(readonly unit: Unit, readonly connection: DatabaseConnection, readonly driver: Driver) {}

  get isHeld(): boolean {
    return this.unit.held === this.connection;
  }

  async executeQuery<R>(query: CompiledQuery, options?: AbortableOptions): Promise<QueryResult<R>> {
    if (!this.unit.ended && !this.unit.held && this.frame === null && isWrite(query)) {
      this.unit.hold(this.connection, this.driver);
    }
    try {
      return await this.unit.run<R>(this.connection, query, options);
    } catch (error) {
      // Outside every transaction frame nothing rolls back to a point before it: the unit is lost.
      if (this.isHeld && this.frame === null && this.unit.savepoints.length === 0) this.unit.poisoned = true;
      throw error;
    }
  }

  streamQuery<R>(
    query: CompiledQuery,
    chunkSize: number,
    options?: AbortableOptions,
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize, options);
  }
}

const WRITE_NODES = new Set(["InsertQueryNode", "UpdateQueryNode", "DeleteQueryNode", "MergeQueryNode"]);
const READ_STATEMENT = /^\s*(select|show|explain|values|table)\b/i;

/**
 * Whether a statement changes data: a write query node, a query whose WITH holds one (`WITH created
 * AS (INSERT …) SELECT …`), or raw SQL that is not a plain read.
 */
function isWrite(query: CompiledQuery): boolean {
  const node = query.query as OperationNode & { with?: WithNode };
  if (WRITE_NODES.has(node.kind)) return true;
  if (node.with?.expressions.some((cte) => WRITE_NODES.has(cte.expression.kind))) return true;
  return node.kind === "RawNode" && !READ_STATEMENT.test(query.sql);
}

class RequestTransactionDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const unit = currentUnit();
    if (!unit) return await this.inner.acquireConnection();
    return new Lease(unit, unit.held ?? await this.inner.acquireConnection(), this.inner);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof Lease)) return await this.inner.releaseConnection(connection);
    // The held connection goes back to the pool when its unit ends, not when one statement does.
    if (!connection.isHeld) await this.inner.releaseConnection(connection.connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (!(connection instanceof Lease)) return await this.inner.beginTransaction(connection, settings);
    const { unit } = connection;
    if (connection.isHeld) {
      const name = `request_${unit.savepoints.length + 1}`;
      await unit.run(connection.connection, CompiledQuery.raw(`savepoint ${name}`));
      unit.savepoints.push(name);
      connection.frame = name;
      return;
    }
    if (unit.held || unit.ended || settings.isolationLevel || settings.accessMode) {
      await this.inner.beginTransaction(connection.connection, settings);
      connection.frame = "independent";
    } else {
      // The unit's transaction: its BEGIN goes out with the first statement run in it.
      unit.hold(connection.connection, this.inner);
      connection.frame = "root";
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof Lease)) return await this.inner.commitTransaction(connection);
    const frame = takeFrame(connection);
    if (frame === "root") return;
    if (frame === "independent") return await this.inner.commitTransaction(connection.connection);
    await connection.connection.executeQuery(CompiledQuery.raw(`release savepoint ${frame}`));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof Lease)) return await this.inner.rollbackTransaction(connection);
    const { unit } = connection;
    const frame = takeFrame(connection);
    if (frame === "independent") return await this.inner.rollbackTransaction(connection.connection);
    if (frame !== "root") {
      await connection.connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${frame}`));
      await connection.connection.executeQuery(CompiledQuery.raw(`release savepoint ${frame}`));
      return;
    }
    // The unit's first transaction failed: nothing of the unit has committed, so the unit starts
    // over. Its connection is released by Kysely's releaseConnection once it no longer counts as held.
    unit.held = null;
    unit.savepoints = [];
    unit.poisoned = false;
    if (unit.beginPending) unit.beginPending = false;
    else await this.inner.rollbackTransaction(connection.connection);
  }
}

/** Pops a lease's transaction frame; savepoints must end innermost first (they nest, never interleave). */
function takeFrame(lease: Lease): string {
  const frame = lease.frame;
  if (frame === null) throw new Error("no transaction is open on this connection");
  lease.frame = null;
  if (frame === "root" || frame === "independent") return frame;
  const innermost = lease.unit.savepoints.pop();
  if (innermost !== frame) {
    throw new Error(`transactions of one request must nest: ${frame} ended while ${innermost} was open`);
  }
  return frame;
}

/** Wraps a dialect's driver so that units of work (withRequestTransaction) commit as one. */
export function requestTransactionDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new RequestTransactionDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/**
 * Runs `work` as one unit of work on databases built with requestTransactionDialect, then
 * `settle`, still inside the unit (what it writes commits with the work), which says whether the
 * unit commits or rolls back. If either throws, or a statement left the unit's transaction
 * aborted, everything the unit wrote rolls back and the error is thrown.
 */
export async function withRequestTransaction<T>(
  work: () => Promise<T>,
  settle: () => Promise<"commit" | "rollback">,
): Promise<T> {
  const unit = new Unit();
  return await units.run(unit, async () => {
    try {
      const result = await work();
      const how = await settle();
      if (how === "commit" && unit.poisoned) {
        throw new Error("a statement of this request failed, so its changes were rolled back");
      }
      await endUnit(unit, how);
      return result;
    } catch (error) {
      await endUnit(unit, "rollback").catch(() => {});
      throw error;
    }
  });
}

/** Commits or rolls back the unit's transaction, if it began one, and returns its connection to the pool. */
async function endUnit(unit: Unit, how: "commit" | "rollback"): Promise<void> {
  unit.ended = true;
  const { held, driver, atCommit } = unit;
  unit.held = null;
  if (!held || !driver) return;
  try {
    if (how === "commit" && (!unit.beginPending || atCommit.length > 0)) {
      // The last statements and the COMMIT in one round trip (after a BEGIN still pending). If one
      // fails, Postgres has aborted the transaction and answers the COMMIT with ROLLBACK, on which
      // the driver's commit throws: nothing of the unit commits.
      // Sent in this order: each call queues its statement on the pipelined client at once.
      const begin = unit.beginPending ? held.executeQuery(CompiledQuery.raw("begin")) : Promise.resolve();
      const last = atCommit.map(({ query }) => held.executeQuery(query));
      const commit = driver.commitTransaction(held);
      const [begun, committed, ...outcomes] = await Promise.allSettled([begin, commit, ...last]);
      const failed = outcomes.findIndex((outcome) => outcome.status === "rejected");
      if (failed >= 0) {
        const { reason } = outcomes[failed] as PromiseRejectedResult;
        atCommit[failed].onFailure?.(reason);
        throw reason;
      }
      for (const outcome of [begun, committed]) if (outcome.status === "rejected") throw outcome.reason;
    } else if (!unit.beginPending) {
      await driver.rollbackTransaction(held);
    }
  } finally {
    await driver.releaseConnection(held);
  }
  if (how === "commit") { for (const callback of unit.afterCommit) callback(); }
}

/**
 * For a unit's `settle`: runs `query` as one of the unit's last statements. When the unit has
 * written, it is sent with the COMMIT in one round trip and commits or fails with the unit (then
 * `onFailure` hears why, and withRequestTransaction throws it after the rollback); otherwise, and
 * outside a unit, it runs at once, on its own.
 */
export async function executeAtCommit(
  db: { executeQuery(query: CompiledQuery): Promise<unknown> },
  query: CompiledQuery,
  onFailure?: (error: unknown) => void,
): Promise<void> {
  const unit = currentUnit();
  if (unit?.held) {
    unit.atCommit.push({ query, onFailure });
    return;
  }
  try {
    await db.executeQuery(query);
  } catch (error) {
    onFailure?.(error);
    throw error;
  }
}

/**
 * Runs `callback` once what the caller's unit wrote has committed, or at once outside a unit (or
 * in one that has not written): for a cache that must not keep a value read before the change
 * became visible.
 */
export function afterRequestCommit(callback: () => void): void {
  const unit = currentUnit();
  if (unit?.held) unit.afterCommit.push(callback);
  else callback();
}

/**
 * Runs `work` outside the caller's unit: its writes commit on their own, at once. For a call whose
 * change another process must see before the call ends (a dry run queued for the worker and
 * waited for); its audit row is then appended after it, as a unit of its own.
 */
export function outsideRequestTransaction<T>(work: () => Promise<T>): Promise<T> {
  // A unit that has already ended passes every statement straight through, in `work` and in
  // everything it awaits (AsyncLocalStorage.exit would not reach past the first await here).
  const passThrough = new Unit();
  passThrough.ended = true;
  return units.run(passThrough, work);
}
