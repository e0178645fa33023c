import { resolve } from "node:path";
import { z } from "zod";
import { parseWebhookAllowedHosts } from "@ectsp/shared";
import type { SharePointSettings } from "./store/sharepoint/graph.js";
import type { GraphInstallerSettings } from "./teams/installer.js";

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
  /**
   * TEAMS_APP_ID, the Teams app's manifest id (the Teams Toolkit writes it): with it, card links are
   * Teams deep links into the personal tab, where single sign-on works; without it, the tab's URL.
   */
  teamsAppId?: string;
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
    /** Tenant mode with BOT_DISABLED=true: no bot, /api/messages answers 401 and nothing is sent. */
    disabled?: boolean;
  };
  /** The address to listen on: 127.0.0.1 in local mode (one machine), all interfaces in tenant mode; HOST overrides. */
  host: string;
  /** Serve the built tab from here when it exists. */
  tabDist: string;
  instanceId: string;
  /** Set when SHAREPOINT_SITE_ID is: the store is then SharePoint lists via Microsoft Graph. */
  sharePoint?: SharePointSettings;
  /** Set when TEAMS_APP_CATALOG_ID is (with the bot's credentials): install the app for people the bot cannot reach yet. */
  install?: GraphInstallerSettings;
  /**
   * WEBHOOK_ALLOWED_HOSTS: the host suffixes an AB's alert webhook may point at (comma-separated);
   * default the Workflows / Power Automate / connector hosts (defaultWebhookAllowedHosts, shared/src/webhookUrl.ts).
   */
  webhookAllowedHosts: string[];
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
    host: env.HOST?.trim() || (tenantId && clientId ? "0.0.0.0" : "127.0.0.1"),
    tabDist: resolve(env.TAB_DIST ?? new URL("../../tab/dist", import.meta.url).pathname),
    instanceId: env.WEBSITE_INSTANCE_ID ?? env.INSTANCE_ID ?? `local-${process.pid}`,
    webhookAllowedHosts: parseWebhookAllowedHosts(env.WEBHOOK_ALLOWED_HOSTS),
  };
  const teamsAppId = env.TEAMS_APP_ID?.trim();
  if (teamsAppId) {
    // A typo here would send every card link to an app that does not exist: refuse to start instead.
    if (!z.guid().safeParse(teamsAppId).success) {
      throw new Error(`TEAMS_APP_ID must be the Teams app's id (a GUID, the manifest's "id"), not "${teamsAppId}"`);
    }
    config.teamsAppId = teamsAppId.toLowerCase();
  }
  if (tenantId && clientId) {
    const authority = (env.AAD_APP_OAUTH_AUTHORITY_HOST ?? "https://login.microsoftonline.com").replace(/\/$/, "");
    config.tenant = {
      tenantId,
      clientId,
      audiences: [clientId, `api://${new URL(publicUrl).host}/${clientId}`, ...(env.AAD_APP_ID_URI ? [env.AAD_APP_ID_URI] : [])],
      authority,
    };
  }
  if (config.mode === "tenant") {
    // In a tenant, activities on /api/messages are trusted only when the Bot Framework signed them,
    // which botbuilder checks only when it has the bot's credentials: without them it would accept
    // anyone's activity as whoever's Entra object id it carries.
    const missing = [!env.BOT_ID?.trim() && "BOT_ID is missing", !env.BOT_PASSWORD?.trim() && "BOT_PASSWORD is missing"].filter((m): m is string => !!m);
    const disabled = env.BOT_DISABLED?.trim() === "true";
    if (missing.length > 0 && !disabled) {
      throw new Error(
        `Tenant mode (AAD_APP_TENANT_ID and AAD_APP_CLIENT_ID are set) needs the bot's credentials: ${missing.join("; ")}. ` +
          "Provisioning writes them (teamsapp.yml); or set BOT_DISABLED=true to run the tab and API without the bot (then /api/messages answers 401).",
      );
    }
    if (disabled) config.bot = { disabled: true };
  }
  const sharePoint = loadSharePointSettings(env);
  if (sharePoint) config.sharePoint = sharePoint;
  // Proactive install (issue 6): with the sign-in app's credentials, which aad.manifest.json grants
  // TeamsAppInstallation.ReadWriteSelfForUser.All (application). Off unless TEAMS_APP_CATALOG_ID is set.
  const catalogId = env.TEAMS_APP_CATALOG_ID?.trim();
  const installSecret = env.AAD_APP_CLIENT_SECRET?.trim();
  if (catalogId && env.BOT_ID && tenantId && clientId && installSecret) {
    config.install = {
      teamsAppCatalogId: catalogId,
      botAppId: env.BOT_ID,
      tenantId,
      serviceUrl: (env.BOT_SERVICE_URL?.trim() || "https://smba.trafficmanager.net/teams/").replace(/\/?$/, "/"),
      clientId,
      clientSecret: installSecret,
      graphBaseUrl: env.GRAPH_BASE_URL?.trim() || "https://graph.microsoft.com",
      authorityHost: (env.AUTHORITY_HOST ?? env.AAD_APP_OAUTH_AUTHORITY_HOST)?.trim() || "https://login.microsoftonline.com",
    };
  }
  return config;
}

