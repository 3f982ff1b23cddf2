/**
 * VectorStore on LanceDB. The URI is a folder or object storage (s3://, gs://)
 * or LanceDB Cloud (db://): the same code path, only connection options differ.
 * Several processes (web server, ingest workers) may open the same URI:
 * reads check for other writers' commits, writes retry on commit conflicts.
 */
import * as lancedb from "@lancedb/lancedb";
import { HIT_COLUMNS, chunkSchema, fromRow, sanitizeTextQuery, sqlIn, sqlString, tableNameFor, toRow } from "./lancedb-schema";
import type { ChunkRow } from "./lancedb-schema";
import { buildVectorIndex, ftsIndex, vectorIndexName, vectorIndexOutgrown, type VectorIndexKind } from "./lancedb-indexes";
import { connectLance } from "./lancedb-connection";
import { isCommitConflict, isCreationRace, withCommitRetry, type RetryOptions } from "./retry";
import type { ChunkHit, SearchOptions, StoredChunk, StoredChunkText, VectorStore, VectorStoreStats } from "./types";

export interface LanceVectorStoreOptions {
  /** A folder, s3://bucket/prefix, gs://..., or db://name for LanceDB Cloud. */
  uri: string;
  embedderId: string;
  dimensions: number;
  /** Passed to lancedb.connect (storageOptions for object storage, apiKey/region for Cloud). */
  connection?: Partial<lancedb.ConnectionOptions>;
  /** Seconds between checks for other processes' commits (default 0 for a folder, 5 for object storage). */
  readConsistencySeconds?: number;
  /** Build the vector index once the table holds this many rows (default 5,000). */
  vectorIndexThreshold?: number;
  vectorIndex?: VectorIndexKind;
  /** IVF partitions probed per query (default 20) and exact re-rank factor for PQ (default 10). */
  nprobes?: number;
  refineFactor?: number;
  /** HNSW search breadth (default 64). */
  ef?: number;
  /**
   * After this many rows written or deleted, or half the rows the table had at the
   * last run if that is more, a write starts ensureIndexes in the background
   * (0 = only when called). Until then new rows are found by a slower unindexed
   * scan, while a maintenance run rereads the table: spacing runs with the
   * table's size keeps a bulk load's rereading in proportion to what it writes
   * (a run every 500 rows reread the table 20 times for 10,000 rows).
   */
  maintainEveryRows?: number;
  /** Receives errors from background maintenance (default: one line on stderr). */
  onMaintenanceError?: (error: unknown) => void;
  /** Old table versions kept this long after optimize, for readers still on them (default 10 min). */
  keepVersionsMs?: number;
  retry?: RetryOptions;
}

const DEFAULTS = {
  vectorIndexThreshold: 5_000,
  // IVF-FLAT: at 100 dimensions full vectors are small, its training is far
  // cheaper than PQ's, and distances are exact.
  vectorIndex: "ivf_flat" as VectorIndexKind,
  nprobes: 20,
  refineFactor: 10,
  ef: 64,
  maintainEveryRows: 500,
  keepVersionsMs: 10 * 60_000,
};

/** Open (creating when missing) the chunk table for one embedding model and dimension. */
export async function openLanceVectorStore(options: LanceVectorStoreOptions): Promise<LanceVectorStore> {
  const settings: Settings = { ...DEFAULTS, ...stripUndefined(options), uri: options.uri, embedderId: options.embedderId, dimensions: options.dimensions };
  const connection = await connectLance(options.uri, options);
  const name = tableNameFor(options.embedderId, options.dimensions);
  const schema = chunkSchema(options.dimensions);
  // Every process opens the store at start, so on a fresh install the web server and the
  // ingest worker race to create the table; the loser opens it again.
  const retryable = (error: unknown) => isCommitConflict(error) || isCreationRace(error);
  return withCommitRetry(async () => {
    const table = await openOrCreateTable(connection, name, schema);
    try {
      await addOcrColumn(table, options.retry);
      const store = new LanceVectorStore(connection, table, settings);
      await store.ensureTextIndex();
      return store;
    } catch (error) {
      table.close();
      throw error;
    }
  }, { ...options.retry, retryable });
}

