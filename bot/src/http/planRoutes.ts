import type { Server } from "restify";
import {
  AddCommentInput,
  AssignSignerInput,
  ConcludeReviewInput,
  CreatePlanInput,
  EditPlanInput,
  EscalatePlanInput,
  Id,
  RecordCheckInInput,
  RecordReviewInput,
  RequestSignaturesInput,
  SignPlanInput,
  SharePlanWithMentorInput,
  WithdrawAmendmentInput,
  schoolDate,
  type Actor,
  type Plan,
} from "@ectsp/shared";
import type { Logger } from "../logger.js";
import type { PlanDeps, PlanResult } from "../plans/deps.js";
import { addComment } from "../plans/addComment.js";
import { assignSigner } from "../plans/assignSigner.js";
import { concludeReview } from "../plans/concludeReview.js";
import { createPlan } from "../plans/createPlan.js";
import { StaleEdit, editPlan } from "../plans/editPlan.js";
import { escalatePlan } from "../plans/escalatePlan.js";
import { readAudit } from "../plans/readAudit.js";
import { predecessorOf, readPlan } from "../plans/readPlan.js";
import { recordCheckIn } from "../plans/recordCheckIn.js";
import { recordReview } from "../plans/recordReview.js";
import { requestSignatures } from "../plans/requestSignatures.js";
import { signPlan } from "../plans/signPlan.js";
import { startPlan } from "../plans/startPlan.js";
import { withdrawAmendment } from "../plans/withdrawAmendment.js";
import { sharePlanWithMentor } from "../plans/sharePlanWithMentor.js";
import { caller, handle, pathParam, sendJson, type AuthedRequest } from "./handle.js";
import { planView } from "./planView.js";
import { HttpProblem, problem } from "./problem.js";

const etag = (plan: Plan) => `"v${plan.version}"`;

/** The version the client read: If-Match wins over the body, as HTTP intends. */
function expectedVersion(req: AuthedRequest, bodyVersion: number | undefined): number {
  const ifMatch = req.header("if-match");
  if (ifMatch) {
    const m = /^(?:W\/)?"v(\d+)"$/.exec(ifMatch.trim());
    if (!m) throw new HttpProblem(problem(400, "The request is not valid", 'If-Match must be the ETag the plan was read with, e.g. "v3".'));
    return Number(m[1]);
  }
  if (bodyVersion === undefined)
    throw new HttpProblem(problem(428, "Version required", "Send the plan version you read (If-Match or body.version) so a newer save is never overwritten."));
  return bodyVersion;
}

const notAnObject = () => new HttpProblem(problem(400, "The request is not valid", "Send a JSON object body with content-type application/json."));

const body = (req: AuthedRequest): Record<string, unknown> => {
  if (req.body === undefined || req.body === null || typeof req.body !== "object" || Array.isArray(req.body)) throw notAnObject();
  return req.body as Record<string, unknown>;
};

/** A body that may be left out (POST with nothing to say); when sent, it must be a JSON object. */
const optionalBody = (req: AuthedRequest): Record<string, unknown> => (req.body === undefined ? {} : body(req));

/** The body with its version, from If-Match or body.version. */
const versioned = (req: AuthedRequest, raw: Record<string, unknown> = body(req)) => ({
  ...raw,
  version: expectedVersion(req, typeof raw.version === "number" ? raw.version : undefined),
});

const planIdParam = (req: AuthedRequest) => Id.parse(pathParam(req, "planId"));

/**
 * The plan API. Each route parses its input, calls one use case in bot/src/plans (which loads,
 * authorises, runs the domain, commits and notifies) and answers with the plan view. No route
 * reads or writes the store.
 */
