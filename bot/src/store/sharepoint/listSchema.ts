/**
 * The SharePoint list design, defined once. The adapter (sharePointStore.ts) reads and writes
 * through these names; the provisioning command (provision.ts) creates exactly these lists and
 * columns; infra/sharepoint/lists.json is generated from this file (a test keeps it in sync).
 *
 * Design rules:
 * - One list item per record. The record itself is a JSON document in multi-line "body"
 *   columns; the columns beside it are copies of the fields queries filter on.
 * - Every column a query filters on is indexed, so queries stay under the 5,000-item list view
 *   threshold however large the list grows.
 * - Each list has one key column (the record's id) with unique values: a second create with the
 *   same key fails with 409, which makes appends idempotent and upserts race-safe. SharePoint
 *   compares unique values case-insensitively.
 * - Dates are ISO text (YYYY-MM-DD sorts and compares as text); instants a query compares are
 *   numbers (epoch ms). SharePoint dateTime columns round to seconds and shift time zones, so
 *   they would not round-trip the records exactly.
 */

export type ColumnType = "text" | "note" | "number" | "boolean";

export interface ColumnSpec {
  /** Internal name (also the display name). Never renamed: data lives under it. */
  name: string;
  type: ColumnType;
  indexed?: boolean;
  unique?: boolean;
  description?: string;
}

export interface ListSpec {
  /** Display name without the configured prefix. */
  title: string;
  description: string;
  /** The unique key column. */
  key: string;
  columns: ColumnSpec[];
}

/** Multi-line plain text holds 63,999 characters in SharePoint's UI; bodies are split over several columns below that. */
export const bodyChunkChars = 60_000;

const key = (name: string, description: string): ColumnSpec => ({ name, type: "text", indexed: true, unique: true, description });
const idx = (name: string, type: ColumnType = "text", description?: string): ColumnSpec => ({
  name,
  type,
  indexed: true,
  ...(description ? { description } : {}),
});
const col = (name: string, type: ColumnType = "text", description?: string): ColumnSpec => ({ name, type, ...(description ? { description } : {}) });
const body = (n = 1): ColumnSpec[] =>
  Array.from({ length: n }, (_, i) =>
    col(i === 0 ? "body" : `body${i + 1}`, "note", i === 0 ? "The record as JSON (continued in the next body columns when long)" : undefined),
  );

