/**
 * Teams' documented bot rate limits (Microsoft Learn, "Optimize your bot with rate limiting in
 * Teams", https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):
 * - per bot per thread (one conversation), "send to conversation": 7 per 1 s, 8 per 2 s,
 *   60 per 30 s, 1800 per 3600 s;
 * - the global limit per app per tenant: 50 requests per second.
 * Exceeding them earns HTTP 429 Too Many Requests; the docs ask for backoff (and to retry 412,
 * 429, 502 and 504).
 */
export interface Window {
  ms: number;
  max: number;
}

export const teamsPerConversation: readonly Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];
export const teamsGlobalRps = 50;

export interface RateLimiterOptions {
  perConversation?: readonly Window[];
  /** Requests per second across all conversations (per app per tenant). */
  globalRps?: number;
  /** Extra spacing added to every per-conversation window, so that network jitter cannot push a window over. */
  marginMs?: number;
  /**
   * The per-app limit is kept over every window of 1 s plus this, for the same reason: the only
   * headroom taken from the ceiling (25 ms: 2.5 %; it covers event-loop stalls and latency jitter
   * between two sends 1 s apart: at 15 ms the bench's two processes on one SQLite file drew 429s).
   */
  appMarginMs?: number;
  /**
   * A send still unanswered this long stops counting in the per-app window (default 2 s): it has
   * arrived long since or never will, and either way it is not in the second the connector counts
   * now. Without this each lost answer would cut the share by one for good.
   */
  unansweredMs?: number;
  now?: () => number;
}

/**
 * Schedules sends so that no conversation and not the app as a whole goes over the limits.
 * `reserve` books the earliest permitted instant and returns how long to wait for it; callers
 * then sleep and send. Messages to one conversation keep their order. After a 429, `pause`
 * holds a conversation (or everything) for the Retry-After the channel gave.
 *
 * The app's share of the per-app limit is a whole number of sends per window (1 s + `appMarginMs`):
 * sends are booked one per slot of window / share, and `admit` holds the sends that actually go
 * out to the same count in any such window. The shares of the live instances then add up to at
 * most the limit in any 1 s the Bot Connector counts, with no further fraction held back.
 */
export class RateLimiter {
  private readonly perConversation: readonly Window[];
  private slotMs: number;
  private readonly marginMs: number;
  /** The limiter's time (monotonic ms): what pacing, and the dispatcher's lease budget, are measured in. */
  readonly now: () => number;
  /** The per-app limit, shared by `instances` live instances (issue 14). */
  private readonly appRps: number;
  private readonly appWindowMs: number;
  private readonly unansweredMs: number;
  private instances = 1;
  private readonly sent = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();
  private globalPausedUntil = 0;
  /** Sends that actually went out (the last window's worth, and any still unanswered), across all conversations. */
  private readonly actual: { at: number; rttMs?: number }[] = [];
  /** Recent round trips: their least is the latency every send has, the rest is jitter. */
  private readonly rtts: number[] = [];
  private actualMax: number;
  private usedSlots = new Set<number>();
  private lastPrune = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.perConversation = options.perConversation ?? teamsPerConversation;
    this.appRps = options.globalRps ?? teamsGlobalRps;
    this.appWindowMs = 1000 + (options.appMarginMs ?? 25);
    this.actualMax = this.sendsPerWindow(1);
    this.slotMs = this.appWindowMs / this.actualMax;
    this.marginMs = options.marginMs ?? 25;
    this.unansweredMs = options.unansweredMs ?? 2_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** How many live instances share the per-app limit; this one paces itself to its share. */
  get sharedBy(): number {
    return this.instances;
  }

  /**
   * Paces to 1/n of the per-app limit from now on. Sends booked already keep their instants (the
   * dispatcher's join delay covers them); free slots are re-cut at the new spacing.
   */
  shareWith(liveInstances: number): void {
    const n = Math.max(1, Math.floor(liveInstances));
    if (n === this.instances) return;
    const oldSlotMs = this.slotMs;
    this.instances = n;
    this.actualMax = this.sendsPerWindow(n);
    this.slotMs = this.appWindowMs / this.actualMax;
    this.usedSlots = new Set([...this.usedSlots].map((s) => Math.floor((s * oldSlotMs) / this.slotMs)));
  }

  /** This instance's share of the per-app limit, in sends per window: whole, so the shares never add up to more. */
  private sendsPerWindow(instances: number): number {
    return Math.max(1, Math.floor(this.appRps / instances));
  }

