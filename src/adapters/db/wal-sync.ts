import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

// Commit sync `background` for SQLite (LOANDESK_SQLITE_COMMIT_SYNC): SQLite
// runs in WAL mode with synchronous=NORMAL, which writes each commit to the
// WAL file without fsync, and this class makes it durable off the event
// loop: fdatasync of the WAL file on libuv's thread pool. The driver
// (sqlite-immediate-dialect.ts) counts commits and, before handing back a
// result that wrote or saw commit N, waits until an fsync that began after
// commit N has finished. One fsync covers every commit written before it
// began, so concurrent requests share them (group commit); the default
// `full` fsyncs inside each COMMIT instead, blocking the event loop for the
// length of the fsync.
//
// An fsync that fails leaves the file's state unknown (Linux may drop the
// dirty pages): every later wait fails too, so nothing more is acknowledged
// until the process restarts and SQLite recovers from the WAL.

/** A commit was written but could not be made durable. */
export class DurabilityError extends Error {
  override readonly name = 'DurabilityError';
}

/** How an fsync is done; tests substitute a slow or failing one. */
export type SyncFile = (file: FileHandle) => Promise<void>;

const DATASYNC: SyncFile = (file) => file.datasync();

export class WalSync {
  readonly #walPath: string;
  readonly #syncFile: SyncFile;
  #committed = 0;
  #synced = 0;
  #running: Promise<void> | undefined;
  #file: FileHandle | undefined;
  #failure: DurabilityError | undefined;
  #syncs = 0;

  constructor(databasePath: string, syncFile: SyncFile = DATASYNC) {
    this.#walPath = `${databasePath}-wal`;
    this.#syncFile = syncFile;
  }

  /** Counts a commit written to the WAL (not yet durable); returns its number. */
  noteCommit(): number {
    this.#committed += 1;
    return this.#committed;
  }

  /** Commits written so far. */
  get committed(): number {
    return this.#committed;
  }

  /** Commits known to be on disk. */
  get synced(): number {
    return this.#synced;
  }

  /** Fsyncs started so far (the benchmark and tests read it). */
  get syncs(): number {
    return this.#syncs;
  }

  /** Resolves once commit `commit` (and every earlier one) is on disk. */
  async waitFor(commit: number): Promise<void> {
    while (this.#synced < commit) {
      if (this.#failure !== undefined) throw this.#failure;
      this.#running ??= this.#syncNow();
      await this.#running;
    }
  }

  async #syncNow(): Promise<void> {
    const upTo = this.#committed;
    this.#syncs += 1;
    try {
      await this.#syncFile(await this.#walFile());
      this.#synced = Math.max(this.#synced, upTo);
    } catch (error) {
      this.#failure = new DurabilityError(
        `SQLite WAL fsync failed; no further commit is acknowledged: ${String(error)}`,
        { cause: error },
      );
    } finally {
      this.#running = undefined;
    }
  }

  async #walFile(): Promise<FileHandle> {
    if (this.#file !== undefined) return this.#file;
    const file = await open(this.#walPath, 'r+');
    // The WAL's directory entry must be durable too (a new file).
    const directory = await open(dirname(this.#walPath), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    this.#file = file;
    return file;
  }

  /** Waits for the last fsync and closes the WAL file handle. */
  async close(): Promise<void> {
    try {
      await this.waitFor(this.#committed);
    } finally {
      await this.#file?.close();
      this.#file = undefined;
    }
  }
}
