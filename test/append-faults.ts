import type { Database } from "../server/db/connection";

/**
 * Makes the test's own database refuse appends to one draft's update log, for real: a trigger on
 * `draft_updates` raises for the next `rows` rows of that draft (after `delayMs`, so that later
 * appends can commit while the refused one is still in flight). The count survives the refused
 * statement's rollback (a sequence), so a refused append stays refused when it is retried alone.
 */
export async function refuseAppends(db: Database, draftId: string, options: { rows?: number; delayMs?: number } = {}): Promise<void> {
  await installTrigger(db);
  const rows = options.rows ?? 1_000_000_000;
  await db.sql`
    INSERT INTO test_append_faults (draft_id, until_hit, delay_ms)
    VALUES (${draftId}, nextval('test_append_fault_hits') + ${rows}, ${options.delayMs ?? 0})
    ON CONFLICT (draft_id) DO UPDATE SET until_hit = EXCLUDED.until_hit, delay_ms = EXCLUDED.delay_ms`;
}

/** Lets appends to the draft through again. */
export async function acceptAppends(db: Database, draftId: string): Promise<void> {
  await db.sql`DELETE FROM test_append_faults WHERE draft_id = ${draftId}`;
}

const installed = new WeakSet<Database>();

async function installTrigger(db: Database): Promise<void> {
  if (installed.has(db)) return;
  await db.sql.unsafe(`
    CREATE TABLE IF NOT EXISTS test_append_faults (draft_id uuid PRIMARY KEY, until_hit bigint NOT NULL, delay_ms integer NOT NULL);
    CREATE SEQUENCE IF NOT EXISTS test_append_fault_hits;
    CREATE OR REPLACE FUNCTION test_append_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      fault record;
    BEGIN
      SELECT until_hit, delay_ms INTO fault FROM test_append_faults WHERE draft_id = NEW.draft_id;
      IF FOUND AND nextval('test_append_fault_hits') <= fault.until_hit THEN
        PERFORM pg_sleep(fault.delay_ms / 1000.0);
        RAISE EXCEPTION 'test fault: the append of seq % is refused', NEW.seq;
      END IF;
      RETURN NEW;
    END $$;
    CREATE OR REPLACE TRIGGER test_append_fault BEFORE INSERT ON draft_updates FOR EACH ROW EXECUTE FUNCTION test_append_fault();
  `);
  installed.add(db);
}