export const listSchema = {
  appropriateBodies: {
    title: "Appropriate bodies",
    description: "Appropriate bodies (often teaching school hubs) that quality-assure induction.",
    key: "abId",
    columns: [key("abId", "Appropriate body id"), col("name"), ...body()],
  },
  schools: {
    title: "Schools",
    description: "Schools served by this site; each names its appropriate body.",
    key: "schoolId",
    columns: [key("schoolId", "School id"), col("name"), idx("abId"), ...body()],
  },
  people: {
    title: "People",
    description: "Staff, ECTs and appropriate body officers, with their roles.",
    key: "personId",
    columns: [
      key("personId", "Person id"),
      col("displayName"),
      // Unique: one person per Entra object id. People not yet signed in carry "none:<personId>".
      { name: "aadObjectId", type: "text", indexed: true, unique: true, description: "Entra object id (or none:<personId>)" },
      idx("schoolId"),
      idx("abId"),
      // Issue 15: a copy of the record's version (its body holds the same), for people reading the list.
      col("version", "number", "Roster version: 1 when added, +1 on each change"),
      ...body(),
    ],
  },
  ects: {
    title: "ECTs",
    description: "Each early career teacher's induction: school, AB, mentor and induction tutor.",
    key: "ectId",
    columns: [
      key("ectId", "ECT id"),
      idx("personId"),
      idx("schoolId"),
      idx("abId"),
      idx("mentorId"),
      idx("inductionTutorId"),
      col("version", "number", "Roster version: 1 when added, +1 on each change"),
      ...body(),
    ],
  },
  plans: {
    title: "Plans",
    description:
      "One item per support plan: indexed summary columns, the plan itself as JSON. Deleted only by a confirmed retention deletion, after its keep-until date.",
    key: "planId",
    columns: [
      key("planId", "Plan id"),
      idx("ectId"),
      idx("schoolId"),
      idx("abId"),
      idx("planStatus", "text", "draft, awaiting_signatures, agreed, active, in_review or closed"),
      idx("level", "number", "Escalation level 1–6 (empty for ITT plans)"),
      col("templateId"),
      col("outcome"),
      col("planVersion", "number", "Optimistic-concurrency version"),
      col("revision", "number", "Content revision signatures bind to"),
      col("startDate"),
      col("endDate"),
      idx("reviewDate", "text", "Next review date (YYYY-MM-DD)"),
      col("updatedAt"),
      // Issue 12: "awaiting signatures (n of m)" beside the summary, empty when nothing is awaited.
      col("signaturesSigned", "number", "Signers who have signed the version awaiting signatures"),
      col("signaturesOf", "number", "Signers asked to sign it"),
      col("awaitingAmendment", "boolean", "The signatures awaited are on an amendment"),
      // Issue 14: a replayed write recognises itself, even after later changes landed on top.
      col("changeIds", "note", "The changes that wrote this plan, newest first (at most 100)"),
      ...body(4),
    ],
  },
  checkIns: {
    title: "Check-ins",
    description: "Weekly check-ins: opened by the bot, answered by the ECT.",
    key: "checkInId",
    columns: [
      key("checkInId", "Check-in id"),
      idx("planId"),
      idx("ectId"),
      idx("checkInStatus", "text", "open or answered"),
      col("week", "number"),
      col("dueOn"),
      ...body(),
    ],
  },
  audit: {
    title: "Audit",
    description: "Append-only audit trail, hash-chained per plan: who did what to which plan (never the content).",
    key: "auditId",
    columns: [
      key("auditId", "Audit entry id"),
      idx("atMs", "number", "When (epoch ms)"),
      col("seq", "number", "Write order: entries at one instant keep it"),
      idx("ectId"),
      idx("planId"),
      // Issue 12: the hash chain. The entry's seal is in its body; these copy it for head reads.
      idx("chainId", "text", "The chain: the plan id, or ect:<ectId> for entries about no plan"),
      col("chainSeq", "number", "Position in the chain (1, 2, 3…)"),
      {
        name: "chainPosition",
        type: "text",
        indexed: true,
        unique: true,
        description: "<chainId>#<chainSeq>: unique, so two writers can never both append at one position",
      },
      col("chainHash", "text", "The entry's SHA-256 (its body holds the same seal)"),
      // Issue 14: a replayed write recognises its own entries.
      col("changeId", "text", "The change that wrote the entry (the Changes list)"),
      ...body(),
    ],
  },
  outbox: {
    title: "Outbox",
    description: "Messages for the bot to send, claimed by one server instance at a time.",
    key: "messageId",
    columns: [
      key("messageId", "Message id"),
      { name: "dedupeKey", type: "text", indexed: true, unique: true, description: "Same key, same message" },
      col("kind"),
      idx("recipientId"),
      idx("planId"),
      col("ectId"),
      idx("outboxStatus", "text", "pending, sent or failed"),
      col("notBefore"),
      idx("notBeforeMs", "number", "Due time (epoch ms)"),
      col("createdAt"),
      col("seq", "number", "Write order"),
      col("attempts", "number"),
      col("claimedBy"),
      col("claimedUntilMs", "number"),
      col("sentAt"),
      col("lastError", "note"),
      ...body(),
    ],
  },
  // Issue 14: every change is recorded here first, then rolled forward until all its items are written.
  changes: {
    title: "Changes",
    description:
      "The change journal: each change the app commits is recorded here before its items are written, and rolled forward by any instance until it is done. Never deleted; an entry keeps the change itself only while it is open.",
    key: "changeId",
    columns: [
      key("changeId", "Change id"),
      idx("changeState", "text", "open, done or refused"),
      col("planId", "text", "The plan the change saves or creates first"),
      col("holder", "text", "The server instance rolling it forward"),
      col("leaseUntilMs", "number", "Another instance may take it over after this (epoch ms)"),
      col("createdAt"),
      col("closedAt"),
      col("outcome", "note", "Why it was refused, when it was"),
      ...body(10),
    ],
  },
  jobs: {
    title: "Jobs",
    description: "Named scheduled work, claimed by one instance per lease.",
    key: "jobName",
    columns: [key("jobName", "Job name"), col("claimedBy"), col("claimedAtMs", "number"), col("claimedUntilMs", "number")],
  },
  // Issue 14: the live server instances share the per-app send rate.
  instances: {
    title: "Instances",
    description: "Server instances sending the outbox: each renews its record while it runs; the live ones share the per-app send rate.",
    key: "instanceId",
    columns: [key("instanceId", "Server instance id"), idx("liveUntilMs", "number", "Live until (epoch ms)"), col("heartbeatAt")],
  },
  conversationRefs: {
    title: "Conversation references",
    description: "Where the bot can reach a person (person:<id>) or an appropriate body's channel (ab:<id>).",
    key: "refKey",
    columns: [key("refKey", "person:<id> or ab:<id>"), col("conversationId"), ...body()],
  },
  reminderMutes: {
    title: "Reminder mutes",
    description: "Reminder kinds a person has muted.",
    key: "muteKey",
    columns: [key("muteKey", "<personId>|<kind>"), idx("personId"), col("kind"), col("muted", "boolean"), col("changedAt")],
  },
  sentCards: {
    title: "Sent cards",
    description: "Cards the bot posted, so they can be updated in place.",
    key: "outboxId",
    columns: [key("outboxId", "Outbox message id"), idx("planId"), col("kind"), col("recipientId"), ...body()],
  },
  // Issue 6 (roster).
  directoryAudit: {
    title: "Directory audit",
    description: "Append-only: who changed which roster or appropriate body record (never the values).",
    key: "auditId",
    columns: [
      key("auditId", "Audit entry id"),
      idx("atMs", "number", "When (epoch ms)"),
      col("seq", "number", "Write order"),
      idx("schoolId"),
      idx("abId"),
      ...body(),
    ],
  },
  // Issue 7 (records): evidence metadata (the files are in the site's document library) and
  // progress reviews, formal assessments and concerns.
  evidence: {
    title: "Evidence",
    description:
      "Evidence attached to plan targets: the record here, the file in the document library. A removal is marked; the record and file go only in a confirmed retention deletion.",
    key: "evidenceId",
    columns: [
      key("evidenceId", "Evidence id"),
      idx("ectId"),
      idx("planId"),
      col("targetId"),
      col("driveItemId"),
      col("deleted", "boolean"),
      col("atMs", "number", "Uploaded (epoch ms)"),
      ...body(),
    ],
  },
  inductionRecords: {
    title: "Induction records",
    description: "Progress reviews, formal assessments and ECTs' private concerns. Append-only.",
    key: "recordId",
    columns: [
      key("recordId", "Record id"),
      idx("recordKind", "text", "progress_review, formal_assessment, concern, record_signature or record_return"),
      idx("ectId"),
      idx("abId"),
      col("atMs", "number", "Recorded (epoch ms)"),
      ...body(),
    ],
  },
} as const satisfies Record<string, ListSpec>;

export type ListKey = keyof typeof listSchema;
export const listKeys = Object.keys(listSchema) as ListKey[];

/** The list's display name on the site. */
export const listTitle = (prefix: string, key: ListKey): string => `${prefix}${listSchema[key].title}`;

/** The names of a list's body columns, in order. */
export const bodyColumns = (key: ListKey): string[] =>
  (listSchema[key].columns as readonly ColumnSpec[]).filter((c) => c.name === "body" || /^body\d+$/.test(c.name)).map((c) => c.name);

/** The schema as JSON (infra/sharepoint/lists.json), with the default prefix. */
export function schemaDocument(prefix = "ECTSP "): unknown {
  return {
    $comment: "Generated from bot/src/store/sharepoint/listSchema.ts by `node bot/dist/store/sharepoint/provisionCli.js --print-schema`. Do not edit by hand.",
    prefix,
    lists: listKeys.map((k) => ({ list: k, displayName: listTitle(prefix, k), ...listSchema[k] })),
  };
}
