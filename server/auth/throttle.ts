import type { Queryable } from "../db/connection";
import { sql } from "../db/registry";
import { recordAudit } from "../domain/audit";

/** What a key counts: failures for an account from unknown places, from one address, or from a known place. */
export type ThrottleKind = "account" | "address" | "known-device" | "known-address" | "second-factor";

/** One budget that a sign-in attempt draws on. */
export interface ThrottleKey {
  kind: ThrottleKind;
  key: string;
  /** For the audit event when the key trips: whose account, if one is known. */
  userId?: string;
}

/** Failures allowed per key within the window, before the key is blocked. */
export const LIMITS: Record<ThrottleKind, number> = {
  account: 10,
  // Generous enough for one government office behind one address.
  address: 30,
  // The owner's own places: typos are forgiven more readily, and an attacker elsewhere never spends them.
  "known-device": 20,
  "known-address": 20,
  // Codes typed for a second factor (authenticator or recovery), per account, wherever they come from:
  // whoever types them already has the password or the session.
  "second-factor": 10,
};
/** How long failures are counted before they lapse. */
export const WINDOW_MS = 60 * 60 * 1000;
/** The first block; each further one in a row doubles, up to BLOCK_MAX_MS. */
export const BLOCK_BASE_MS = 15 * 60 * 1000;
export const BLOCK_MAX_MS = 4 * 60 * 60 * 1000;
/** A key whose last block ended this long ago starts again from the first block. */
const STRIKES_FORGOTTEN_MS = 24 * 60 * 60 * 1000;

/** Whether an attempt may check its password now, or when it may try again. */
export type Reservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Row {
  kind: ThrottleKind;
  key: string;
  failures: number;
  windowStarted: Date;
  blockedUntil: Date | null;
  strikes: number;
  refused: string;
}

/**
 * Reserves one attempt on every key, or on none: under the keys' row locks, so that however many
 * attempts run at once, at most each key's limit of them goes on to check a password. A key over
 * its limit is blocked (doubling each time); the moment it trips is audited once, and refused
 * attempts are only counted on its row, so refusing never grows any table.
 */
export async function reserveAttempt(keys: ThrottleKey[]): Promise<Reservation> {
  // A stable order, so that two attempts sharing keys lock them alike and never deadlock.
  const ordered = [...keys].sort((a, b) => `${a.kind} ${a.key}`.localeCompare(`${b.kind} ${b.key}`));
  const result = await sql().begin(async (tx) => {
    // A key already blocked refuses before any missing key gets a row: refused attempts with
    // ever new e-mails must not add rows either. Read without locks: locking a later key while
    // an earlier one is still being inserted elsewhere would break the order and deadlock.
    const existing = await readRows(tx, ordered, "");
    if (existing.some((row) => row.blockedUntil && row.blockedUntil > row.now)) {
      return refuse(tx, existing.map((row) => lapsed(row, row.now)), existing[0]?.now ?? new Date());
    }
    for (const { kind, key } of ordered) {
      await tx`INSERT INTO sign_in_throttle (kind, key) VALUES (${kind}, ${key}) ON CONFLICT (kind, key) DO NOTHING`;
    }
    const locked = await readRows(tx, ordered, "FOR UPDATE");
    const now = locked[0]?.now ?? new Date();
    const rows = locked.map((row) => lapsed(row, now));
    if (rows.some((row) => row.blockedUntil && row.blockedUntil > now)) return refuse(tx, rows, now);
    const full = rows.filter((row) => row.failures >= LIMITS[row.kind]);
    if (full.length > 0) {
      for (const row of full) await trip(tx, row, now, ordered);
      return { allowed: false as const, retryAfterSeconds: secondsUntil(full.map((row) => ({ ...row, blockedUntil: blockEnd(row, now) })), now) };
    }
    for (const row of rows) {
      await tx`
        UPDATE sign_in_throttle SET failures = ${row.failures + 1}, window_started = ${row.windowStarted},
          blocked_until = NULL, strikes = ${row.strikes}, updated_at = now()
        WHERE kind = ${row.kind} AND key = ${row.key}`;
    }
    return { allowed: true as const };
  });
  return result;
}

