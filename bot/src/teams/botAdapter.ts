import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext } from "botbuilder";
import type { Request, Response } from "restify";
import { retryAfterMs, type Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { ConversationRef } from "../store/store.js";
import { toActivity } from "./activities.js";
import { DeliveryError, type BotFlows, type OutgoingMessage, type ProactiveChannel } from "./platform.js";
import { TeamsBot } from "./teamsBot.js";

export interface BotCredentials {
  appId?: string;
  appPassword?: string;
  appType?: string;
  tenantId?: string;
}

export interface BotEndpoint {
  /** Handles POST /api/messages. */
  process(req: Request, res: Response): Promise<void>;
  /** Sends to stored conversations outside any turn. */
  channel: ProactiveChannel;
}

/** Reads status and Retry-After from whatever the connector threw (a RestError in botbuilder 4.23). */
function deliveryError(error: unknown, clock: Clock): DeliveryError {
  const e = error as { statusCode?: number; status?: number; response?: { status?: number; headers?: unknown }; message?: string; code?: string };
  const status = e.statusCode ?? e.response?.status ?? e.status;
  const headers = e.response?.headers as { get?: (n: string) => string | undefined } | Record<string, string> | undefined;
  const header = (name: string): string | undefined =>
    headers && typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get: (n: string) => string | undefined }).get(name)
      : (headers as Record<string, string> | undefined)?.[name];
  const wait = retryAfterMs(header("retry-after"), clock, header("date"));
  return new DeliveryError(`send failed${status ? ` (${status})` : ""}${e.code ? ` ${e.code}` : ""}`, typeof status === "number" ? status : undefined, wait);
}

/**
 * The Bot Framework endpoint on botbuilder's CloudAdapter. Authentication is botbuilder's own
 * configuration: with no app id (local mode) it accepts Microsoft 365 Agents Playground anonymously;
 * with BOT_ID/BOT_PASSWORD it validates the Bot Framework's tokens.
 */
export function createBotEndpoint(options: { credentials: BotCredentials; flows: BotFlows; logger: Logger; clock: Clock }): BotEndpoint {
  const { credentials, flows, logger } = options;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    // Ids and kinds only: never plan content.
    logger.error("bot turn failed", { error: error.name, activityType: context.activity.type });
    if (context.activity.type !== "invoke") {
      await context.sendActivity("Sorry, something went wrong. Nothing was changed; please try again.");
    }
  };
  const bot = new TeamsBot(flows, options.clock);
  const appId = credentials.appId ?? "";

  // Errors are caught inside the turn: otherwise botbuilder hands them to onTurnError, which
  // would swallow them (and apologise to the user) and the send would look successful.
  const withConversation = async (ref: ConversationRef, logic: (context: TurnContext) => Promise<void>) => {
    let failure: unknown;
    try {
      await adapter.continueConversationAsync(appId, ref.reference, async (context) => {
        try {
          await logic(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw failure instanceof DeliveryError ? failure : deliveryError(failure, options.clock);
  };

  const channel: ProactiveChannel = {
    async send(ref: ConversationRef, message: OutgoingMessage) {
      let activityId = "";
      await withConversation(ref, async (context) => {
        const sent = await context.sendActivity(toActivity(message));
        if (!sent?.id) throw new DeliveryError("the channel did not return an activity id", undefined, undefined);
        activityId = sent.id;
      });
      return { activityId };
    },
    async update(ref: ConversationRef, activityId: string, message: OutgoingMessage) {
      await withConversation(ref, async (context) => {
        await context.updateActivity({ ...toActivity(message), id: activityId });
      });
    },
  };

  return {
    process: (req, res) => adapter.process(req, res, (context) => bot.run(context)),
    channel,
  };
}
