import type { Redis } from "ioredis";

/** What the request looks like, as far as the score cares. */
export interface RequestTraits {
  userId: string;
  ip: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface BotScore {
  /** 0 (a person in a browser) to 100 (certainly a script). */
  score: number;
  reasons: string[];
}

export interface BotScoreOptions {
  /** Queue requests per user in 10 s before cadence counts. */
  cadenceMax: number;
  /** Distinct accounts per IP in an hour before it counts. */
  accountsPerIp: number;
}

const SCRIPTED_AGENT = /curl|wget|python|httpclient|okhttp|go-http|java\/|libwww|scrapy|headless|phantom|selenium|puppeteer|playwright|axios|node-fetch|undici|\bbot\b|spider|crawler/i;

/** The header signals: no network round trip. */
export function headerSignals(headers: RequestTraits["headers"]): BotScore {
  const reasons: string[] = [];
  let score = 0;
  const agent = headers["user-agent"];
  if (typeof agent !== "string" || agent.length === 0) {
    score += 30;
    reasons.push("no user agent");
  } else if (SCRIPTED_AGENT.test(agent)) {
    score += 30;
    reasons.push("scripted user agent");
  }
  if (!headers["accept-language"]) {
    score += 20;
    reasons.push("no accept-language");
  }
  if (!headers.accept) {
    score += 10;
    reasons.push("no accept");
  }
  return { score, reasons };
}

/**
 * Behaviour outweighs headers: a script can copy a browser's headers for free, so either
 * behavioural signal alone reaches the default challenge score (50) whatever the headers say.
 */
export const BEHAVIOUR_WEIGHT = 50;

/** The behaviour signals (pure): request cadence of one user, distinct accounts from one address. */
export function behaviourSignals(cadence: number, accounts: number, options: BotScoreOptions): BotScore {
  const reasons: string[] = [];
  let score = 0;
  if (cadence > options.cadenceMax) {
    score += BEHAVIOUR_WEIGHT;
    reasons.push(`${cadence} requests in 10 s`);
  }
  if (accounts > options.accountsPerIp) {
    score += BEHAVIOUR_WEIGHT;
    reasons.push(`${accounts} accounts from one address`);
  }
  return { score, reasons };
}

/**
 * Scores a queue request from three signals: missing or scripted browser headers, request
 * cadence (one user polling or re-joining too fast) and accounts per IP (many buyers behind one
 * address). Both counters are updated and read in one pipelined round trip.
 */
export async function scoreRequest(redis: Redis, traits: RequestTraits, now: number, options: BotScoreOptions): Promise<BotScore> {
  const { score: headerScore, reasons: headerReasons } = headerSignals(traits.headers);
  const cadenceKey = `bot:cad:{${traits.userId}}`;
  const ipKey = `bot:ipacct:${traits.ip}`;
  // Two transactions at once, not one: the keys hash to different Redis Cluster slots.
  const [cadenceResults, ipResults] = await Promise.all([
    redis
      .multi()
      .zadd(cadenceKey, now, `${now}:${Math.random().toString(36).slice(2, 8)}`)
      .zremrangebyscore(cadenceKey, "-inf", now - 10_000)
      .zcard(cadenceKey)
      .pexpire(cadenceKey, 10_000)
      .exec(),
    redis.multi().pfadd(ipKey, traits.userId).pfcount(ipKey).expire(ipKey, 3600, "NX").exec(),
  ]);
  const cadence = Number(cadenceResults?.[2]?.[1] ?? 0);
  const accounts = Number(ipResults?.[1]?.[1] ?? 0);
  const behaviour = behaviourSignals(cadence, accounts, options);
  return { score: Math.min(100, headerScore + behaviour.score), reasons: [...headerReasons, ...behaviour.reasons] };
}
