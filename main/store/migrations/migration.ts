/** One schema version: applied once, in one transaction, recorded in PRAGMA user_version. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
