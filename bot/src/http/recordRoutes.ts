/**
 * Induction records over HTTP (issue 7): evidence on targets, termly progress reviews, formal
 * assessments, the Level 6 hand-over, an ECT's private concerns and the AB's review listing.
 */
import { zipContentTypes } from "../app/evidencePackage.js";
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Request, Response, Server } from "restify";
import { z } from "zod";
import {
  RaiseConcernInput,
  RecordCapabilityHandoverInput,
  RecordFormalAssessmentInput,
  RecordProgressReviewInput,
  attachEvidence,
  auditEntry,
  chainViewsFor,
  concernGuidance,
  deleteEvidence,
  forbidden,
  inductionTimeline,
  invalidState,
  maxEvidenceBytes,
  mayAttachEvidence,
  mayReadInductionRecords,
  notFound,
  raiseConcern,
  recordFormalAssessment,
  recordProgressReview,
  recordedPoints,
  pointKey,
  schoolDate,
  visibleRecords,
  type EctContext,
  type EvidenceRecord,
  type Person,
  termsOf,
} from "@ectsp/shared";
import type { PlanDeps } from "../plans/deps.js";
import type { AbReviewRow } from "@ectsp/shared";
import { listAbReviews, type InductionRecordStore } from "../app/inductionRecords.js";
import { csvCell } from "../export/csv.js";
import type { Logger } from "../logger.js";
import { caller, handle, sendJson, type AuthedRequest } from "./handle.js";
import { planView } from "./planView.js";
import { recordCapabilityHandover } from "../plans/recordCapabilityHandover.js";
import { HttpProblem, problem } from "./problem.js";

/** The one route whose body is a file: the JSON body reader skips it (see server.ts). */
export const evidenceUploadPath = /^\/api\/plans\/[^/]+\/targets\/[^/]+\/evidence\/?$/;

/**
 * The rest of a refused body is read and thrown away, never kept, and the connection closes once
 * the answer is out (after a second at most), so a client cannot hold it open by sending more.
 */
export function refuseRestOfBody(req: Request, res: Response): void {
  res.header("connection", "close");
  req.resume();
  res.once("finish", () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), 1000);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
  });
}

