import type { Server } from "restify";
import {
  AddCommentInput,
  Id,
  AssignSignerInput,
  ConcludeReviewInput,
  CreatePlanInput,
  EditPlanInput,
  EscalatePlanInput,
  RecordCheckInInput,
  RecordReviewInput,
  SignPlanInput,
  addComment,
  assignSigner,
  concludeReview,
  createPlan,
  editPlan,
  escalatePlan,
  recordCheckIn,
  recordReview,
  requestSignatures,
  schoolDate,
  signPlan,
  startPlan,
  describeChanges,
  type EctContext,
  type Plan,
  type PlanWrites,
} from "@ectsp/shared";
import type { PlanService } from "../app/planService.js";
import type { Logger } from "../logger.js";
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

const body = (req: AuthedRequest): unknown => {
  if (req.body === undefined || req.body === null || typeof req.body !== "object") {
    throw new HttpProblem(problem(400, "The request is not valid", "Send a JSON object body with content-type application/json."));
  }
  return req.body;
};

const planIdParam = (req: AuthedRequest) => Id.parse(pathParam(req, "planId"));

export function registerPlanRoutes(server: Server, service: PlanService, logger: Logger): void {
  const today = () => schoolDate(service.now());

  type Res = Parameters<Parameters<typeof handle>[1]>[1];
  /** Answers with the plan as just stored, from what the route already loaded: no second read. */
  const sendPlan = (req: AuthedRequest, res: Res, plan: Plan, ectCtx: EctContext, status = 200) => {
    sendJson(res, status, planView(caller(req), plan, ectCtx, today()), { etag: etag(plan) });
  };
  /** Commits a use case's writes and returns the plan as the store now holds it. */
  const commitPlan = async (result: PlanWrites & { plan: Plan }): Promise<Plan> => {
    const stored = await service.commit(result);
    return stored.find((p) => p.id === result.plan.id) ?? result.plan;
  };

  const respondWithPlan = async (req: AuthedRequest, res: Res, planId: string, status = 200) => {
    const { plan, ectCtx } = await service.planFor(caller(req), planId);
    sendJson(res, status, planView(caller(req), plan, ectCtx, today()), { etag: etag(plan) });
  };

  server.post(
    "/api/plans",
    handle(logger, async (req, res) => {
      const input = CreatePlanInput.parse(body(req));
      const actor = caller(req);
      const ectCtx = await service.ectContext(input.ectId);
      const existing = await service.store.listPlanSummaries({ ectIds: [input.ectId], status: ["draft", "agreed", "active", "in_review"] });
      const open = (await Promise.all(existing.map((s) => service.store.getPlan(s.id)))).filter((p): p is Plan => !!p);
      const result = createPlan(service.context(actor), ectCtx, open, input);
      const stored = await commitPlan(result);
      res.header("location", `/api/plans/${stored.id}`);
      sendPlan(req, res, stored, ectCtx, 201);
    }),
  );

  server.get(
    "/api/plans/:planId",
    handle(logger, async (req, res) => {
      await respondWithPlan(req, res, planIdParam(req));
    }),
  );

  server.put(
    "/api/plans/:planId",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const raw = body(req) as { version?: number };
      const version = expectedVersion(req, typeof raw.version === "number" ? raw.version : undefined);
      const input = EditPlanInput.parse({ ...raw, version });
      const actor = caller(req);
      const { plan, ectCtx } = await service.planFor(actor, planId);
      if (plan.version !== version) {
        // Conflict: return the current plan and what changed, so the editor can merge without losing text.
        const theirs = planView(actor, plan, ectCtx, today());
        const p = problem(
          409,
          "Someone else changed this first",
          "Someone else saved this plan after you opened it. Your text is kept: compare and save again.",
          {
            currentVersion: plan.version,
            expectedVersion: version,
            changedSinceYourVersion: describeChanges(input.content, plan),
            current: theirs,
          },
        );
        throw new HttpProblem(p);
      }
      const result = editPlan(service.context(actor), ectCtx, plan, input);
      sendPlan(req, res, await commitPlan(result), ectCtx);
    }),
  );

  server.post(
    "/api/plans/:planId/signature-requests",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const { plan, ectCtx } = await service.planFor(caller(req), planId);
      await service.commit(requestSignatures(service.context(caller(req)), ectCtx, plan));
      sendPlan(req, res, plan, ectCtx, 202);
    }),
  );

  server.put(
    "/api/plans/:planId/signers/:role",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const raw = body(req) as { version?: number };
      const input = AssignSignerInput.parse({
        ...raw,
        role: pathParam(req, "role"),
        version: expectedVersion(req, typeof raw.version === "number" ? raw.version : undefined),
      });
      const { plan, ectCtx } = await service.planFor(caller(req), planId);
      sendPlan(req, res, await commitPlan(assignSigner(service.context(caller(req)), ectCtx, plan, input)), ectCtx);
    }),
  );

  server.post(
    "/api/plans/:planId/signatures",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const input = SignPlanInput.parse(body(req));
      const actor = caller(req);
      let loaded: EctContext | undefined;
      const result = await service.withRetry(actor, planId, (plan, ectCtx) => ((loaded = ectCtx), signPlan(service.context(actor), ectCtx, plan, input)));
      sendPlan(req, res, result.plan, loaded as EctContext, 201);
    }),
  );

  server.post(
    "/api/plans/:planId/start",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const { plan, ectCtx } = await service.planFor(caller(req), planId);
      sendPlan(req, res, await commitPlan(startPlan(service.context(caller(req)), ectCtx, plan)), ectCtx);
    }),
  );

  server.post(
    "/api/plans/:planId/comments",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const input = AddCommentInput.parse(body(req));
      const actor = caller(req);
      let loaded: EctContext | undefined;
      const result = await service.withRetry(actor, planId, (plan, ectCtx) => ((loaded = ectCtx), addComment(service.context(actor), ectCtx, plan, input)));
      sendPlan(req, res, result.plan, loaded as EctContext, 201);
    }),
  );

  server.post(
    "/api/plans/:planId/check-ins",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const input = RecordCheckInInput.parse(body(req));
      const actor = caller(req);
      let loaded: EctContext | undefined;
      const result = await service.withRetry(actor, planId, async (plan, ectCtx) => {
        loaded = ectCtx;
        const checkIn = input.checkInId ? await service.store.getCheckIn(input.checkInId) : undefined;
        return recordCheckIn(service.context(actor), ectCtx, plan, checkIn, input);
      });
      sendPlan(req, res, result.plan, loaded as EctContext, 201);
    }),
  );

  server.put(
    "/api/plans/:planId/review",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const raw = body(req) as { version?: number };
      const input = RecordReviewInput.parse({ ...raw, version: expectedVersion(req, typeof raw.version === "number" ? raw.version : undefined) });
      const { plan, ectCtx } = await service.planFor(caller(req), planId);
      sendPlan(req, res, await commitPlan(recordReview(service.context(caller(req)), ectCtx, plan, input)), ectCtx);
    }),
  );

  server.post(
    "/api/plans/:planId/conclusion",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const raw = body(req) as { version?: number };
      const input = ConcludeReviewInput.parse({ ...raw, version: expectedVersion(req, typeof raw.version === "number" ? raw.version : undefined) });
      const { plan, ectCtx } = await service.planFor(caller(req), planId);
      const result = concludeReview(service.context(caller(req)), ectCtx, plan, input);
      await service.commit(result);
      sendJson(res, 200, { closed: result.plan, successorId: result.successor?.id ?? null });
    }),
  );

  server.post(
    "/api/plans/:planId/escalation",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      const raw = body(req) as { version?: number };
      const input = EscalatePlanInput.parse({ ...raw, version: expectedVersion(req, typeof raw.version === "number" ? raw.version : undefined) });
      const { plan, ectCtx } = await service.planFor(caller(req), planId);
      const result = escalatePlan(service.context(caller(req)), ectCtx, plan, input);
      await service.commit(result);
      res.header("location", `/api/plans/${result.successor.id}`);
      sendJson(res, 201, { closed: result.plan, successorId: result.successor.id });
    }),
  );

  server.get(
    "/api/plans/:planId/audit",
    handle(logger, async (req, res) => {
      const planId = planIdParam(req);
      await service.planFor(caller(req), planId, "read_audit");
      sendJson(res, 200, { entries: await service.store.listAudit({ planId }) });
    }),
  );
}
