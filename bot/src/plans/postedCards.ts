import type { Plan } from "@ectsp/shared";
import type { AdaptiveCard } from "../cards/card.js";
import type { Logger } from "../logger.js";
import type { Store } from "../store/store.js";
import type { ProactiveChannel } from "../teams/platform.js";

/** Which posted cards show a plan's sign-off: the request, and the notice that signatures no longer hold. */
const signOffKinds = ["sign_request", "signatures_voided"] as const;

/**
 * Does `after` supersede what a posted sign-off card of `before` shows? A new revision, an
 * amendment proposed, revised, withdrawn or adopted, a signature, a request or reminder, a
 * changed signer or status: each changes the card (its Sign button or who has signed).
 */
export function supersedesSignOff(before: Plan, after: Plan): boolean {
  return (
    before.revision !== after.revision ||
    before.status !== after.status ||
    before.amendment?.revision !== after.amendment?.revision ||
    before.signatures.length !== after.signatures.length ||
    JSON.stringify(before.signatureRequest ?? null) !== JSON.stringify(after.signatureRequest ?? null) ||
    JSON.stringify(before.signers) !== JSON.stringify(after.signers)
  );
}

export interface PostedCardsOptions {
  store: Pick<Store, "getPlan" | "listSentCards" | "getConversationRef">;
  /** Each recipient's own view of the sign-off card (CardViews.signOff). */
  signOffCard: (plan: Plan, viewerId: string) => Promise<AdaptiveCard>;
  /** Read when an update runs: the endpoint's channel exists only once the server is built. */
  channel: () => ProactiveChannel | undefined;
  logger: Logger;
}

/**
 * Keeps the sign-off cards already posted for a plan up to date: when a use case supersedes the
 * version they show, every posted copy is replaced in place with its recipient's current view.
 * Runs in the background (the caller's answer does not wait on Teams); `idle()` waits for it.
 */
export class PostedCards {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly o: PostedCardsOptions) {}

  /** Resolves when the updates started so far have finished (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /**
   * The plan changed from `before` to `after`: if that supersedes what its sign-off cards show,
   * update every posted copy, the actor's own included (they may hold an older copy than the one
   * they pressed).
   */
  planChanged(before: Plan, after: Plan): void {
    if (!supersedesSignOff(before, after)) return;
    const p = this.update(after.id).catch((error: unknown) =>
      this.o.logger.warn("background card update failed", { planId: after.id, error: error instanceof Error ? error.name : "unknown" }),
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async update(planId: string): Promise<void> {
    const channel = this.o.channel();
    if (!channel) return;
    const { store } = this.o;
    const posted = await store.listSentCards({ planId, kinds: [...signOffKinds] });
    if (posted.length === 0) return;
    // The plan as stored now: a later change may have landed since this one.
    const plan = await store.getPlan(planId);
    if (!plan) return;
    for (const sent of posted) {
      const ref = await store.getConversationRef(sent.recipientId);
      if (!ref) continue;
      try {
        await channel.update(ref, sent.activityId, { card: await this.o.signOffCard(plan, sent.recipientId) });
      } catch (error) {
        this.o.logger.warn("card update failed", { planId, kind: sent.kind, error: error instanceof Error ? error.name : "unknown" });
      }
    }
  }
}