/** Clears the failures of keys an attempt succeeded on: the person got the password right from there. */
export async function clearFailures(keys: ThrottleKey[]): Promise<void> {
  for (const { kind, key } of keys) {
    await sql()`
      UPDATE sign_in_throttle SET failures = 0, strikes = 0, blocked_until = NULL, window_started = now(), updated_at = now()
      WHERE kind = ${kind} AND key = ${key}`;
  }
}

/** Deletes keys that have said nothing for a day: they would count nothing any more. */
export async function pruneThrottle(): Promise<void> {
  await sql()`
    DELETE FROM sign_in_throttle
    WHERE updated_at < now() - ${`${STRIKES_FORGOTTEN_MS / 1000} seconds`}::interval
      AND (blocked_until IS NULL OR blocked_until < now() - ${`${STRIKES_FORGOTTEN_MS / 1000} seconds`}::interval)`;
}

// Reads (and locks, in the given order) the keys' rows, then the clock once the locks are held: now()
// would be when this transaction began, possibly before the attempt that blocked a key, and
// overstate the wait.
async function readRows(tx: Queryable, keys: ThrottleKey[], lock: "FOR UPDATE" | ""): Promise<(Row & { now: Date })[]> {
  const rows: Row[] = [];
  for (const { kind, key } of keys) {
    const [row] = await tx<Row[]>`
      SELECT kind, key, failures, window_started AS "windowStarted", blocked_until AS "blockedUntil", strikes, refused::text AS refused
      FROM sign_in_throttle WHERE kind = ${kind} AND key = ${key} ${tx.unsafe(lock)}`;
    if (row) rows.push(row);
  }
  const [clock] = await tx<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
  const now = clock?.now ?? new Date();
  return rows.map((row) => ({ ...row, now }));
}

// Counts the refusal on the blocked keys' rows only: refusing adds no row anywhere.
async function refuse(tx: Queryable, rows: Row[], now: Date): Promise<Reservation> {
  const blocked = rows.filter((row) => row.blockedUntil && row.blockedUntil > now);
  for (const row of blocked) {
    await tx`UPDATE sign_in_throttle SET refused = refused + 1, updated_at = now() WHERE kind = ${row.kind} AND key = ${row.key}`;
  }
  return { allowed: false, retryAfterSeconds: secondsUntil(blocked, now) };
}

// The row as it stands now: failures older than the window, or from before a block that has
// ended, no longer count; strikes are forgotten a day after the last block.
function lapsed(row: Row, now: Date): Row {
  if (row.blockedUntil && row.blockedUntil > now) return row;
  const strikes = row.blockedUntil && now.getTime() - row.blockedUntil.getTime() > STRIKES_FORGOTTEN_MS ? 0 : row.strikes;
  const windowOver = now.getTime() - row.windowStarted.getTime() >= WINDOW_MS;
  if (row.blockedUntil || windowOver) return { ...row, failures: 0, windowStarted: now, blockedUntil: null, strikes };
  return row;
}

function blockEnd(row: Row, now: Date): Date {
  return new Date(now.getTime() + Math.min(BLOCK_BASE_MS * 2 ** row.strikes, BLOCK_MAX_MS));
}

async function trip(tx: Queryable, row: Row, now: Date, keys: ThrottleKey[]): Promise<void> {
  const until = blockEnd(row, now);
  const [updated] = await tx<{ refused: string }[]>`
    UPDATE sign_in_throttle SET blocked_until = ${until}, strikes = ${row.strikes + 1}, refused = refused + 1, updated_at = now()
    WHERE kind = ${row.kind} AND key = ${row.key} RETURNING refused::text AS refused`;
  const userId = keys.find((key) => key.kind === row.kind && key.key === row.key)?.userId;
  // One event per block, not per refused attempt: the count of refusals so far rides along.
  await recordAudit(
    {
      actor: null,
      action: "sign-in.throttled",
      target: userId ? { type: "user", id: userId } : undefined,
      details: {
        limit: row.kind,
        ...(row.kind === "account" ? { email: row.key } : row.kind === "address" ? { address: row.key } : {}),
        strike: row.strikes + 1,
        blockedUntil: until.toISOString(),
        refusedSoFar: Number(updated?.refused ?? 0),
      },
    },
    tx,
  );
}

function secondsUntil(rows: { blockedUntil: Date | null }[], now: Date): number {
  const ends = rows.map((row) => row.blockedUntil?.getTime() ?? now.getTime());
  return Math.max(1, Math.ceil((Math.max(...ends) - now.getTime()) / 1000));
}
