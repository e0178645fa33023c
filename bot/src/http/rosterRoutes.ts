import type { Server } from "restify";
import { AbLinkInput, Id, RosterEctInput, RosterPersonInput, abWebhookInput, defaultWebhookAllowedHosts } from "@ectsp/shared";
import type { RosterService } from "../app/roster.js";
import type { Logger } from "../logger.js";
import { caller, handle, pathParam, sendJson } from "./handle.js";

/**
 * The school's roster (issue 6). Reading: the induction lead or head (whole school, editable) or
 * an AB officer (the ECTs their AB covers, read only). Writing: the lead or head, for their school.
 * Bodies are validated with the shared zod schemas; refusals are problem JSON.
 */
export function registerRosterRoutes(
  server: Server,
  roster: RosterService,
  logger: Logger,
  webhookAllowedHosts: readonly string[] = defaultWebhookAllowedHosts,
): void {
  // Webhook addresses are checked against the hosts this server will post to (WEBHOOK_ALLOWED_HOSTS).
  const AbWebhookInput = abWebhookInput(webhookAllowedHosts);
  server.get(
    "/api/roster",
    handle(logger, async (req, res) => {
      sendJson(res, 200, await roster.view(caller(req)));
    }),
  );

  server.get(
    "/api/roster/audit",
    handle(logger, async (req, res) => {
      sendJson(res, 200, { entries: await roster.auditTrail(caller(req)) });
    }),
  );

  server.put(
    "/api/roster/people/:personId",
    handle(logger, async (req, res) => {
      const id = Id.parse(pathParam(req, "personId"));
      const me = caller(req);
      const input = RosterPersonInput.parse(req.body ?? {});
      const { person, created } = await roster.putPerson(me, id, input);
      sendJson(res, created ? 201 : 200, { person });
    }),
  );

  server.put(
    "/api/roster/ects/:ectId",
    handle(logger, async (req, res) => {
      const id = Id.parse(pathParam(req, "ectId"));
      const me = caller(req);
      const input = RosterEctInput.parse(req.body ?? {});
      const { ect, created } = await roster.putEct(me, id, input);
      sendJson(res, created ? 201 : 200, { ect });
    }),
  );

  server.put(
    "/api/roster/appropriate-bodies/:abId/link",
    handle(logger, async (req, res) => {
      const id = Id.parse(pathParam(req, "abId"));
      const input = AbLinkInput.parse(req.body ?? {});
      sendJson(res, 200, await roster.putAbLink(caller(req), id, input));
    }),
  );

  server.put(
    "/api/roster/appropriate-bodies/:abId/webhook",
    handle(logger, async (req, res) => {
      const id = Id.parse(pathParam(req, "abId"));
      const me = caller(req);
      const input = AbWebhookInput.parse(req.body ?? {});
      sendJson(res, 200, await roster.putAbWebhook(me, id, input));
    }),
  );
}
