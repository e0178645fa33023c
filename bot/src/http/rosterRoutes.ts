import type { Server } from "restify";
import {
  AbLinkInput,
  Id,
  RosterEctEndingInput,
  RosterEctInput,
  RosterPersonInput,
  RosterPersonLeavingInput,
  SchoolSettings,
  abWebhookInput,
  defaultWebhookAllowedHosts,
} from "@ectsp/shared";
import { RosterVersionRequired, type RosterCondition, type RosterService } from "../app/roster.js";
import type { Logger } from "../logger.js";
import { caller, handle, pathParam, sendJson, type AuthedRequest, type Handler } from "./handle.js";
import { HttpProblem, problem } from "./problem.js";

/**
 * The version the client read, as plans take it: If-Match "v<n>" for a change; If-None-Match: *
 * (or neither) for a create. A malformed If-Match is refused, never taken as "none".
 */
function rosterCondition(req: AuthedRequest): RosterCondition {
  const ifMatch = req.header("if-match");
  if (ifMatch) {
    const m = /^(?:W\/)?"v(\d+)"$/.exec(ifMatch.trim());
    if (!m) throw new HttpProblem(problem(400, "The request is not valid", 'If-Match must be the ETag the record was read with, e.g. "v3".'));
    return Number(m[1]);
  }
  return req.header("if-none-match")?.trim() === "*" ? "new" : undefined;
}

/** A roster write: an update without its version answers 428, with the version to read. */
const versioned =
  (fn: Handler): Handler =>
  async (req, res) => {
    try {
      await fn(req, res);
    } catch (e) {
      if (!(e instanceof RosterVersionRequired)) throw e;
      const detail = "This record exists already: send the version you read (If-Match) so a newer change is never overwritten.";
      throw new HttpProblem(problem(428, "Version required", detail, { currentVersion: e.currentVersion }));
    }
  };

const etag = (record: { version: number }) => ({ etag: `"v${record.version}"` });

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

  // Every write below carries the version it was based on (If-Match) and answers the new one as the ETag.
  server.put(
    "/api/roster/people/:personId",
    handle(
      logger,
      versioned(async (req, res) => {
        const id = Id.parse(pathParam(req, "personId"));
        const me = caller(req);
        const condition = rosterCondition(req);
        const input = RosterPersonInput.parse(req.body ?? {});
        const { person, created } = await roster.putPerson(me, id, input, condition);
        sendJson(res, created ? 201 : 200, { person }, etag(person));
      }),
    ),
  );

  server.put(
    "/api/roster/people/:personId/leaving",
    handle(
      logger,
      versioned(async (req, res) => {
        const id = Id.parse(pathParam(req, "personId"));
        const me = caller(req);
        const condition = rosterCondition(req);
        const input = RosterPersonLeavingInput.parse(req.body ?? {});
        const { person } = await roster.personLeaves(me, id, input, condition);
        sendJson(res, 200, { person }, etag(person));
      }),
    ),
  );

  server.del(
    "/api/roster/people/:personId/leaving",
    handle(
      logger,
      versioned(async (req, res) => {
        const id = Id.parse(pathParam(req, "personId"));
        const { person } = await roster.personLeaves(caller(req), id, null, rosterCondition(req));
        sendJson(res, 200, { person }, etag(person));
      }),
    ),
  );

  server.put(
    "/api/roster/ects/:ectId",
    handle(
      logger,
      versioned(async (req, res) => {
        const id = Id.parse(pathParam(req, "ectId"));
        const me = caller(req);
        const condition = rosterCondition(req);
        const input = RosterEctInput.parse(req.body ?? {});
        const { ect, created } = await roster.putEct(me, id, input, condition);
        sendJson(res, created ? 201 : 200, { ect }, etag(ect));
      }),
    ),
  );

  server.put(
    "/api/roster/ects/:ectId/ending",
    handle(
      logger,
      versioned(async (req, res) => {
        const id = Id.parse(pathParam(req, "ectId"));
        const me = caller(req);
        const condition = rosterCondition(req);
        const input = RosterEctEndingInput.parse(req.body ?? {});
        const { ect } = await roster.endEct(me, id, input, condition);
        sendJson(res, 200, { ect }, etag(ect));
      }),
    ),
  );

  server.del(
    "/api/roster/ects/:ectId/ending",
    handle(
      logger,
      versioned(async (req, res) => {
        const id = Id.parse(pathParam(req, "ectId"));
        const { ect } = await roster.endEct(caller(req), id, null, rosterCondition(req));
        sendJson(res, 200, { ect }, etag(ect));
      }),
    ),
  );

  server.put(
    "/api/roster/appropriate-bodies/:abId/link",
    handle(logger, async (req, res) => {
      const id = Id.parse(pathParam(req, "abId"));
      const input = AbLinkInput.parse(req.body ?? {});
      sendJson(res, 200, await roster.putAbLink(caller(req), id, input));
    }),
  );

  server.get(
    "/api/roster/school",
    handle(logger, async (req, res) => {
      const settings = await roster.schoolSettings(caller(req));
      sendJson(res, 200, settings, etag(settings));
    }),
  );

  // The school's settings: the whole set, against the version read (If-Match), like the roster's records.
  server.put(
    "/api/roster/school",
    handle(
      logger,
      versioned(async (req, res) => {
        const me = caller(req);
        const condition = rosterCondition(req);
        const input = SchoolSettings.parse(req.body ?? {});
        const settings = await roster.putSchoolSettings(me, input, condition);
        sendJson(res, 200, settings, etag(settings));
      }),
    ),
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
