import type { SeatCommand } from "@rush/contracts";
import type { Sql } from "postgres";

/**
 * The classic design the seat engine is measured against: every hold is a PostgreSQL
 * transaction on a seats table. Explicit seats: one conditional UPDATE (all-or-nothing by row
 * count). Best available: SELECT … FOR UPDATE SKIP LOCKED in venue order, then UPDATE.
 */
export async function createSeatsTable(sql: Sql, sessionId: string, areaId: string, rows: number, perRow: number): Promise<void> {
  await sql`create table if not exists bench_seats (
    session_id uuid not null, seat_id text not null, area_id text not null, row_no int not null, number int not null,
    status text not null default 'available', hold_id uuid, buyer_id text, primary key (session_id, seat_id))`;
  await sql`create index if not exists bench_seats_pick on bench_seats (session_id, area_id, status, row_no, number)`;
  const values = [];
  for (let r = 1; r <= rows; r++) for (let n = 1; n <= perRow; n++) values.push({ session_id: sessionId, seat_id: `${areaId}-${r}-${n}`, area_id: areaId, row_no: r, number: n });
  for (let i = 0; i < values.length; i += 1000) await sql`insert into bench_seats ${sql(values.slice(i, i + 1000))}`;
}

/** Applies one hold command; resolves true if granted. */
export async function pgHold(sql: Sql, command: SeatCommand): Promise<boolean> {
  if (command.type === "HoldSeats") {
    return sql.begin(async (tx) => {
      const updated = await tx`update bench_seats set status = 'held', hold_id = ${command.holdId}, buyer_id = ${command.buyerId}
        where session_id = ${command.sessionId} and seat_id = any(${command.seatIds}) and status = 'available'`;
      if (updated.count !== command.seatIds.length) throw new Rollback();
      return true;
    }).catch((error) => {
      if (error instanceof Rollback) return false;
      throw error;
    });
  }
  if (command.type === "HoldBestAvailable") {
    return sql.begin(async (tx) => {
      const picked = await tx<{ seat_id: string }[]>`select seat_id from bench_seats
        where session_id = ${command.sessionId} and area_id = ${command.areaId} and status = 'available'
        order by row_no, number limit ${command.quantity} for update skip locked`;
      if (picked.length < command.quantity) return false;
      await tx`update bench_seats set status = 'held', hold_id = ${command.holdId}, buyer_id = ${command.buyerId}
        where session_id = ${command.sessionId} and seat_id = any(${picked.map((p) => p.seat_id)})`;
      return true;
    });
  }
  throw new Error(`not a hold: ${command.type}`);
}

class Rollback extends Error {}
