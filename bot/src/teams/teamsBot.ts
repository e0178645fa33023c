import { ActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type ConversationReference } from "botbuilder";
import type { Clock } from "../clock.js";
import type { ConversationRef } from "../store/store.js";
import type { BotFlows, Caller, Conversation, ConversationKind, OutgoingMessage } from "./platform.js";
import { toActivity } from "./activities.js";

/** Reads the caller and the conversation from a turn, in the app's terms. */
export function callerOf(context: TurnContext): Caller {
  const from = context.activity.from ?? { id: "" };
  return {
    channelUserId: from.id,
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    ...(from.name ? { name: from.name } : {}),
  };
}

export function conversationOf(context: TurnContext, now: Date): Conversation {
  const a = context.activity;
  const reference = TurnContext.getConversationReference(a) as ConversationReference;
  const type = a.conversation?.conversationType;
  const kind: ConversationKind = type === "channel" ? "channel" : type === "groupChat" ? "groupChat" : "personal";
  const tenantId = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
  const ref: ConversationRef = {
    conversationId: a.conversation.id,
    serviceUrl: a.serviceUrl,
    channelId: a.channelId,
    ...(tenantId ? { tenantId } : {}),
    ...(kind === "personal" && a.from?.id ? { channelUserId: a.from.id } : {}),
    ...(kind === "personal" && a.from?.aadObjectId ? { aadObjectId: a.from.aadObjectId } : {}),
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    updatedAt: now.toISOString(),
  };
  return { kind, ref };
}

/**
 * The botbuilder activity handler: translates turns into calls on the app's flows and their
 * answers back into activities. No domain logic lives here.
 */
export class TeamsBot extends ActivityHandler {
  constructor(
    private readonly flows: BotFlows,
    private readonly clock: Clock,
  ) {
    super();
    this.onConversationUpdate(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      if (added.some((m) => m.id === context.activity.recipient.id) || added.some((m) => m.id === context.activity.from?.id)) {
        await this.greet(context);
      } else {
        await this.seen(context);
      }
      await next();
    });
    // Teams sends installationUpdate alongside the conversationUpdate that greets: just remember the conversation.
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.seen(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      const conversation = await this.seen(context);
      const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? "";
      const reply = await this.flows.message(callerOf(context), text.trim(), conversation);
      await this.reply(context, reply);
      await next();
    });
  }

  private async seen(context: TurnContext): Promise<Conversation> {
    const conversation = conversationOf(context, this.clock.now());
    await this.flows.conversationSeen(callerOf(context), conversation);
    return conversation;
  }

  private async greet(context: TurnContext): Promise<void> {
    const conversation = await this.seen(context);
    await this.reply(context, await this.flows.installed(callerOf(context), conversation));
  }

  private async reply(context: TurnContext, message: OutgoingMessage | undefined): Promise<void> {
    if (message) await context.sendActivity(toActivity(message));
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const conversation = await this.seen(context);
    const action = value.action;
    const data = action.data && typeof action.data === "object" ? action.data : {};
    const card = await this.flows.cardAction(callerOf(context), action.verb ?? "", data, conversation);
    return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card as unknown as Record<string, unknown> };
  }
}
