import { CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext, type Activity } from "botbuilder";
import type { Request, Response } from "restify";
import { retryAfterMs, type Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { problem, sendProblem, serverFailure } from "../http/problem.js";
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
 * botbuilder's ConnectorClient retries 429s (after their Retry-After) and 5xx on its own, in the
 * "Retry" phase of its @azure/core-rest-pipeline pipeline (defaultRetryPolicy: up to 3 re-sends).
 * Those re-sends go out behind the dispatcher's pacing and count against the per-app limit, so
 * they are taken out: every request goes out once, and the dispatcher retries at its own pace.
 */
export function withoutSdkRetries(auth: ConfigurationBotFrameworkAuthentication): ConfigurationBotFrameworkAuthentication {
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (identity) => {
    const factory = createFactory(identity);
    return {
      async create(serviceUrl: string, audience?: string) {
        const client = await factory.create(serviceUrl, audience);
        removeRetryPhase(client);
        return client;
      },
    };
  };
  return auth;
}

function removeRetryPhase(client: object): void {
  // The core-client ServiceClient inside botbuilder-stdlib's compat layer (private in its types).
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(o: { phase: "Retry" }): unknown[] } } }).client?.pipeline;
  // Fail loudly if an upgrade moves it: silently keeping the SDK's retries would break the pacing.
  if (!pipeline) throw new Error("the Bot Connector client has no pipeline to take the SDK's retries out of");
  pipeline.removePolicy({ phase: "Retry" });
}

/** CloudAdapter with its (protected) activity processing reachable, for our own `process` below. */
class ProcessingAdapter extends CloudAdapter {
  processIncoming(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * The Bot Framework endpoint on botbuilder's CloudAdapter. Authentication is botbuilder's own
 * configuration: with no app id (local mode) it accepts Microsoft 365 Agents Playground anonymously;
 * with BOT_ID/BOT_PASSWORD it validates the Bot Framework's tokens.
 */
export function createBotEndpoint(options: { credentials: BotCredentials; flows: BotFlows; logger: Logger; clock: Clock }): BotEndpoint {
  const { credentials, flows, logger } = options;
  const auth = withoutSdkRetries(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: credentials.appId,
      MicrosoftAppPassword: credentials.appPassword,
      MicrosoftAppType: credentials.appType,
      MicrosoftAppTenantId: credentials.tenantId,
    }),
  );
  const adapter = new ProcessingAdapter(auth);
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
    // Our own front half of CloudAdapter.process: botbuilder's prints the whole error (stack and
    // all) with console.error and answers a 500 with the error's message, which can be an
    // upstream service's text. Here a failure is logged by name and correlation id only, and
    // answered with problem JSON that says nothing of the error.
    process: async (req, res) => {
      const body: unknown = req.body;
      if (typeof body !== "object" || body === null || Array.isArray(body) || typeof (body as { type?: unknown }).type !== "string") {
        return sendProblem(res, problem(400, "The request is not valid", "Send a Bot Framework activity (JSON with a type)."));
      }
      const activity = body as Activity & { rawTimestamp?: string; rawExpiration?: string; rawLocalTimestamp?: string };
      // As botbuilder's validateAndFixActivity: timestamps arrive as strings and are read as dates.
      const raw = activity as unknown as Record<string, unknown>;
      for (const [field, rawField] of [
        ["timestamp", "rawTimestamp"],
        ["expiration", "rawExpiration"],
        ["localTimestamp", "rawLocalTimestamp"],
      ] as const) {
        const value = raw[field];
        if (typeof value === "string") {
          raw[rawField] = value;
          raw[field] = new Date(value);
        }
      }
      const authHeader = req.header("authorization") ?? "";
      try {
        const invoke = await adapter.processIncoming(authHeader, activity, (context) => bot.run(context));
        res.status(invoke?.status ?? 200);
        if (invoke?.body !== undefined) res.send(invoke.body);
        else res.end();
      } catch (error) {
        const status = (error as { statusCode?: unknown }).statusCode;
        if (status === 401 || status === 403) {
          return sendProblem(res, problem(401, "Sign in", "The Bot Framework token is missing or not valid. Nothing was read or changed."));
        }
        sendProblem(res, serverFailure(logger, error, { route: "/api/messages", activityType: activity.type }));
      }
    },
    channel,
  };
}
