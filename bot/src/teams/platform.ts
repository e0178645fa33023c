/**
 * The boundary between the messaging platform and the app. Everything outside `bot/src/teams/`
 * talks to the platform through these types only: flows receive a `Caller` and domain data and
 * return cards; the scheduler sends through a `ProactiveChannel`. Moving from botbuilder to the
 * Teams SDK (or the Agents SDK) replaces the implementations in this folder, nothing else.
 */
import type { AdaptiveCard } from "../cards/card.js";
import type { ConversationRef } from "../store/store.js";

/** Who sent an activity, as the channel says. */
export interface Caller {
  /** The user's id on the channel (Teams: "29:…"; the Agents Playground: its configured user id). */
  channelUserId: string;
  /** Entra object id (Teams always sends it for users in a tenant). */
  aadObjectId?: string;
  name?: string;
}

export type ConversationKind = "personal" | "groupChat" | "channel";

/** The conversation an activity came from, with a reference for sending to it later. */
export interface Conversation {
  kind: ConversationKind;
  ref: ConversationRef;
}

/** What the bot posts: text, a card, or both. */
export interface OutgoingMessage {
  text?: string;
  card?: AdaptiveCard;
}

/** What the app does with incoming activities; implemented in `bot/src/flows/`. */
export interface BotFlows {
  /** Any activity from a user (install, message, card action): remember where to reach them. */
  conversationSeen(caller: Caller, conversation: Conversation): Promise<void>;
  /** The app was installed, or the bot added to a conversation. */
  installed(caller: Caller, conversation: Conversation): Promise<OutgoingMessage | undefined>;
  /** A text message to the bot. */
  message(caller: Caller, text: string, conversation: Conversation): Promise<OutgoingMessage | undefined>;
  /** A Universal Action (`Action.Execute`) or a refresh: returns the card to show in place. */
  cardAction(caller: Caller, verb: string, data: Record<string, unknown>, conversation: Conversation): Promise<AdaptiveCard>;
}

/** Sending to a stored conversation, outside any turn. */
export interface ProactiveChannel {
  send(ref: ConversationRef, message: OutgoingMessage): Promise<{ activityId: string }>;
  update(ref: ConversationRef, activityId: string, message: OutgoingMessage): Promise<void>;
}

/** A failed send, with what the channel said: the status and how long it asked us to wait. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = "DeliveryError";
  }

  /** Worth trying again: throttled, a transient server error, or no answer at all (Teams docs: retry 412, 429, 502, 504). */
  get transient(): boolean {
    return this.status === undefined || this.status === 408 || this.status === 412 || this.status === 429 || this.status >= 500;
  }
}