const param = (req: Request, name: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .parse((req.params as Record<string, unknown>)[name]);

const jsonBody = (req: AuthedRequest): unknown => {
  if (req.body === undefined || req.body === null || typeof req.body !== "object") {
    throw new HttpProblem(problem(400, "The request is not valid", "Send a JSON object body with content-type application/json."));
  }
  return req.body;
};

const tooLarge = () =>
  new HttpProblem(
    problem(413, "Too large", `Evidence files are at most ${maxEvidenceBytes / 1024 / 1024} MB. Nothing was saved.`, { code: "evidence-too-large" }),
  );

interface ReceivedUpload {
  path: string;
  sha256: string;
}

/**
 * Streams the raw request body into a new file in `dir` (inside the data folder), refusing more
 * than 10 MB: from Content-Length before a byte is read, or as it streams, when the file goes at
 * once. If the client goes away or the disk fails, the file goes too. The caller deletes the file
 * it gets back once it is done with it.
 */
async function receiveUpload(req: Request, res: Response, dir: string): Promise<ReceivedUpload> {
  const declared = Number(req.header("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxEvidenceBytes) {
    refuseRestOfBody(req, res);
    throw tooLarge();
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `evidence-${randomUUID()}.part`);
  const file = createWriteStream(path, { flags: "wx", mode: 0o600 });
  const closed = new Promise<void>((resolve) => file.once("close", () => resolve()));
  const hash = createHash("sha256");
  try {
    await new Promise<void>((resolve, reject) => {
      let size = 0;
      const stop = (error: Error) => {
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", stop);
        req.off("close", onClose);
        file.off("error", stop);
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxEvidenceBytes) {
          stop(tooLarge());
          refuseRestOfBody(req, res);
          return;
        }
        hash.update(chunk);
        if (!file.write(chunk)) {
          req.pause();
          file.once("drain", () => req.resume());
        }
      };
      const onEnd = () => {
        req.off("data", onData);
        req.off("error", stop);
        req.off("close", onClose);
        file.end(() => resolve());
      };
      const onClose = () => {
        if (!req.complete) stop(new Error("The client went away before the upload ended."));
      };
      req.on("data", onData);
      req.once("end", onEnd);
      req.once("error", stop);
      req.once("close", onClose);
      file.once("error", stop);
    });
  } catch (error) {
    // Wait for the file to be closed (it may still be opening) before removing it, or it could come back.
    file.destroy();
    await closed;
    await rm(path, { force: true });
    throw error;
  }
  await closed;
  return { path, sha256: hash.digest("hex") };
}

const fileNameOf = (req: Request): string => {
  const q = (req.query as Record<string, unknown> | undefined)?.filename;
  const raw = typeof q === "string" ? q : (req.header("x-file-name") ?? "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

const evidenceView = (e: EvidenceRecord) => ({ ...e, url: `/api/evidence/${e.id}` });

const AB_CSV_COLUMNS = ["ECT", "School", "Latest record", "Date", "On track", "Lowest rating", "Recommendation", "Targets", "Next due", "Overdue"];

export function abReviewsCsv(rows: readonly AbReviewRow[]): string {
  const lines = [AB_CSV_COLUMNS.map(csvCell).join(",")];
  for (const r of rows) {
    lines.push(
      [
        r.ectName,
        r.schoolName,
        r.latest?.label ?? "None recorded",
        r.latest?.date ?? "",
        r.latest?.onTrack === undefined ? "" : r.latest.onTrack ? "Yes" : "No",
        r.latest?.lowestRating ?? "",
        r.latest?.recommendation ?? "",
        r.latest ? String(r.latest.targets) : "",
        r.nextDue ? `${r.nextDue.label} (${r.nextDue.date})` : "",
        r.overdue.map((o) => `${o.label} (${o.date})`).join("; "),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

/** Who to contact: the induction tutor first, then the AB's officers; at Level 6 also HR. */
function contactsFor(ectCtx: EctContext, hrContact?: string) {
  const tutor = ectCtx.schoolStaff.find((p) => p.id === ectCtx.ect.inductionTutorId);
  return {
    inductionTutor: tutor ? { id: tutor.id, name: tutor.displayName, email: tutor.email } : undefined,
    appropriateBody: ectCtx.abOfficers.map((p) => ({ id: p.id, name: p.displayName, email: p.email })),
    ...(hrContact ? { hr: hrContact } : {}),
    guidance: concernGuidance,
  };
}

/**
 * `recordStore` is where evidence and induction records are kept; plans are reached through
 * `deps` (PlanService and the use cases in bot/src/plans). `uploadDir` (inside the data folder)
 * holds evidence uploads while they arrive and are checked.
 */
export function registerRecordRoutes(server: Server, deps: PlanDeps, recordStore: InductionRecordStore, logger: Logger, uploadDir: string): void {
  const { service } = deps;
  const today = () => schoolDate(service.now());

  // ------------------------------------------------------------------ evidence

  server.post(
    "/api/plans/:planId/targets/:targetId/evidence",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const { plan, ectCtx } = await service.planFor(actor, param(req, "planId"));
      const targetId = param(req, "targetId");
      const ctx = service.context(actor);
      // Whoever may not add evidence here is refused before a byte of the file is read.
      if (plan.status === "closed") throw invalidState("This plan is closed: its records are kept as they were.");
      if (!mayAttachEvidence(ctx, ectCtx, plan)) throw forbidden("Only the ECT, their mentor or the person leading this plan can add evidence.");
      if (!plan.targets.some((t) => t.id === targetId)) throw notFound("That target");
      const upload = await receiveUpload(req, res, uploadDir);
      let bytes: Buffer;
      try {
        bytes = await readFile(upload.path);
      } finally {
        // The store keeps its own copy: the upload is gone before any answer, taken or refused.
        await rm(upload.path, { force: true });
      }
      const zipTypes = await zipContentTypes(bytes);
      const { record, audit } = attachEvidence(ctx, ectCtx, plan, targetId, {
        bytes,
        fileName: fileNameOf(req),
        ...(req.header("content-type") ? { contentType: req.header("content-type") } : {}),
        sha256: upload.sha256,
        ...(zipTypes !== undefined ? { zipContentTypes: zipTypes } : {}),
      });
      await recordStore.addEvidence(record, bytes, audit);
      res.header("location", `/api/evidence/${record.id}`);
      sendJson(res, 201, { evidence: evidenceView(record) });
    }),
  );

  const listFor = (withTarget: boolean) =>
    handle(logger, async (req, res) => {
      const { plan } = await service.planFor(caller(req), param(req, "planId"));
      const items = await recordStore.listEvidence({ planId: plan.id, ...(withTarget ? { targetId: param(req, "targetId") } : {}) });
      sendJson(res, 200, { evidence: items.map(evidenceView) });
    });
  server.get("/api/plans/:planId/targets/:targetId/evidence", listFor(true));
  server.get("/api/plans/:planId/evidence", listFor(false));

  /** The record, if the caller may read the ECT's plan it belongs to; deleted evidence is not found. */
  const evidenceFor = async (actor: Person, id: string) => {
    const record = await recordStore.getEvidence(id);
    if (!record || record.deletedAt) throw notFound("That evidence");
    const { plan, ectCtx } = await service.planFor(actor, record.planId);
    return { record, plan, ectCtx };
  };

  server.get(
    "/api/evidence/:id",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const { record, plan, ectCtx } = await evidenceFor(actor, param(req, "id"));
      const bytes = await recordStore.readEvidenceContent(record.id);
      if (!bytes) throw notFound("That evidence file");
      await service.commit({
        audit: [
          auditEntry(
            service.context(actor),
            "openEvidence",
            ectCtx.ect,
            plan,
            `Opened evidence (${record.kind}) on target ${plan.targets.findIndex((t) => t.id === record.targetId) + 1}`,
          ),
        ],
      });
      const body = Buffer.from(bytes);
      res.sendRaw(200, body, {
        "content-type": record.contentType,
        "content-length": String(body.length),
        // The name is sanitised to letters, digits, spaces and - _ . ( ): nothing to escape.
        "content-disposition": `attachment; filename="${record.fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      });
    }),
  );

  server.del(
    "/api/evidence/:id",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const { record, plan, ectCtx } = await evidenceFor(actor, param(req, "id"));
      const result = deleteEvidence(service.context(actor), ectCtx, plan, record);
      await recordStore.markEvidenceDeleted(result.record, result.audit);
      sendJson(res, 200, { evidence: evidenceView(result.record) });
    }),
  );

  // ------------------------------------------------------------------ reviews and assessments

  /** The ECT, if the caller has any relationship to them (a concern's contact is checked per record). */
  const ectFor = async (actor: Person, ectId: string) => {
    const ectCtx = await service.ectContext(ectId);
    return ectCtx;
  };

  server.post(
    "/api/ects/:ectId/progress-reviews",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const ectCtx = await ectFor(actor, param(req, "ectId"));
      const input = RecordProgressReviewInput.parse(jsonBody(req));
      const [plans, previous] = await Promise.all([
        service.planSummariesOf(ectCtx.ect.id),
        recordStore.listRecords({ ectIds: [ectCtx.ect.id], kind: "progress_review" }),
      ]);
      const result = recordProgressReview(service.context(actor), ectCtx, input, { ectPlanIds: plans.map((p) => p.id), recorded: recordedPoints(previous) });
      await recordStore.addRecords(result.records, result.audit, result.outbox);
      sendJson(res, 201, { record: result.record, warnings: result.warnings });
    }),
  );

  server.post(
    "/api/ects/:ectId/formal-assessments",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const ectCtx = await ectFor(actor, param(req, "ectId"));
      const input = RecordFormalAssessmentInput.parse(jsonBody(req));
      const previous = await recordStore.listRecords({ ectIds: [ectCtx.ect.id], kind: "formal_assessment" });
      const result = recordFormalAssessment(service.context(actor), ectCtx, input, { recorded: recordedPoints(previous) });
      await recordStore.addRecords(result.records, result.audit, result.outbox);
      sendJson(res, 201, { record: result.record });
    }),
  );

  /** Every record about the ECT the caller may see, and the statutory timeline with what is recorded against it. */
  server.get(
    "/api/ects/:ectId/records",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const ectCtx = await ectFor(actor, param(req, "ectId"));
      const all = await recordStore.listRecords({ ectIds: [ectCtx.ect.id] });
      const records = visibleRecords(actor, ectCtx.ect, all);
      if (!mayReadInductionRecords(actor, ectCtx.ect) && records.length === 0)
        throw forbidden("You can only see records for ECTs you support, your school's ECTs if you lead it, or the ECTs your appropriate body covers.");
      const recordedDue = new Set(recordedPoints(records).flatMap((r) => (r.due ? [pointKey(r.kind, r.due.date)] : [])));
      const events = mayReadInductionRecords(actor, ectCtx.ect)
        ? inductionTimeline(ectCtx.ect, today(), termsOf(ectCtx.school)).events.map((e) => ({
            ...e,
            recorded: recordedDue.has(pointKey(e.kind, e.date)),
            overdue: !recordedDue.has(pointKey(e.kind, e.date)) && e.date < today(),
          }))
        : [];
      // Each review/assessment once (its chain: revisions, signatures, returns); `records` keeps concerns and current revisions only.
      const chains = mayReadInductionRecords(actor, ectCtx.ect) ? chainViewsFor(actor, ectCtx.ect, records) : [];
      const current = new Set(chains.map((c) => c.current.id));
      const rows = records.filter((r) => r.kind === "concern" || current.has(r.id));
      sendJson(res, 200, { records: rows, events, chains });
    }),
  );

  // ------------------------------------------------------------------ concerns and Level 6

  server.post(
    "/api/ects/:ectId/concerns",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const ectCtx = await ectFor(actor, param(req, "ectId"));
      const result = raiseConcern(service.context(actor), ectCtx, RaiseConcernInput.parse(jsonBody(req)));
      await recordStore.addRecords(result.records, result.audit, result.outbox);
      sendJson(res, 201, { record: result.record, guidance: concernGuidance[result.record.contact] });
    }),
  );

  server.get(
    "/api/ects/:ectId/concerns",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const ectCtx = await ectFor(actor, param(req, "ectId"));
      const concerns = visibleRecords(actor, ectCtx.ect, await recordStore.listRecords({ ectIds: [ectCtx.ect.id], kind: "concern" }));
      const self = ectCtx.ect.personId === actor.id;
      if (!self && !mayReadInductionRecords(actor, ectCtx.ect)) throw forbidden("You can only see concerns raised with you.");
      sendJson(res, 200, { concerns, ...(self ? { contacts: contactsFor(ectCtx) } : {}) });
    }),
  );

  server.put(
    "/api/plans/:planId/capability",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      const body = jsonBody(req) as Record<string, unknown>;
      const ifMatch = /^(?:W\/)?"v(\d+)"$/.exec((req.header("if-match") ?? "").trim());
      const input = RecordCapabilityHandoverInput.parse({ ...body, ...(ifMatch ? { version: Number(ifMatch[1]) } : {}) });
      const { plan, ectCtx } = await recordCapabilityHandover(deps, actor, param(req, "planId"), input);
      sendJson(
        res,
        200,
        { ...planView(actor, plan, ectCtx, today(), await service.predecessorOf(plan)), contacts: contactsFor(ectCtx, plan.capability?.hrContact) },
        { etag: `"v${plan.version}"` },
      );
    }),
  );

  // ------------------------------------------------------------------ the AB's view

  const abOnly = (actor: Person) => {
    if (!actor.roles.includes("ab_officer") || !actor.abId) throw forbidden("Only appropriate body officers see the review listing for the ECTs they cover.");
  };

  server.get(
    "/api/ab/reviews",
    handle(logger, async (req, res) => {
      const actor = caller(req);
      abOnly(actor);
      sendJson(res, 200, { rows: await listAbReviews(recordStore, actor, today()) });
    }),
  );

  server.get(
    "/api/ab/reviews.csv",
    handle(logger, async (req, res: Response) => {
      const actor = caller(req);
      abOnly(actor);
      const body = Buffer.from(abReviewsCsv(await listAbReviews(recordStore, actor, today())), "utf8");
      res.sendRaw(200, body, {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-length": String(body.length),
        "content-disposition": `attachment; filename="progress-reviews-${today()}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
    }),
  );
}
