import { z } from "zod";
import { AddCommentInput, DomainError, FormText, Id, RecordCheckInInput, daysBetween, schoolDate, type Person, type Plan } from "@ectsp/shared";
import type { Store } from "../store/store.js";
import { storeBusy } from "../store/busy.js";
import type { Logger } from "../logger.js";
import {
  errorCard,
  isMutable,
  mutableReminderKinds,
  planLink,
  recordedCard,
  tabLink,
  welcomeCard,
  type AdaptiveCard,
  type CardRef,
  type PlanLinks,
} from "../cards/index.js";
import type { BotFlows, Caller, Conversation, OutgoingMessage } from "../teams/platform.js";
import type { PlanDeps } from "../plans/deps.js";
import type { PostedCards } from "../plans/postedCards.js";
import { addComment } from "../plans/addComment.js";
import { evaluateWeek } from "../plans/evaluateWeek.js";
import { readPlan } from "../plans/readPlan.js";
import { recordCheckIn } from "../plans/recordCheckIn.js";
import { signPlan } from "../plans/signPlan.js";
import type { CardViews } from "./cardViews.js";

const CardRefSchema: z.ZodType<CardRef> = z.discriminatedUnion("card", [
  z.object({ card: z.literal("checkIn"), planId: z.string().min(1).max(128), checkInId: z.string().min(1).max(256), week: z.number().int().min(1).max(6) }),
  z.object({ card: z.literal("evaluation"), planId: z.string().min(1).max(128), week: z.number().int().min(1).max(6) }),
  z.object({ card: z.literal("signOff"), planId: z.string().min(1).max(128), revision: z.number().int().min(1) }),
  z.object({ card: z.literal("alert"), planId: z.string().min(1).max(128), kind: z.enum(["escalation_alert", "insufficient_progress_alert"]) }),
  z.object({ card: z.literal("abUpdate"), planId: z.string().min(1).max(128), week: z.number().int().min(1).max(6) }),
  z.object({ card: z.literal("notice"), planId: z.string().min(1).max(128) }),
]);

/** A Mute button's data: the kind of reminder, and the person the card was sent to (cards since issue 15 carry it). */
const MuteData = z.object({ kind: z.enum(mutableReminderKinds), personId: Id.optional() });

export interface BotFlowOptions {
  store: Store;
  /** The plan use cases (bot/src/plans): card actions call the same ones the routes do. */
  plans: PlanDeps;
  /** Posted sign-off cards, kept current by the use cases' notify step (idle() waits for it). */
  postedCards?: Pick<PostedCards, "idle">;
  views: CardViews;
  logger: Logger;
  /** Where card links point (planLink): Teams deep links once TEAMS_APP_ID is set. */
  links: PlanLinks;
  /**
   * Local mode with no bot credentials: a caller the directory does not know by Entra id may be
   * a demo persona, named by its person id in `from.aadObjectId` or `from.id` (the Agents
   * Playground config `npm start` writes makes the Playground's users the demo personas). Never
   * in a tenant.
   */
  allowPersonaIds: boolean;
}

/**
 * A Sign pressed on a card that no longer shows the version being signed: the plan changed
 * (a conflict naming the current revision), went back to draft, was agreed, closed or replaced.
 * Such a press is answered with the current card, never a dead end.
 */
const staleSign = (error: unknown) =>
  error instanceof DomainError && ((error.kind === "conflict" && "currentRevision" in error.details) || error.kind === "invalid_state");

const today = (d: Date) => schoolDate(d);

/** What the bot does with what people send it. Speaks the domain; knows nothing of botbuilder. */
export class SupportPlanFlows implements BotFlows {
  constructor(private readonly o: BotFlowOptions) {}

  /** Resolves when the background card updates started so far have finished (tests wait on it). */
  async idle(): Promise<void> {
    await this.o.postedCards?.idle();
  }

  async personOf(caller: Caller): Promise<Person | undefined> {
    const person = await this.rosterPersonOf(caller);
    // Issue 15: someone who has left the school holds no role there, in the bot as in the tab.
    return person?.leftOn ? undefined : person;
  }

  private async rosterPersonOf(caller: Caller): Promise<Person | undefined> {
    const { store } = this.o;
    if (caller.aadObjectId) {
      const byAad = await store.getPersonByAadObjectId(caller.aadObjectId);
      if (byAad) return byAad;
    }
    if (!this.o.allowPersonaIds) return undefined;
    for (const id of [caller.aadObjectId, caller.channelUserId]) {
      if (!id) continue;
      const person = await store.getPerson(id);
      if (person) return person;
    }
    return undefined;
  }