  /** The global ceiling actually aimed at, in requests per second. */
  get targetRps(): number {
    return 1000 / this.slotMs;
  }

  /** Books a send to `conversationId`; returns the wait in ms before sending. */
  reserve(conversationId: string): number {
    const now = this.now();
    this.prune(now);
    const times = this.sent.get(conversationId) ?? [];
    let t = Math.max(now, this.pausedUntil.get(conversationId) ?? 0, this.globalPausedUntil, times.at(-1) ?? 0);
    // Per conversation: every booked send is <= t, so pushing t later only ever empties windows.
    for (let stable = false; !stable;) {
      stable = true;
      for (const w of this.perConversation) {
        const span = w.ms + this.marginMs;
        let inWindow = 0; // sends within (t - span, t]
        for (let i = times.length - 1; i >= 0 && times[i]! > t - span; i--) inWindow++;
        if (inWindow >= w.max) {
          const release = times[times.length - w.max]! + span;
          if (release > t) {
            t = release;
            stable = false;
          }
        }
      }
    }
    // Global: one send per slot of window / share, so any window holds at most the share.
    let slot = Math.ceil(t / this.slotMs);
    while (this.usedSlots.has(slot)) slot++;
    this.usedSlots.add(slot);
    t = Math.max(t, slot * this.slotMs);
    times.push(t);
    this.sent.set(conversationId, times);
    return Math.max(0, t - now);
  }

  /**
   * The last check before a send goes out: sends booked for slots can still bunch when the event
   * loop wakes late, so this counts the sends that actually went out in the last window and says
   * how long to wait — or lets the send go and returns what to call when its answer comes back.
   *
   * A send counts from when it left until its answer, less the round trip every send has: the
   * Bot Connector received it somewhere in there. So a send held up on its way (a stalled event
   * loop, a slow connection, the SDK retrying it after a 429) keeps its place in the window
   * rather than arriving on top of the next window's sends.
   */
  admit(): number | (() => void) {
    const now = this.now();
    const span = this.appWindowMs;
    const floor = this.rtts.length ? Math.min(...this.rtts) : 0;
    let inWindow = 0;
    let release = Infinity;
    for (let i = this.actual.length - 1; i >= 0; i--) {
      const s = this.actual[i]!;
      if (s.rttMs === undefined && now - s.at >= this.unansweredMs) {
        this.actual.splice(i, 1);
        continue;
      }
      // Unanswered: it may arrive now. Answered: at the latest its departure plus its jitter.
      const latest = s.rttMs === undefined ? now : s.at + Math.max(0, s.rttMs - floor);
      if (latest > now - span) {
        inWindow++;
        // An unanswered one leaves when its answer comes: look again shortly.
        release = Math.min(release, s.rttMs === undefined ? 5 : latest + span - now);
      } else if (s.rttMs !== undefined) this.actual.splice(i, 1);
    }
    if (inWindow >= this.actualMax) return Math.max(1, release);
    const sent: { at: number; rttMs?: number } = { at: now };
    this.actual.push(sent);
    return () => {
      sent.rttMs = this.now() - sent.at;
      this.rtts.push(sent.rttMs);
      if (this.rtts.length > 100) this.rtts.shift();
    };
  }

  /** After a 429: hold this conversation (or, with no id, everything) for `ms`. */
  pause(conversationId: string | undefined, ms: number): void {
    const until = this.now() + Math.max(0, ms);
    if (conversationId === undefined) this.globalPausedUntil = Math.max(this.globalPausedUntil, until);
    else this.pausedUntil.set(conversationId, Math.max(this.pausedUntil.get(conversationId) ?? 0, until));
  }

  private prune(now: number): void {
    if (now - this.lastPrune < 5_000) return;
    this.lastPrune = now;
    const longest = Math.max(0, ...this.perConversation.map((w) => w.ms + this.marginMs));
    for (const [key, times] of this.sent) {
      const keep = times.filter((x) => x > now - longest);
      if (keep.length) this.sent.set(key, keep);
      else this.sent.delete(key);
    }
    const oldest = Math.floor((now - 2_000) / this.slotMs);
    for (const s of this.usedSlots) if (s < oldest) this.usedSlots.delete(s);
    for (const [key, until] of this.pausedUntil) if (until < now) this.pausedUntil.delete(key);
  }
}
