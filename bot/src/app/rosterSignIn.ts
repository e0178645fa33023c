/**
 * Signing in (issue 6, issue 15): the roster person for a signed-in Entra user, linked once by
 * email/UPN, and the sign-in recorded so the roster's "Signed in" says what happened.
 */
import { randomUUID } from "node:crypto";
import type { Person } from "@ectsp/shared";
import { DirectoryVersionConflict, type Store } from "../store/store.js";
import type { EntraCaller } from "../auth/entraTokens.js";

/** A sign-in is recorded at most this often per person: every request carries a token, and a write per request would cost too much. */
export const SIGN_IN_RECORD_MS = 60 * 60 * 1000;

/** Records the sign-in when none is recorded or the last is older than SIGN_IN_RECORD_MS; answers the person as stored then. */
export async function noteSignIn(store: Store, person: Person, now: Date): Promise<Person> {
  const last = person.lastSignedInAt ? Date.parse(person.lastSignedInAt) : undefined;
  if (last !== undefined && now.getTime() - last < SIGN_IN_RECORD_MS && now.getTime() >= last) return person;
  const at = now.toISOString();
  await store.recordSignIn(person.id, at);
  return { ...person, firstSignedInAt: person.firstSignedInAt ?? at, lastSignedInAt: at };
}

/**
 * Tenant mode: the roster person for a signed-in Entra user. By object id; failing that, once,
 * by email/UPN for a roster entry that has never signed in (its object id is linked then, and
 * the link is audited). Never re-links a person already linked to another object id. The
 * sign-in is recorded (noteSignIn), so the roster's "Signed in" is what happened.
 */
export async function resolveTenantCaller(store: Store, entra: EntraCaller, now: Date): Promise<Person | undefined> {
  const byOid = await store.getPersonByAadObjectId(entra.oid);
  if (byOid) return byOid.leftOn ? byOid : noteSignIn(store, byOid, now);
  const upn = entra.upn?.trim().toLowerCase();
  if (!upn || !upn.includes("@")) return undefined;
  const candidates = (await store.listPeople()).filter((p) => !p.aadObjectId && p.email.toLowerCase() === upn);
  if (candidates.length !== 1) return undefined;
  const found = candidates[0]!;
  // Someone who has left is not linked: they hold no role here (server.ts refuses them).
  if (found.leftOn) return found;
  let person: Person;
  try {
    // Against the version read: a lead's change in between is never overwritten (the link waits for the next request).
    person = await store.savePerson({ ...found, aadObjectId: entra.oid }, found.version ?? 1);
  } catch (e) {
    if (e instanceof DirectoryVersionConflict) return undefined;
    throw e;
  }
  await store.appendDirectoryAudit([
    {
      id: randomUUID(),
      at: now.toISOString(),
      actorId: person.id,
      actorName: person.displayName,
      action: "roster_sign_in_linked",
      subjectId: person.id,
      summary: "Linked the roster entry to the person's Microsoft Entra account on first sign-in",
      ...(person.schoolId ? { schoolId: person.schoolId } : {}),
      ...(person.abId ? { abId: person.abId } : {}),
    },
  ]);
  return noteSignIn(store, person, now);
}