  async conversationSeen(caller: Caller, conversation: Conversation): Promise<void> {
    const person = await this.personOf(caller);
    if (!person) return;
    const { store } = this.o;
    if (conversation.kind === "personal") {
      const existing = await store.getConversationRef(person.id);
      const ref = conversation.ref;
      if (
        !existing ||
        existing.conversationId !== ref.conversationId ||
        existing.serviceUrl !== ref.serviceUrl ||
        existing.channelUserId !== ref.channelUserId
      ) {
        await store.saveConversationRef(person.id, ref);
        // Messages that waited for a way to reach them (backing off for hours) go out now.
        if (!existing) await store.wakeRecipient(person.id, this.o.plans.service.now());
      }
    } else if (conversation.kind === "channel" && person.roles.includes("ab_officer") && person.abId) {
      const existing = await store.getChannelRef(person.abId);
      if (!existing || existing.conversationId !== conversation.ref.conversationId) await store.saveChannelRef(person.abId, conversation.ref);
    }
  }

  async installed(caller: Caller): Promise<OutgoingMessage | undefined> {
    const person = await this.personOf(caller);
    return { card: welcomeCard({ ...(person ? { name: person.displayName } : {}), tabUrl: tabLink(this.o.links), isEct: !!person?.roles.includes("ect") }) };
  }

  /** An ECT's message becomes a comment on their current plan; anyone else gets help. */
  async message(caller: Caller, text: string, conversation: Conversation): Promise<OutgoingMessage | undefined> {
    const person = await this.personOf(caller);
    if (!person) return { card: this.unknownCaller() };
    if (!text || /^(help|hi|hello|hey)\b/i.test(text) || conversation.kind !== "personal" || !person.roles.includes("ect")) {
      return { card: welcomeCard({ name: person.displayName, tabUrl: tabLink(this.o.links), isEct: person.roles.includes("ect") }) };
    }
    try {
      const plan = await this.currentPlan(person);
      if (!plan) return { card: errorCard({ message: "You have no support plan running at the moment, so there is nothing to add a comment to." }) };
      const now = this.o.plans.service.now();
      const week = plan.startDate ? Math.floor(daysBetween(plan.startDate, today(now)) / 7) + 1 : undefined;
      const input = AddCommentInput.parse({ text, ...(week && plan.weeks.some((w) => w.week === week) ? { week } : {}) });
      await addComment(this.o.plans, person, plan.id, input);
      return {
        card: recordedCard({
          title: "Added to your plan as a comment",
          lines: [input.week ? `Week ${input.week}` : "On the plan as a whole"],
          url: planLink(this.o.links, plan.id),
        }),
      };
    } catch (error) {
      return { card: this.errorToCard(error) };
    }
  }

  private async currentPlan(person: Person): Promise<Plan | undefined> {
    const ects = await this.o.store.listEcts({ personId: person.id });
    if (!ects.length) return undefined;
    const running = await this.o.store.listPlanSummaries({ ectIds: ects.map((e) => e.id), status: ["active", "in_review", "agreed"] });
    const rank = { active: 0, in_review: 1, agreed: 2 } as Record<string, number>;
    const best = [...running].sort((a, b) => (rank[a.status] ?? 9) - (rank[b.status] ?? 9) || b.updatedAt.localeCompare(a.updatedAt))[0];
    return best ? this.o.store.getPlan(best.id) : undefined;
  }

