/** The roster as the API shows it (GET /api/roster and every write's answer): versions, sign-ins, never webhook addresses. */
import { createHash } from "node:crypto";
import type { AppropriateBody, Ect, Person, RosterEctView, RosterPersonView, RosterView, School } from "@ectsp/shared";

export const versionOf = (r: { version?: number }) => r.version ?? 1;

/**
 * A person as the roster shows them. Signed in means the server recorded a sign-in (the local
 * persona sign-in, or an Entra token it accepted): an Entra link alone is not a sign-in, since a
 * set-up script can write one.
 */
export const personView = (p: Person): RosterPersonView => ({
  id: p.id,
  displayName: p.displayName,
  email: p.email,
  roles: p.roles,
  ...(p.schoolId ? { schoolId: p.schoolId } : {}),
  version: versionOf(p),
  ...(p.leftOn ? { leftOn: p.leftOn } : {}),
  signedIn: !!p.firstSignedInAt,
  entraLinked: !!p.aadObjectId,
  ...(p.firstSignedInAt ? { firstSignedInAt: p.firstSignedInAt } : {}),
  ...(p.lastSignedInAt ? { lastSignedInAt: p.lastSignedInAt } : {}),
});
export const ectView = (e: Ect): RosterEctView => ({ ...e, version: versionOf(e) });
export const abView = (ab: AppropriateBody, webhookConfigured: boolean) => ({ id: ab.id, name: ab.name, webhookConfigured });

/** A short fingerprint of a webhook address: enough to tell two apart, nothing to post with. */
const fingerprint = (url: string) => createHash("sha256").update(url).digest("hex").slice(0, 12);

/** Which of these schools' alerts for which AB go to a webhook (`abId` limits it to one AB). */
export const alertRoutes = (schools: School[], abId?: string): RosterView["alertRoutes"] =>
  schools.flatMap((s) =>
    (s.alertWebhooks ?? [])
      .filter((w) => !abId || w.abId === abId)
      .map((w) => ({ schoolId: s.id, schoolName: s.name, abId: w.abId, webhookFingerprint: fingerprint(w.url) })),
  );
