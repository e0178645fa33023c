import restify, { type Server } from "restify";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";
import type { Config } from "../config.js";
import type { Store } from "../store/store.js";
import { PlanService, systemClock, type Clock } from "../app/planService.js";
import { LocalIdentity } from "../auth/localIdentity.js";
import { EntraTokenVerifier } from "../auth/entraTokens.js";
import type { Logger } from "../logger.js";
import { HttpProblem, problem, sendProblem, toProblem } from "./problem.js";
import type { AuthedRequest } from "./handle.js";
import { registerPlanRoutes } from "./planRoutes.js";
import { registerDirectoryRoutes } from "./directoryRoutes.js";
import { registerDevRoutes } from "./devRoutes.js";
import { registerTabStatic } from "./tabStatic.js";
import { openApiDocument } from "./openapi.js";
import { SupportPlanBot } from "../teams/supportPlanBot.js";

/** Request bodies are forms, not files: 256 KB is far more than the largest plan. */
export const maxBodyBytes = 256 * 1024;

const publicPaths = new Set(["/healthz", "/api/openapi.json", "/api/reference", "/api/messages", "/api/dev/personas", "/api/dev/sign-in"]);

export interface App {
  server: Server;
  service: PlanService;
  identity?: LocalIdentity;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** Tests inject signing keys for tenant mode; production fetches the tenant's JWKS. */
  entraVerifier?: EntraTokenVerifier;
}

export function createApp({ config, store, logger, clock = systemClock, entraVerifier }: AppOptions): App {
  const service = new PlanService(store, clock);
  const server = restify.createServer({
    name: "ect-support-plans",
    handleUncaughtExceptions: false,
    formatters: { "application/problem+json": (_req, _res, body) => JSON.stringify(body) },
  });

  // Any restify-level failure (bad JSON, body too large, unknown route) is problem JSON too.
  server.on("restifyError", (_req, res, err: Error & { statusCode?: number }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    const p = err instanceof HttpProblem
      ? err.problem
      : status === 413
        ? problem(413, "Too large", `The request body is larger than ${maxBodyBytes / 1024} KB. Nothing was saved.`)
        : status === 404
          ? problem(404, "Not found", "There is nothing at this address.")
          : status === 405
            ? problem(405, "Method not allowed", "This address does not accept that method.")
            : status < 500
              ? problem(status, "The request is not valid", status === 415 ? "Send JSON (content-type application/json)." : "The request body is not valid JSON.")
              : toProblem(err);
    sendProblem(res, p);
    return cb();
  });

  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false, mapFiles: false, rejectUnknown: true }));

  const identity = config.mode === "local" ? LocalIdentity.open(config.dataDir) : undefined;
  const verifier = config.mode === "tenant" && config.tenant ? (entraVerifier ?? new EntraTokenVerifier(config.tenant)) : undefined;

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
      person = entra ? await store.getPersonByAadObjectId(entra.oid) : undefined;
      if (entra && !person) {
        throw new HttpProblem(problem(403, "Not set up", "You are signed in, but your school has not given you a role in this app yet. Ask your induction lead."));
      }
    }
    if (!person) return refuse("Your sign-in has expired or is not valid. Sign in again.");
    req.caller = person;
  });

  server.get("/healthz", async (_req, res) => {
    await store.countPlans();
    res.send(200, { status: "ok", store: store.kind, mode: config.mode, instance: config.instanceId });
  });
  server.get("/api/openapi.json", async (_req, res) => {
    res.send(200, openApiDocument(config.publicUrl, config.mode));
  });

  registerDirectoryRoutes(server, service, logger, config.mode);
  registerPlanRoutes(server, service, logger);
  if (identity) registerDevRoutes(server, store, identity, logger);

  // Bot Framework endpoint. With no bot credentials (local mode), the adapter accepts the
  // Teams App Test Tool; in a tenant it validates the Bot Framework's tokens itself.
  const botAuth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(botAuth);
  adapter.onTurnError = async (context, error) => {
    logger.error("bot turn failed", { error: error.name, activityType: context.activity.type });
    await context.sendActivity("Sorry, something went wrong. Nothing was changed; please try again.");
  };
  const bot = new SupportPlanBot(config.publicUrl);
  server.post("/api/messages", async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  registerTabStatic(server, config.tabDist);

  return {
    server,
    service,
    ...(identity ? { identity } : {}),
    listen: (port = config.port) =>
      new Promise((resolve) => {
        server.listen(port, "0.0.0.0", () => {
          const address = server.address();
          resolve(`http://localhost:${typeof address === "object" && address ? address.port : port}`);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
