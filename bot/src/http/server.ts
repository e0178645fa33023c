import { join } from "node:path";
import restify, { type Server } from "restify";
import type { Config } from "../config.js";
import type { Store } from "../store/store.js";
import { PlanService } from "../app/planService.js";
import type { Clock } from "../clock.js";
import { LocalIdentity } from "../auth/localIdentity.js";
import { EntraTokenVerifier } from "../auth/entraTokens.js";
import type { Logger } from "../logger.js";
import { HttpProblem, problem, sendProblem, serverFailure, toProblem } from "./problem.js";
import type { AuthedRequest } from "./handle.js";
import { registerPlanRoutes } from "./planRoutes.js";
import { registerExportRoutes } from "./exportRoutes.js";
import { evidenceUploadPath, refuseRestOfBody, registerRecordRoutes } from "./recordRoutes.js";
import { registerRecordSignOffRoutes } from "./recordSignOffRoutes.js";
import { registerDirectoryRoutes } from "./directoryRoutes.js";
import { registerRosterRoutes } from "./rosterRoutes.js";
import { registerDashboardRoutes } from "./dashboardRoutes.js";
import { registerRetentionRoutes } from "./retentionRoutes.js";
import { RetentionService } from "../app/retention.js";
import { RosterService, resolveTenantCaller } from "../app/roster.js";
import { registerDevRoutes } from "./devRoutes.js";
import { registerApiNotFound, registerTabStatic } from "./tabStatic.js";
import { openApiDocument } from "./openapi.js";
import { createBotEndpoint } from "../teams/botAdapter.js";
import type { ProactiveChannel } from "../teams/platform.js";
import { CardViews } from "../flows/cardViews.js";
import { SupportPlanFlows } from "../flows/botFlows.js";
import { PostedCards } from "../plans/postedCards.js";
import type { PlanDeps } from "../plans/deps.js";
import { OutboxDispatcher } from "../scheduler/dispatcher.js";
import { WeeklyScheduler } from "../scheduler/weeklyScheduler.js";
import { BotWorker } from "../scheduler/worker.js";
import { RetentionJob } from "../scheduler/retentionJob.js";
import type { RateLimiter } from "../scheduler/rateLimiter.js";
import { GraphAppInstaller, type AppInstaller } from "../teams/installer.js";
import { HttpWebhookSender, type WebhookSender } from "../teams/webhookSender.js";

/** Request bodies are forms, not files: 256 KB is far more than the largest plan. */
export const maxBodyBytes = 256 * 1024;

const publicPaths = new Set(["/healthz", "/api/openapi.json", "/api/reference", "/api/messages", "/api/dev/personas", "/api/dev/sign-in", "/api/auth/config"]);

/** The bot's parts, for main.ts (start/stop the worker) and for tests (drive ticks directly). */
export interface BotParts {
  flows: SupportPlanFlows;
  views: CardViews;
  channel: ProactiveChannel;
  dispatcher: OutboxDispatcher;
  scheduler: WeeklyScheduler;
  worker: BotWorker;
}

export interface App {
  server: Server;
  service: PlanService;
  bot: BotParts;
  identity?: LocalIdentity;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  store: Store;
  logger: Logger;
  /** The one clock (main.ts passes the system clock; tests one they move). */
  clock: Clock;
  /** Tests inject signing keys for tenant mode; production fetches the tenant's JWKS. */
  entraVerifier?: EntraTokenVerifier;
  /** Tests and the bench swap the proactive channel or the limiter. */
  botOverrides?: {
    channel?: (real: ProactiveChannel) => ProactiveChannel;
    limiter?: RateLimiter;
    dispatcherSleep?: (ms: number) => Promise<void>;
    /** Issue 6: the proactive installer and the AB webhook sender (tests use doubles). */
    installer?: AppInstaller;
    webhook?: WebhookSender;
  };
}

