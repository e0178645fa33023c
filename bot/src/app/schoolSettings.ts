/**
 * The school's settings (PUT /api/roster/school): the ITT provider its early support paperwork
 * names, its probation length in terms and its term dates (where reviews file and fall due). Set by the school's induction lead or head, against the
 * version they read, and written to the directory audit by field name, never value.
 */
import { randomUUID } from "node:crypto";
import {
  conflict,
  defaultProbationTerms,
  forbidden,
  notFound,
  type DirectoryAuditEntry,
  type Person,
  type School,
  type SchoolSettings,
  type SchoolSettingsResponse,
} from "@ectsp/shared";
import { DirectoryVersionConflict, type SchoolSettingFields, type Store } from "../store/store.js";
import { RosterVersionRequired, type RosterCondition } from "./roster.js";
import { versionOf } from "./rosterViews.js";

const REFUSAL = "Only your school's induction lead or headteacher can change its settings.";

const leads = (p: Person): boolean => (p.roles.includes("induction_lead") || p.roles.includes("head")) && !p.leftOn;

/** The settings as the school holds them (a school without a probation length has the seed's two terms). */
export function settingsOf(school: School): SchoolSettingsResponse {
  return {
    schoolId: school.id,
    version: versionOf(school),
    settings: {
      ...(school.ittProviderName ? { ittProviderName: school.ittProviderName } : {}),
      probationTerms: school.probationTerms ?? defaultProbationTerms,
      ...(school.termDates?.length ? { termDates: school.termDates } : {}),
    },
  };
}

/** In words, for the audit: which settings changed, not to what. */
const settingLabels: Record<keyof SchoolSettingFields, string> = {
  ittProviderName: "ITT provider name",
  probationTerms: "probation length",
  termDates: "term dates",
};

export async function setSchoolSettings(
  store: Store,
  now: () => Date,
  caller: Person,
  input: SchoolSettings,
  condition: RosterCondition,
): Promise<SchoolSettingsResponse> {
  // Load and authorise: the caller's own school, as its lead or head; nobody names another school.
  if (!leads(caller) || !caller.schoolId) throw forbidden(REFUSAL);
  const school = await store.getSchool(caller.schoolId);
  if (!school) throw notFound("Your school");
  if (condition === undefined) throw new RosterVersionRequired(versionOf(school));
  const stale = async (current: School) => {
    const last = (await store.listDirectoryAudit({ schoolId: current.id })).filter((e) => e.subjectId === current.id).at(-1);
    return conflict(`${last?.actorName ?? "Someone else"} changed the school's settings while you were editing; reload to see their change.`, {
      currentVersion: versionOf(current),
      ...(last ? { changedBy: last.actorName } : {}),
      current: settingsOf(current),
    });
  };
  if (condition === "new" || condition !== versionOf(school)) throw await stale(school);

  // Decide: an empty provider name names none.
  const settings: SchoolSettingFields = {
    ...(input.ittProviderName?.trim() ? { ittProviderName: input.ittProviderName.trim() } : {}),
    probationTerms: input.probationTerms,
    // In date order; none given is the default pattern.
    ...(input.termDates?.length ? { termDates: [...input.termDates].sort((a, b) => a.start.localeCompare(b.start)) } : {}),
  };
  const before = settingsOf(school).settings;
  const changed = (Object.keys(settingLabels) as (keyof SchoolSettingFields)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k]));
  if (changed.length === 0) return settingsOf(school);

  // Commit against the version read; a writer who came in between gets the same 409.
  let saved: School;
  try {
    saved = await store.saveSchoolSettings(school.id, settings, condition);
  } catch (e) {
    if (e instanceof DirectoryVersionConflict && e.current) throw await stale(e.current as School);
    throw e;
  }
  const entry: DirectoryAuditEntry = {
    id: randomUUID(),
    at: now().toISOString(),
    actorId: caller.id,
    actorName: caller.displayName,
    action: "school_settings_changed",
    subjectId: school.id,
    summary: `Changed ${changed.map((k) => settingLabels[k]).join("; ")}`,
    schoolId: school.id,
  };
  await store.appendDirectoryAudit([entry]);
  return settingsOf(saved);
}