/**
 * The warning to print when local mode listens beyond this machine (HOST set to another address):
 * local mode signs anyone in as any demo persona. Undefined when there is nothing to warn about.
 */
export function localModeExposure(config: Pick<Config, "mode" | "host">): string | undefined {
  if (config.mode !== "local" || ["127.0.0.1", "::1", "localhost"].includes(config.host)) return undefined;
  return `WARNING: local mode is listening on ${config.host} (HOST). Anyone who can reach this address can sign in as any demo persona. Local mode is for one machine: unset HOST.`;
}

/**
 * SharePoint settings, when SHAREPOINT_SITE_ID is set (otherwise undefined: the embedded store).
 * Throws at start-up naming every setting that is missing or wrong.
 */
export function loadSharePointSettings(env: NodeJS.ProcessEnv = process.env): SharePointSettings | undefined {
  const siteId = env.SHAREPOINT_SITE_ID?.trim();
  if (!siteId) return undefined;
  const problems: string[] = [];
  const required = (name: string, value: string | undefined): string => {
    const v = value?.trim();
    if (!v) problems.push(`${name} is missing`);
    return v ?? "";
  };
  const origin = (name: string, value: string): string => {
    try {
      const u = new URL(value);
      if (u.protocol !== "https:") problems.push(`${name} must be an https URL, not "${value}"`);
      else if (u.pathname !== "/" || u.search) problems.push(`${name} must be an origin only (e.g. https://graph.microsoft.com), not "${value}"`);
      return u.origin;
    } catch {
      problems.push(`${name} is not a URL: "${value}"`);
      return value;
    }
  };
  const tenantId = required("SHAREPOINT_TENANT_ID", env.SHAREPOINT_TENANT_ID);
  const clientId = required("SHAREPOINT_CLIENT_ID", env.SHAREPOINT_CLIENT_ID);
  const clientSecret = required("SHAREPOINT_CLIENT_SECRET", env.SHAREPOINT_CLIENT_SECRET);
  const graphBaseUrl = origin("GRAPH_BASE_URL", env.GRAPH_BASE_URL?.trim() || "https://graph.microsoft.com");
  const authorityHost = origin("AUTHORITY_HOST", (env.AUTHORITY_HOST ?? env.AAD_APP_OAUTH_AUTHORITY_HOST)?.trim() || "https://login.microsoftonline.com");
  const maxRetries = Number(env.SHAREPOINT_MAX_RETRIES ?? 5);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    problems.push(`SHAREPOINT_MAX_RETRIES must be a whole number from 0 to 10, not "${env.SHAREPOINT_MAX_RETRIES}"`);
  if (problems.length > 0) {
    throw new Error(`SharePoint store (SHAREPOINT_SITE_ID is set): ${problems.join("; ")}. See infra/sharepoint/README.md.`);
  }
  return { siteId, tenantId, clientId, clientSecret, graphBaseUrl, authorityHost, listPrefix: env.SHAREPOINT_LIST_PREFIX ?? "ECTSP ", maxRetries };
}