export function registerPlanRoutes(server: Server, deps: PlanDeps, logger: Logger): void {
  const today = () => schoolDate(deps.service.now());

  type Res = Parameters<Parameters<typeof handle>[1]>[1];
  /** The plan view of a use case's answer (and, for a successor, the plan it follows). */
  const viewOf = async (actor: Actor, { plan, ectCtx }: PlanResult) => planView(actor, plan, ectCtx, today(), await predecessorOf(deps, plan));
  const sendPlan = async (req: AuthedRequest, res: Res, result: PlanResult, status = 200, extra: Record<string, unknown> = {}) => {
    sendJson(res, status, { ...(await viewOf(caller(req), result)), ...extra }, { etag: etag(result.plan) });
  };

  server.post(
    "/api/plans",
    handle(logger, async (req, res) => {
      const result = await createPlan(deps, caller(req), CreatePlanInput.parse(body(req)));
      res.header("location", `/api/plans/${result.plan.id}`);
      await sendPlan(req, res, result, 201);
    }),
  );

  server.get(
    "/api/plans/:planId",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const { plan, ectCtx, predecessor } = await readPlan(deps, actor, planIdParam(req));
      sendJson(res, 200, planView(actor, plan, ectCtx, today(), predecessor), { etag: etag(plan) });
    }),
  );

  server.put(
    "/api/plans/:planId",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const actor = caller(req);
      const input = EditPlanInput.parse(versioned(req));
      try {
        await sendPlan(req, res, await editPlan(deps, actor, planId, input));
      } catch (error) {
        if (!(error instanceof StaleEdit)) throw error;
        // Conflict: the current plan and what changed, so the editor can merge without losing text.
        const current = await viewOf(actor, { plan: error.current, ectCtx: error.ectCtx });
        throw new HttpProblem(problem(409, "Someone else changed this first", error.message, { ...error.details, current }));
      }
    }),
  );

  server.post(
    "/api/plans/:planId/signature-requests",
    handle(logger, async (req, res) => {
      const input = RequestSignaturesInput.strict().parse(optionalBody(req));
      const result = await requestSignatures(deps, caller(req), planIdParam(req), input);
      // 202: the plan is saved as awaiting signatures; the cards go out from the outbox.
      await sendPlan(req, res, result, 202, { reminder: result.reminder, alreadyAskedToday: result.alreadyAskedToday });
    }),
  );

  server.put(
    "/api/plans/:planId/signers/:role",
    handle(logger, async (req, res) => {
      const input = AssignSignerInput.parse({ ...versioned(req), role: pathParam(req, "role") });
      await sendPlan(req, res, await assignSigner(deps, caller(req), planIdParam(req), input));
    }),
  );

  server.post(
    "/api/plans/:planId/signatures",
    handle(logger, async (req, res) => {
      // Strict: how a signature was given is the server's to record, never the body's (no "method").
      const input = SignPlanInput.strict().parse(body(req));
      await sendPlan(req, res, await signPlan(deps, caller(req), planIdParam(req), input, "tab"), 201);
    }),
  );

  server.post(
    "/api/plans/:planId/amendment/withdrawal",
    handle(logger, async (req, res) => {
      const input = WithdrawAmendmentInput.parse(versioned(req, optionalBody(req)));
      await sendPlan(req, res, await withdrawAmendment(deps, caller(req), planIdParam(req), input));
    }),
  );

  server.put(
    "/api/plans/:planId/mentor-access",
    handle(logger, async (req, res) => {
      // Levels 4–5: whether the ECT's mentor may write the weeks. Tutor or lead only; audited.
      const input = SharePlanWithMentorInput.strict().parse(versioned(req));
      await sendPlan(req, res, await sharePlanWithMentor(deps, caller(req), planIdParam(req), input));
    }),
  );

  server.post(
    "/api/plans/:planId/start",
    handle(logger, async (req, res) => {
      await sendPlan(req, res, await startPlan(deps, caller(req), planIdParam(req)));
    }),
  );

  server.post(
    "/api/plans/:planId/comments",
    handle(logger, async (req, res) => {
      const input = AddCommentInput.parse(body(req));
      await sendPlan(req, res, await addComment(deps, caller(req), planIdParam(req), input), 201);
    }),
  );

  server.post(
    "/api/plans/:planId/check-ins",
    handle(logger, async (req, res) => {
      const input = RecordCheckInInput.parse(body(req));
      await sendPlan(req, res, await recordCheckIn(deps, caller(req), planIdParam(req), input), 201);
    }),
  );

  server.put(
    "/api/plans/:planId/review",
    handle(logger, async (req, res) => {
      const input = RecordReviewInput.parse(versioned(req));
      await sendPlan(req, res, await recordReview(deps, caller(req), planIdParam(req), input));
    }),
  );

  server.post(
    "/api/plans/:planId/conclusion",
    handle(logger, async (req, res) => {
      const input = ConcludeReviewInput.parse(versioned(req));
      const result = await concludeReview(deps, caller(req), planIdParam(req), input);
      sendJson(res, 200, { closed: result.plan, successorId: result.successor?.id ?? null });
    }),
  );

  server.post(
    "/api/plans/:planId/escalation",
    handle(logger, async (req, res) => {
      const input = EscalatePlanInput.parse(versioned(req));
      const result = await escalatePlan(deps, caller(req), planIdParam(req), input);
      res.header("location", `/api/plans/${result.successor.id}`);
      sendJson(res, 201, { closed: result.plan, successorId: result.successor.id });
    }),
  );

  server.get(
    "/api/plans/:planId/audit",
    handle(logger, async (req, res) => {
      sendJson(res, 200, { entries: await readAudit(deps, caller(req), planIdParam(req)) });
    }),
  );
}