/** An existing table is opened as it is (it may predate a column). */
async function openOrCreateTable(connection: lancedb.Connection, name: string, schema: ReturnType<typeof chunkSchema>) {
  if ((await connection.tableNames()).includes(name)) return connection.openTable(name);
  return connection.createEmptyTable(name, schema, { existOk: true });
}

/** Tables made before chunks could come from OCR get the column, false for their rows. */
async function addOcrColumn(table: lancedb.Table, retry: RetryOptions | undefined): Promise<void> {
  const hasOcr = async () => (await table.schema()).fields.some((f) => f.name === "ocr");
  if (await hasOcr()) return;
  await withCommitRetry(() => table.addColumns([{ name: "ocr", valueSql: "false" }]), retry).catch(async (error: unknown) => {
    // Another process added it first.
    if (!(await hasOcr())) throw error;
  });
}

type Settings = typeof DEFAULTS & LanceVectorStoreOptions;

export class LanceVectorStore implements VectorStore {
  readonly tableName: string;
  readonly dimensions: number;
  private rowsSinceMaintain = 0;
  /** Rows in the table at the last maintenance run. */
  private rowsAtMaintain = 0;
  private maintaining: Promise<VectorStoreStats> | undefined;
  private readonly remote: boolean;

  constructor(
    private readonly connection: lancedb.Connection,
    private readonly table: lancedb.Table,
    private readonly settings: Settings,
  ) {
    this.tableName = table.name;
    this.dimensions = settings.dimensions;
    this.remote = settings.uri.startsWith("db://");
  }

  async add(chunks: readonly StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const rows = chunks.map((c) => toRow(c, this.dimensions));
    await this.write(() => this.table.add(rows));
    await this.afterWrite(rows.length);
  }

  async deleteDocument(docId: string): Promise<number> {
    const result = await this.write(() => this.table.delete(`doc_id = ${sqlString(docId)}`));
    await this.afterWrite(result.numDeletedRows);
    return result.numDeletedRows;
  }

  async deleteKnowledgeBase(kbId: string): Promise<number> {
    const result = await this.write(() => this.table.delete(`kb_id = ${sqlString(kbId)}`));
    await this.afterWrite(result.numDeletedRows);
    return result.numDeletedRows;
  }

