import {
  type Compilable,
  CompiledQuery,
  type Kysely,
  type QueryResult,
} from 'kysely';

// A query of fixed shape, built and compiled by Kysely once per dialect and
// then run with new values: the hot path of a request (a chat turn) skips
// Kysely's query building and compiling, which cost about as much as running
// the statement itself on SQLite. The SQL stays Kysely's own, so it is the
// same on both dialects as the built query it replaces.
//
// Values are marked while building (`p('id')`); Kysely passes them through
// as parameters, and each run swaps in the values given for the marks.

const MARK = Symbol('prepared-query parameter');
type Mark = { readonly [MARK]: string };

function isMark(value: unknown): value is Mark {
  return typeof value === 'object' && value !== null && MARK in value;
}

/** A parameter placeholder of type T while building (a marker object). */
export type Param = <T>(name: string) => T;

export class PreparedQuery<DB, Row> {
  readonly #build: (db: Kysely<DB>, p: Param) => Compilable<Row>;
  // One compiled query per dialect (its adapter class).
  readonly #compiled = new Map<unknown, CompiledQuery<Row>>();

  constructor(build: (db: Kysely<DB>, p: Param) => Compilable<Row>) {
    this.#build = build;
  }

  #compile(db: Kysely<DB>): CompiledQuery<Row> {
    const adapter = db.getExecutor().adapter.constructor;
    let compiled = this.#compiled.get(adapter);
    if (compiled === undefined) {
      const p: Param = <T>(name: string) => ({ [MARK]: name }) as T;
      compiled = this.#build(db, p).compile();
      this.#compiled.set(adapter, compiled);
    }
    return compiled;
  }

  /** Runs the query on `db` (a transaction or not) with `values`. */
  execute(
    db: Kysely<DB>,
    values: Readonly<Record<string, unknown>>,
  ): Promise<QueryResult<Row>> {
    const compiled = this.#compile(db);
    const parameters = compiled.parameters.map((value) => {
      if (!isMark(value)) return value;
      const name = value[MARK];
      if (!(name in values))
        throw new Error(`prepared query: no value for ${name}`);
      return values[name];
    });
    return db.executeQuery(
      CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>,
    );
  }
}
