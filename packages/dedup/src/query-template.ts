import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from "kysely";

type Param = string | number | bigint | null;
type Slot<P> = { readonly key: keyof P } | { readonly value: unknown };

/**
 * A kysely query built and compiled once, then executed many times with new parameter values.
 * Building and compiling a query costs more than running it on SQLite; the hot path (claim,
 * renew, finish) binds values into the precompiled SQL instead. The query is built with
 * `sentinels` (unique marker values per parameter); each compiled parameter equal to a sentinel
 * becomes a slot, every other parameter is a constant of the query.
 */
export class QueryTemplate<P extends Record<string, Param>, R> {
  readonly #sql: string;
  readonly #slots: ReadonlyArray<Slot<P>>;

  constructor(build: (params: P) => Compilable<R>, sentinels: NoInfer<P>) {
    const compiled = build(sentinels).compile();
    const keyOf = new Map<unknown, keyof P>();
    for (const key of Object.keys(sentinels) as Array<keyof P>) {
      if (keyOf.has(sentinels[key])) throw new Error(`QueryTemplate: sentinel of "${String(key)}" is not unique`);
      keyOf.set(sentinels[key], key);
    }
    this.#sql = compiled.sql;
    this.#slots = compiled.parameters.map((value): Slot<P> => {
      const key = keyOf.get(value);
      return key === undefined ? { value } : { key };
    });
  }

  /** Runs the query with `values` bound. */
  execute<DB>(db: Kysely<DB>, values: P): Promise<QueryResult<R>> {
    const parameters = this.#slots.map((slot) => ("key" in slot ? values[slot.key] : slot.value));
    return db.executeQuery<R>(CompiledQuery.raw(this.#sql, parameters));
  }
}