  async replaceDocument(docId: string, chunks: readonly StoredChunk[]): Promise<void> {
    const stray = chunks.find((c) => c.docId !== docId);
    if (stray) throw new Error(`replaceDocument(${docId}): chunk ${stray.id} belongs to document ${stray.docId}`);
    if (chunks.length === 0) {
      await this.deleteDocument(docId);
      return;
    }
    const rows = chunks.map((c) => toRow(c, this.dimensions));
    // One merge-insert is one commit: the new rows appear and the document's
    // other rows disappear together, so no reader sees a mix or a gap.
    const result = await this.write(() =>
      this.table
        .mergeInsert("id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: `doc_id = ${sqlString(docId)}` })
        .execute(rows),
    );
    await this.afterWrite(result.numInsertedRows + result.numUpdatedRows + result.numDeletedRows);
  }

  async searchVector(vector: Float32Array | readonly number[], options: SearchOptions): Promise<ChunkHit[]> {
    if (options.kbIds.length === 0 || options.limit <= 0) return [];
    if (vector.length !== this.dimensions) {
      throw new Error(`query vector has ${vector.length} dimensions, table ${this.tableName} expects ${this.dimensions}`);
    }
    let query = this.table
      .query()
      .nearestTo(Float32Array.from(vector))
      .distanceType("cosine")
      .where(sqlIn("kb_id", options.kbIds))
      .select([...HIT_COLUMNS, "_distance"])
      .limit(options.limit)
      .nprobes(this.settings.nprobes)
      // HNSW refuses a search breadth below the number of results asked for.
      .ef(Math.max(this.settings.ef, options.limit));
    // Only PQ codes are approximate; re-ranking exact vectors elsewhere just costs a read.
    if (this.settings.vectorIndex === "ivf_pq") query = query.refineFactor(this.settings.refineFactor);
    const rows = (await query.toArray()) as ChunkRow[];
    return rows.map((row, i) => fromRow(row, 1 - Number(row._distance), i + 1));
  }

  async searchText(text: string, options: SearchOptions): Promise<ChunkHit[]> {
    const query = sanitizeTextQuery(text);
    if (options.kbIds.length === 0 || options.limit <= 0 || query === "") return [];
    const rows = (await this.table
      .query()
      .fullTextSearch(query, { columns: "search_text" })
      .where(sqlIn("kb_id", options.kbIds))
      .select([...HIT_COLUMNS, "_score"])
      .limit(options.limit)
      .toArray()) as ChunkRow[];
    return rows.map((row, i) => fromRow(row, Number(row._score), i + 1));
  }

  async readDocument(docId: string): Promise<StoredChunkText[]> {
    const rows = (await this.table.query().where(`doc_id = ${sqlString(docId)}`).select([...HIT_COLUMNS]).toArray()) as ChunkRow[];
    return rows.map((row) => {
      const { score: _score, rank: _rank, ...chunk } = fromRow(row, 0, 0);
      return chunk;
    }).sort((a, b) => a.docVersion - b.docVersion || a.chunkIndex - b.chunkIndex);
  }

  async listDocumentIds(options: { kbId?: string } = {}) {
    let query = this.table.query().select(["doc_id", "kb_id", "doc_version"]);
    if (options.kbId !== undefined) query = query.where(`kb_id = ${sqlString(options.kbId)}`);
    const docs = new Map<string, { docId: string; kbId: string; versions: Set<number> }>();
    for await (const batch of query) {
      for (const row of batch.toArray() as ChunkRow[]) {
        const docId = String(row.doc_id);
        const entry = docs.get(docId) ?? { docId, kbId: String(row.kb_id), versions: new Set<number>() };
        entry.versions.add(Number(row.doc_version));
        docs.set(docId, entry);
      }
    }
    return [...docs.values()]
      .map((d) => ({ docId: d.docId, kbId: d.kbId, versions: [...d.versions].sort((a, b) => a - b) }))
      .sort((a, b) => a.docId.localeCompare(b.docId));
  }

  async count(options: { kbId?: string } = {}): Promise<number> {
    return this.table.countRows(options.kbId === undefined ? undefined : `kb_id = ${sqlString(options.kbId)}`);
  }

  /** Create the full-text index if missing; searchText needs it even on an empty table. */
  async ensureTextIndex(): Promise<void> {
    const indexes = await this.table.listIndices();
    if (indexes.some((i) => i.columns.includes("search_text"))) return;
    await this.write(() => this.table.createIndex("search_text", { config: ftsIndex(), replace: false })).catch(
      (error: unknown) => {
        // Another process created it between our check and our commit.
        if (!/already exists/i.test(String(error))) throw error;
      },
    );
  }

  async ensureIndexes(options: { force?: boolean } = {}): Promise<VectorStoreStats> {
    // One maintenance run at a time per process; concurrent callers share it.
    this.maintaining ??= this.maintain(options.force ?? false).finally(() => {
      this.maintaining = undefined;
    });
    return this.maintaining;
  }

  async stats(): Promise<VectorStoreStats> {
    // listIndices carries the row counts; indexStats would also load IVF centroids.
    const [rows, indexes] = await Promise.all([this.table.countRows(), this.table.listIndices()]);
    const detailed = indexes.map((i) => ({
      name: i.name,
      type: i.indexType,
      indexedRows: i.numIndexedRows ?? 0,
      unindexedRows: i.numUnindexedRows ?? 0,
    }));
    return { table: this.tableName, rows, indexes: detailed };
  }

  async close(): Promise<void> {
    await this.maintaining?.catch(() => undefined);
    this.table.close();
    this.connection.close();
  }

  private async maintain(force: boolean): Promise<VectorStoreStats> {
    this.rowsSinceMaintain = 0;
    await this.ensureTextIndex();
    const existing = await this.table.listIndices();
    const has = (column: string) => existing.some((i) => i.columns.includes(column));
    // Scalar indexes make the kb filter (every query) and doc deletes cheap.
    if (!has("kb_id")) await this.write(() => this.table.createIndex("kb_id", { config: lancedb.Index.bitmap() }));
    if (!has("doc_id")) await this.write(() => this.table.createIndex("doc_id", { config: lancedb.Index.btree() }));
    const rows = await this.table.countRows();
    this.rowsAtMaintain = rows;
    const vectorIndex = existing.find((i) => i.columns.includes("vector"));
    if (!vectorIndex && rows >= this.settings.vectorIndexThreshold) {
      await this.createVectorIndex(rows);
    } else if (vectorIndex && vectorIndexOutgrown(vectorIndex.name, rows)) {
      // New rows join existing IVF partitions, which grow until each probe
      // scans a large share of the table; retrain for the current size.
      // Between the two commits searches run exact (slower, still correct).
      await this.write(() => this.table.dropIndex(vectorIndex.name));
      await this.createVectorIndex(rows);
    }
    const before = await this.stats();
    const stale = before.indexes.some((i) => i.unindexedRows > 0);
    if ((stale || force) && !this.remote) {
      // Lance (0.31) folding new rows into the full-text index as a delta made some searches
      // miss them for good: about one search connection in five that was open across the fold
      // never found the new rows by their words, while a fresh one did. A rebuilt index,
      // committed at once, showed no such miss in 50 runs of the same sequence (and heals
      // connections a fold left behind). A rebuild reads the whole text column, so only a
      // forced run does it (the ingest worker's, each time its queue empties); the runs every
      // maintainEveryRows rows still fold.
      const text = existing.find((i) => i.columns.includes("search_text"));
      if (force && text && (text.numUnindexedRows ?? 0) > 0) {
        await this.write(() => this.table.createIndex("search_text", { config: ftsIndex(), replace: true }));
      }
      // optimize folds new rows into the indexes, compacts small files and
      // drops versions old enough that no reader still uses them.
      const cleanupOlderThan = new Date(Date.now() - this.settings.keepVersionsMs);
      await this.write(() => this.table.optimize({ cleanupOlderThan }));
      return this.stats();
    }
    return before;
  }

  private async createVectorIndex(rows: number): Promise<void> {
    const kind = this.settings.vectorIndex;
    const config = buildVectorIndex(kind, rows, this.dimensions);
    await this.write(() => this.table.createIndex("vector", { config, name: vectorIndexName(kind, rows) }));
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    return withCommitRetry(fn, this.settings.retry);
  }

  /** Writers do not wait for maintenance; close() does. */
  private async afterWrite(rows: number): Promise<void> {
    this.rowsSinceMaintain += rows;
    const every = this.settings.maintainEveryRows;
    if (every > 0 && this.rowsSinceMaintain >= Math.max(every, this.rowsAtMaintain / 2) && !this.maintaining) {
      const report = this.settings.onMaintenanceError ?? reportMaintenanceError;
      this.ensureIndexes().catch(report);
    }
  }
}

function reportMaintenanceError(error: unknown): void {
  process.stderr.write(`vector store maintenance failed: ${error instanceof Error ? error.message : String(error)}\n`);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
