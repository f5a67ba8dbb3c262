import type { PowChallenge, QueueStatus, SessionView } from "@rush/contracts";
import { useEffect, useRef, useState } from "preact/hooks";
import { joinQueue, queueStatus } from "../api/endpoints.ts";
import { ApiError, messageOf } from "../api/problem.ts";
import { formatCountdown, formatDateTime, formatWait, peopleAhead, secondsLeft } from "../format/time.ts";
import type { FeedHub } from "../live/feed-hub.ts";
import { useNow } from "./panels.tsx";
import { solveInWorker } from "./solve-in-worker.ts";

/** How often the waiting room asks for its place (the live `queue` event usually comes first). */
const POLL_MS = 3000;

type Phase =
  | { kind: "joining" }
  | { kind: "checking" }
  | { kind: "waiting"; status: QueueStatus; firstPosition: number }
  | { kind: "notStarted"; opensAt: number }
  | { kind: "error"; message: string };

/** Joins, solving a proof-of-work challenge when the gate asks for one (428). */
async function join(sessionId: string, onChecking: () => void): Promise<QueueStatus> {
  try {
    return await joinQueue(sessionId);
  } catch (error) {
    const challenge = error instanceof ApiError && error.status === 428 ? (error.problem.challenge as PowChallenge | undefined) : undefined;
    if (!challenge) throw error;
    onChecking();
    const nonce = await solveInWorker(challenge.token, challenge.difficulty);
    return joinQueue(sessionId, { "x-pow-challenge": challenge.token, "x-pow-nonce": nonce });
  }
}

/**
 * The virtual waiting room: shows the buyer's place and an estimated wait, and moves on by
 * itself (`onAdmitted`) once the gate admits them. Sessions without a waiting room pass
 * straight through.
 */
export function WaitingRoom(props: { session: SessionView; hub: FeedHub; onAdmitted(status: QueueStatus): void }) {
  const { session, hub } = props;
  const [phase, setPhase] = useState<Phase>({ kind: "joining" });
  const [attempt, setAttempt] = useState(0);
  const admittedRef = useRef(props.onAdmitted);
  admittedRef.current = props.onAdmitted;
  const now = useNow();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstPosition = 0;
    const show = (status: QueueStatus) => {
      if (stopped) return;
      if (status.admitted) {
        stopped = true;
        admittedRef.current(status);
        return;
      }
      firstPosition = Math.max(firstPosition, status.position);
      setPhase({ kind: "waiting", status, firstPosition });
    };
    const poll = async () => {
      try {
        show(await queueStatus(session.id));
      } catch (error) {
        // Lost our place (it expired): join again. Anything else is retried at the next poll.
        if (error instanceof ApiError && error.code === "not_in_queue") await join(session.id, () => {}).then(show, () => {});
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    (async () => {
      try {
        show(await join(session.id, () => setPhase({ kind: "checking" })));
        if (!stopped) timer = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (error instanceof ApiError && error.code === "sale_not_started") {
          const opensAt = Date.parse(String(error.problem.saleStartsAt ?? session.saleStartsAt));
          setPhase({ kind: "notStarted", opensAt });
          // Join again as the sale opens (with a little spread so not everyone arrives in the same millisecond).
          timer = setTimeout(() => setAttempt((n) => n + 1), Math.max(1000, opensAt - Date.now() + Math.random() * 1500));
        } else {
          setPhase({ kind: "error", message: messageOf(error) });
        }
      }
    })();
    const off = hub.on("queue", (update) => {
      if (update.sessionId !== session.id || stopped) return;
      if (update.admitted) {
        // The event carries no token: fetch it now instead of at the next poll.
        clearTimeout(timer);
        void poll();
      } else {
        setPhase((p) => (p.kind === "waiting" ? { ...p, status: { ...p.status, position: update.position } } : p));
      }
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      off();
    };
  }, [session.id, attempt]);

  switch (phase.kind) {
    case "joining":
      return <p class="loading">Joining the queue…</p>;
    case "checking":
      return <p class="loading">Checking your browser before letting you in… this takes a moment.</p>;
    case "notStarted":
      return (
        <section class="panel waiting-room" aria-labelledby="wr-title">
          <h2 id="wr-title">The sale has not started yet</h2>
          <p>
            Tickets go on sale at <strong>{formatDateTime(new Date(phase.opensAt).toISOString())}</strong>.
          </p>
          <p class="big-number" aria-live="off">
            {formatCountdown(secondsLeft(phase.opensAt, now))}
          </p>
          <p class="muted">
            Keep this page open: you will join the queue by yourself when the sale opens. Everyone who is here before then gets a
            place drawn at random at the opening, so there is no need to arrive early.
          </p>
        </section>
      );
    case "error":
      return (
        <section class="panel waiting-room">
          <p class="notice error">{phase.message}</p>
          <button type="button" class="primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </section>
      );
    case "waiting": {
      const { status, firstPosition } = phase;
      const progress = firstPosition > 0 ? Math.min(1, Math.max(0, (firstPosition - status.position) / firstPosition)) : 0;
      return (
        <section class="panel waiting-room" aria-labelledby="wr-title" data-testid="waiting-room">
          <h2 id="wr-title">You are in the queue</h2>
          <p class="muted">So many people want these tickets that we let them in a few at a time. Keep this page open: it moves on by itself.</p>
          <p class="muted small" data-testid="queue-fairness">
            {Date.parse(status.saleStartsAt) > now
              ? `The sale opens ${formatDateTime(status.saleStartsAt)}. Your place is provisional: places of everyone here before then are drawn at random at the opening.`
              : `The sale opened ${formatDateTime(status.saleStartsAt)}. Places of everyone who was here before the opening were drawn at random then; people who came later queue in the order they arrived.`}
          </p>
          <div role="status" aria-live="polite" aria-atomic="true">
            <p class="big-number">
              <span class="big-number-label">Your place in the queue: </span>
              {status.position.toLocaleString("en")}
            </p>
            <p>
              {peopleAhead(status.position)} Estimated wait:{" "}
              <strong>{formatWait(status.estimatedWaitSeconds)}</strong>.
            </p>
          </div>
          <div class="progress" role="progressbar" aria-label="Progress through the queue" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
            <div class="progress-bar" style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
        </section>
      );
    }
    default: {
      const unreachable: never = phase;
      throw new Error(`unknown phase ${String(unreachable)}`);
    }
  }
}
