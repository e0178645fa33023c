import { resolve } from "node:path";

/**
 * Settings come from the environment (Teams Toolkit writes them from env/.env.*).
 * Tenant mode is on exactly when the Entra app settings are present; then the local dev
 * identity does not exist.
 */
export interface Config {
  port: number;
  dataDir: string;
  /** Public base URL, used in the links cards and the manifest point at. */
  publicUrl: string;
  mode: "local" | "tenant";
  tenant?: {
    tenantId: string;
    clientId: string;
    /** Audiences accepted on API tokens: the app id URI and the client id. */
    audiences: string[];
    authority: string;
  };
  bot: {
    appId?: string;
    appPassword?: string;
    appType?: string;
    tenantId?: string;
  };
  /** Serve the built tab from here when it exists. */
  tabDist: string;
  instanceId: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const tenantId = env.AAD_APP_TENANT_ID?.trim();
  const clientId = env.AAD_APP_CLIENT_ID?.trim();
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
  const config: Config = {
    port,
    dataDir: resolve(env.DATA_DIR ?? "./data"),
    publicUrl,
    mode: tenantId && clientId ? "tenant" : "local",
    bot: {
      ...(env.BOT_ID ? { appId: env.BOT_ID } : {}),
      ...(env.BOT_PASSWORD ? { appPassword: env.BOT_PASSWORD } : {}),
      ...(env.BOT_TYPE ? { appType: env.BOT_TYPE } : {}),
      ...(env.BOT_TENANT_ID ? { tenantId: env.BOT_TENANT_ID } : {}),
    },
    tabDist: resolve(env.TAB_DIST ?? new URL("../../tab/dist", import.meta.url).pathname),
    instanceId: env.WEBSITE_INSTANCE_ID ?? env.INSTANCE_ID ?? `local-${process.pid}`,
  };
  if (tenantId && clientId) {
    const authority = (env.AAD_APP_OAUTH_AUTHORITY_HOST ?? "https://login.microsoftonline.com").replace(/\/$/, "");
    config.tenant = {
      tenantId,
      clientId,
      audiences: [clientId, `api://${new URL(publicUrl).host}/${clientId}`, ...(env.AAD_APP_ID_URI ? [env.AAD_APP_ID_URI] : [])],
      authority,
    };
  }
  return config;
}
