/** Figures for the review page: backlog, time to decision, and how often each topic is flagged. */
import { sql } from "drizzle-orm";
import type { Database } from "../client";

export interface ReviewMetrics {
  pending: number;
  decided: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** Per day (UTC) and topic: held items and all answers that day. */
  flagRate: { day: string; topic: string; held: number; answers: number }[];
}

export async function getReviewMetrics(db: Database, { days = 14 }: { days?: number } = {}): Promise<ReviewMetrics> {
  const [counts] = await db.execute<{ pending: number; decided: number; median: number | null; p90: number | null }>(sql`
    select
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where decided_at is not null)::int as decided,
      percentile_cont(0.5) within group (order by extract(epoch from decided_at - created_at)) filter (where decided_at is not null) / 60 as median,
      percentile_cont(0.9) within group (order by extract(epoch from decided_at - created_at)) filter (where decided_at is not null) / 60 as p90
    from review_items`);
  const flagRate = await db.execute<{ day: string; topic: string; held: number; answers: number }>(sql`
    with answers as (
      select date_trunc('day', created_at at time zone 'UTC')::date as day, count(*)::int as n
      from messages where role = 'assistant' and created_at > now() - (${days} || ' days')::interval group by 1
    ), held as (
      select date_trunc('day', created_at at time zone 'UTC')::date as day, coalesce(topic, 'other') as topic, count(*)::int as n
      from review_items where created_at > now() - (${days} || ' days')::interval group by 1, 2
    )
    select to_char(h.day, 'YYYY-MM-DD') as day, h.topic, h.n as held, coalesce(a.n, h.n) as answers
    from held h left join answers a on a.day = h.day order by h.day, h.topic`);
  return {
    pending: counts?.pending ?? 0,
    decided: counts?.decided ?? 0,
    medianMinutes: counts?.median == null ? null : Number(counts.median),
    p90Minutes: counts?.p90 == null ? null : Number(counts.p90),
    flagRate: [...flagRate],
  };
}