export function createApp({ config, store, logger, clock, entraVerifier, botOverrides = {} }: AppOptions): App {
  const service = new PlanService(store, clock);
  const server = restify.createServer({
    name: "ect-support-plans",
    handleUncaughtExceptions: false,
    formatters: { "application/problem+json": (_req, _res, body) => JSON.stringify(body) },
  });

  // Any restify-level failure (bad JSON, body too large, unknown route) is problem JSON too.
  server.on("restifyError", (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    const status = err instanceof HttpProblem ? err.statusCode : typeof err.statusCode === "number" && err.statusCode < 500 ? err.statusCode : 500;
    const p =
      err instanceof HttpProblem
        ? err.problem
        : status === 413
          ? problem(413, "Too large", `The request body is larger than ${maxBodyBytes / 1024} KB. Nothing was saved.`)
          : status === 404
            ? problem(404, "Not found", "There is nothing at this address.")
            : status === 405
              ? problem(405, "Method not allowed", "This address does not accept that method.")
              : status < 500
                ? problem(
                    status,
                    "The request is not valid",
                    status === 415 ? "Send JSON (content-type application/json)." : "The request body is not valid JSON.",
                  )
                : toProblem(err);
    // A 500 answers a generic message and a correlation id; the log line has the id and the error's name only.
    sendProblem(res, p.status >= 500 && p.status !== 503 ? serverFailure(logger, err, { route: req.getRoute()?.path, method: req.method }) : p);
    return cb();
  });

  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Issue 7: request bodies are read only after authentication (below), and only as JSON; see readJsonBody.

  const identity = config.mode === "local" ? LocalIdentity.open(config.dataDir, clock) : undefined;
  const verifier = config.mode === "tenant" && config.tenant ? (entraVerifier ?? new EntraTokenVerifier(config.tenant, clock)) : undefined;

  // Every API call is authenticated: a local persona token in local mode, an Entra token in tenant mode.
  server.use(async (req: AuthedRequest, res) => {
    const path = req.path();
    if (!path.startsWith("/api/") || publicPaths.has(path)) return;
    const header = req.header("authorization") ?? "";
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    const refuse = (detail: string): never => {
      res.header("www-authenticate", 'Bearer realm="ect-support-plans"');
      throw new HttpProblem(problem(401, "Sign in", detail));
    };
    // Throwing here ends the request: restify routes the error to the problem JSON handler above.
    if (!token) return refuse("Sign in to use the app.");
    let person;
    if (identity) {
      const personId = await identity.verify(token);
      person = personId ? await store.getPerson(personId) : undefined;
    } else if (verifier) {
      const entra = await verifier.verify(token);
      // Roles come from the school's roster: by object id, or matched once by email/UPN on first sign-in.
      person = entra ? await resolveTenantCaller(store, entra, clock.now()) : undefined;
      if (entra && !person) {
        throw new HttpProblem(
          problem(403, "Not set up", "You are signed in, but your school has not given you a role in this app yet. Ask your induction lead."),
        );
      }
    }
    if (!person) return refuse("Your sign-in has expired or is not valid. Sign in again.");
    // Issue 15: someone who has left the school holds no role there (the lead can reinstate them).
    if (person.leftOn) throw new HttpProblem(problem(403, "No longer on the roster", "Your school has recorded that you have left. Ask its induction lead."));
    req.caller = person;
  });

  // Issue 7: bodies are JSON of at most 256 KB, read only once the caller is known (the bot
  // endpoint, which botbuilder authenticates, needs its activity parsed into req.body first).
  // Nothing is ever written to disk here: restify's bodyParser handed multipart bodies to
  // formidable, which saved every file, of any size, in the temp folder before anyone signed in,
  // and kept it. Any other content type is 415; an evidence upload is a raw file read by its own
  // route, after its own checks, into the data folder.
  const jsonType = /^application\/(?:[\w.-]+\+)?json$/;
  const tooLarge = () => new HttpProblem(problem(413, "Too large", `The request body is larger than ${maxBodyBytes / 1024} KB. Nothing was saved.`));
  const readJsonBody = (req: restify.Request, res: restify.Response) =>
    new Promise<unknown>((resolve, reject) => {
      const declared = Number(req.header("content-length") ?? "NaN");
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        refuseRestOfBody(req, res);
        return reject(tooLarge());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onError);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBodyBytes) return void chunks.push(chunk);
        done();
        chunks.length = 0;
        refuseRestOfBody(req, res);
        reject(tooLarge());
      };
      const onEnd = () => {
        done();
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new HttpProblem(problem(400, "The request is not valid", "The request body is not valid JSON.")));
        }
      };
      const onError = (error: Error) => {
        done();
        reject(error);
      };
      req.on("data", onData);
      req.once("end", onEnd);
      req.once("error", onError);
    });
  server.use(async (req: restify.Request, res: restify.Response) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return;
    if (req.method === "POST" && evidenceUploadPath.test(req.path())) return;
    const hasBody = req.header("transfer-encoding") !== undefined || Number(req.header("content-length") ?? "0") > 0;
    if (!hasBody) return;
    const type = (req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const encoding = (req.header("content-encoding") ?? "identity").trim().toLowerCase();
    if (!jsonType.test(type) || encoding !== "identity") {
      refuseRestOfBody(req, res);
      throw new HttpProblem(
        problem(415, "The request is not valid", "Send JSON (content-type application/json), without a content encoding. Nothing was read or saved."),
      );
    }
    req.body = await readJsonBody(req, res);
  });

  server.get("/healthz", async (_req, res) => {
    await store.countPlans();
    res.send(200, { status: "ok", store: store.kind, mode: config.mode, instance: config.instanceId });
  });
  server.get("/api/openapi.json", async (_req, res) => {
    res.send(200, openApiDocument(config.publicUrl, config.mode));
  });

  // What the tab needs to start sign-in (nested app authentication / Teams SSO): public ids only.
  server.get("/api/auth/config", async (_req, res) => {
    const t = config.tenant;
    const appIdUri = t ? [...t.audiences].reverse().find((a) => a.startsWith("api://")) : undefined;
    res.send(
      200,
      t && appIdUri
        ? { mode: "tenant", clientId: t.clientId, tenantId: t.tenantId, authority: `${t.authority}/${t.tenantId}`, scopes: [`${appIdUri}/access_as_user`] }
        : { mode: "local" },
    );
  });

  // The plan use cases (bot/src/plans): routes and card actions both call them. Their notify
  // step keeps posted sign-off cards current, through the bot's channel (made below).
  // Card links: Teams deep links into the personal tab once the app has a Teams app id (issue 15).
  const links = { publicUrl: config.publicUrl, ...(config.teamsAppId ? { teamsAppId: config.teamsAppId } : {}) };
  const views = new CardViews(store, service, links);
  const postedCards = new PostedCards({
    store,
    signOffCard: (plan, viewerId) => views.signOff(plan, viewerId),
    // Read only when an update runs, after `channel` below exists.
    channel: () => channel,
    logger,
  });
  const plans: PlanDeps = { service, postedCards };

  registerDirectoryRoutes(server, service, logger, config.mode);
  registerPlanRoutes(server, plans, logger);
  registerRosterRoutes(server, new RosterService(store, () => clock.now()), logger, config.webhookAllowedHosts);
  registerExportRoutes(server, plans, store, logger);
  registerRecordRoutes(server, plans, store, logger, join(config.dataDir, "uploads"));
  registerRecordSignOffRoutes(server, plans, store, logger);
  registerDashboardRoutes(server, store, clock, logger);
  registerRetentionRoutes(server, new RetentionService(store, () => clock.now()), logger);
  if (identity) registerDevRoutes(server, store, identity, logger, clock);

  // Bot Framework endpoint (botbuilder lives behind bot/src/teams/). With no bot credentials
  // (local mode) the adapter accepts the Agents Playground; in a tenant it validates the Bot
  // Framework's tokens itself.
  const flows = new SupportPlanFlows({
    store,
    plans,
    postedCards,
    views,
    logger,
    links,
    allowPersonaIds: config.mode === "local" && !config.bot.appId,
  });
  const endpoint = createBotEndpoint({ credentials: config.bot, flows, logger, clock });
  const channel: ProactiveChannel = botOverrides.channel ? botOverrides.channel(endpoint.channel) : endpoint.channel;
  const dispatcher = new OutboxDispatcher({
    store,
    renderer: views,
    channel,
    clock,
    instanceId: config.instanceId,
    logger,
    ...(botOverrides.limiter ? { limiter: botOverrides.limiter } : {}),
    ...(botOverrides.dispatcherSleep ? { sleep: botOverrides.dispatcherSleep } : {}),
    // Issue 6: install the app for people the bot cannot reach yet; AB alerts via the AB's webhook.
    ...(botOverrides.installer ? { installer: botOverrides.installer } : config.install ? { installer: new GraphAppInstaller(config.install, {}, clock) } : {}),
    webhook: botOverrides.webhook ?? new HttpWebhookSender({ clock, allowHosts: config.webhookAllowedHosts }),
    // Local demo: someone opens the Agents Playground after start-up; their cards follow within seconds.
    ...(config.mode === "local" ? { noConversationRetryMs: 10_000 } : {}),
  });
  const scheduler = new WeeklyScheduler({ store, clock, instanceId: config.instanceId, logger });
  const retention = new RetentionJob({ store, clock, instanceId: config.instanceId, logger });
  const worker = new BotWorker({ dispatcher, scheduler, retention, logger });
  const bot: BotParts = { flows, views, channel, dispatcher, scheduler, worker };

  server.post("/api/messages", async (req, res) => {
    // BOT_DISABLED (tenant mode only): no activity is read, whoever it claims to come from.
    if (config.bot.disabled)
      return sendProblem(res, problem(401, "The bot is disabled", "This server runs without its bot (BOT_DISABLED). Nothing was read or changed."));
    await endpoint.process(req, res);
  });

  // Issue 1: unknown /api/ addresses (and /api/dev/* in tenant mode, where they are not registered) are 404.
  registerApiNotFound(server);
  registerTabStatic(server, config.tabDist);

  return {
    server,
    service,
    bot,
    ...(identity ? { identity } : {}),
    listen: (port = config.port) =>
      new Promise((resolve) => {
        server.listen(port, config.host, () => {
          const address = server.address();
          const shownHost = ["0.0.0.0", "::", "127.0.0.1", "::1"].includes(config.host) ? "localhost" : config.host;
          resolve(`http://${shownHost}:${typeof address === "object" && address ? address.port : port}`);
        });
      }),
    close: async () => {
      await worker.stop();
      await flows.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
}