  async cardAction(caller: Caller, verb: string, data: Record<string, unknown>): Promise<AdaptiveCard> {
    const person = await this.personOf(caller);
    if (!person) return this.unknownCaller();
    try {
      if (verb === "mute") return await this.mute(person, data);
      const parsed = CardRefSchema.safeParse(data.ref);
      if (!parsed.success) return errorCard({ message: "This card is out of date or damaged. Open the plan in the app instead." });
      const ref = parsed.data;
      const { plans, views } = this.o;
      const day = today(plans.service.now());
      switch (verb) {
        case "refresh":
          return await views.forRef(ref, person, day);
        case "sign":
          if (ref.card !== "signOff") break;
          return await this.sign(person, ref.planId, ref.revision);
        case "checkIn": {
          if (ref.card !== "checkIn") break;
          const input = RecordCheckInInput.parse({ week: ref.week, comment: data.comment, checkInId: ref.checkInId });
          await recordCheckIn(plans, person, ref.planId, input);
          return await views.forRef(ref, person, day);
        }
        case "evaluate": {
          if (ref.card !== "evaluation") break;
          const evaluation = FormText(4000)
            .trim()
            .min(1, { message: "Write the evaluation of progress" })
            .parse(data.evaluation ?? "");
          await evaluateWeek(plans, person, ref.planId, ref.week, evaluation);
          return await views.forRef(ref, person, day);
        }
        case "comment": {
          const input = AddCommentInput.parse({ text: data.comment, ...("week" in ref ? { week: ref.week } : {}) });
          await addComment(plans, person, ref.planId, input);
          return recordedCard({ title: "Comment added to the plan", url: planLink(this.o.links, ref.planId) });
        }
      }
      return errorCard({ message: "This button does not do anything on this card. Open the plan in the app instead." });
    } catch (error) {
      return this.errorToCard(error);
    }
  }

  private async mute(person: Person, data: Record<string, unknown>): Promise<AdaptiveCard> {
    const parsed = MuteData.safeParse(data);
    if (!parsed.success && !isMutable(String(data.kind))) return errorCard({ message: "Sign-off requests and escalation alerts cannot be muted." });
    if (!parsed.success) return errorCard({ message: "This card is out of date or damaged. Open the plan in the app instead." });
    const { kind, personId } = parsed.data;
    // A card sent to someone else (forwarded, or its data rewritten): their reminders are theirs to mute.
    if (personId && personId !== person.id) return errorCard({ message: "This card was sent to someone else: only they can mute their reminders." });
    await this.o.store.setReminderMute(person.id, kind, true, this.o.plans.service.now());
    return recordedCard({ title: "Muted", lines: ["You will not get these reminders any more. Sign-off requests and escalation alerts still reach you."] });
  }

  /**
   * Sign on a sign-off card: the signPlan use case, given as "card" (whatever the card's data
   * says). Posted copies follow from its notify step. A card that no longer shows the version
   * being signed answers with the signer's current card (its Sign for the current version).
   */
  private async sign(person: Person, planId: string, revision: number): Promise<AdaptiveCard> {
    const { plans, views } = this.o;
    try {
      const result = await signPlan(plans, person, planId, { revision }, "card");
      return await views.signOff(result.plan, person.id);
    } catch (error) {
      if (!staleSign(error)) throw error;
      // Read again as this person: someone who may not see the plan gets the refusal, not a card.
      const { plan } = await readPlan(plans, person, planId);
      return await views.signOff(plan, person.id, { stale: true });
    }
  }

  private unknownCaller(): AdaptiveCard {
    return errorCard({
      message: this.o.allowPersonaIds
        ? "I don't know who you are. In local mode, chat as a demo persona: `npm start` starts Microsoft 365 Agents Playground with the demo people as its users."
        : "You are signed in to Teams, but your school has not given you a role in this app yet. Ask your induction lead.",
    });
  }

  private errorToCard(error: unknown): AdaptiveCard {
    if (error instanceof DomainError) return errorCard({ message: error.message, details: error.violations.map((v) => v.message) });
    if (error instanceof z.ZodError)
      return errorCard({ message: error.issues[0]?.message ?? "Some of what you entered is not valid.", details: error.issues.slice(1).map((i) => i.message) });
    const busy = storeBusy(error);
    if (busy) {
      // Throttled past the retries: not a fault, and "nothing was changed" only when the store says so.
      this.o.logger.warn("card action delayed by throttling", {
        error: error instanceof Error ? error.name : "unknown",
        retryAfterSeconds: busy.retryAfterSeconds,
      });
      if (busy.completing) return errorCard({ message: "Saving is taking longer than usual (Microsoft 365 is slow to confirm).", completing: true });
      const message = "The app is busy right now (Microsoft 365 asked it to slow down). Please try again in a minute.";
      return errorCard({ message, ...(busy.unchanged === false ? { partlySaved: true } : {}) });
    }
    this.o.logger.error("card action failed", { error: error instanceof Error ? error.name : "unknown" });
    return errorCard({ message: "Something went wrong on our side. Please try again in a minute." });
  }
}
