import { useEffect, useState } from "react";
import { Button, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ectEndReasonLabels } from "@shared/model/people";
import type { RosterEctView, RosterPersonView } from "@shared/model/roster";
import { useApp } from "../AppContext";
import { formatDate } from "../lib/format";
import { errorMessage } from "../records/http";
import type { Role } from "../records/types";
import { RosterEctForm, ittSignerRoles, type EctChoices } from "./RosterEctForm";
import { RosterEctEndForm, RosterLeavingForm } from "./RosterEndForm";
import { RosterPersonForm, roleNames } from "./RosterPersonForm";
import { RosterSchoolForm } from "./RosterSchoolForm";
import { problemText, useRoster, useRosterWrite } from "./RosterQueries";

const useStyles = makeStyles({
  h1: { margin: `0 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase600 },
  h2: { fontSize: tokens.fontSizeBase500, margin: `${tokens.spacingVerticalXL} 0 ${tokens.spacingVerticalS}` },
  table: { borderCollapse: "collapse", width: "100%", backgroundColor: tokens.colorNeutralBackground1 },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  toolbar: { display: "flex", gap: tokens.spacingHorizontalS, margin: `${tokens.spacingVerticalS} 0` },
});

/** What the roster knows of a sign-in: only what the server recorded, never a guess. */
const signInText = (p: RosterPersonView) =>
  p.signedIn
    ? `Yes: first ${formatDate(p.firstSignedInAt)}, last ${formatDate(p.lastSignedInAt)}`
    : p.entraLinked
      ? "Account linked; no sign-in recorded yet"
      : "Not yet";

type Editing =
  | { kind: "person"; person?: RosterPersonView }
  | { kind: "ect"; ect?: RosterEctView }
  | { kind: "endEct"; ect: RosterEctView }
  | { kind: "leave"; person: RosterPersonView };

/** The school's roster: the lead or head edits it; an AB officer reads the ECTs their AB covers. */
export default function RosterView() {
  const styles = useStyles();
  const { notify } = useApp();
  const roster = useRoster();
  const write = useRosterWrite();
  const [editing, setEditing] = useState<Editing>();
  useEffect(() => {
    document.title = "Roster";
  }, []);
  const data = roster.data;
  if (roster.error) return <Text role="alert">Could not load the roster: {errorMessage(roster.error)}</Text>;
  if (!data) return <Spinner label="Loading the roster…" />;
  const nameOf = (id: string | undefined) => (id ? (data.people.find((p) => p.id === id)?.displayName ?? id) : "—");
  // Only people still at the school can be chosen to support an ECT.
  const staff = (role: Role) => data.people.filter((p) => p.roles.includes(role) && !p.leftOn);
  const anyItt = data.ects.some((e) => e.track === "itt");
  const school = data.schools[0];
  const linked = new Set([school?.abId, ...(school?.linkedAbIds ?? [])]);
  const choices: EctChoices = {
    newEcts: staff("ect").filter((p) => !data.ects.some((e) => e.personId === p.id)),
    mentors: staff("mentor"),
    tutors: staff("induction_tutor").concat(staff("head").filter((h) => !h.roles.includes("induction_tutor"))),
    ittStaff: staff("itt_staff"),
    abs: data.appropriateBodies.filter((ab) => linked.has(ab.id)),
  };
  const close = () => setEditing(undefined);
  // After a refusal because someone else saved first: their change, in a fresh form.
  const reload = () => {
    setEditing(undefined);
    void roster.refetch();
  };
  const reinstate = (kind: "people" | "ects", id: string, version: number, name: string) =>
    write.mutateAsync({ kind, id, version, action: "reinstate" }).then(
      () => notify(`Reinstated ${name}`),
      (e: unknown) => notify(`Could not reinstate ${name}: ${problemText(e)}`),
    );

  return (
    <article aria-labelledby="roster-title">
      <h1 id="roster-title" className={styles.h1}>
        Roster
      </h1>
      <Text block>
        {data.editable
          ? `${school?.name ?? "Your school"}: who holds which role, and who supports each ECT.`
          : "The ECTs your appropriate body covers (read only)."}
      </Text>
      {data.editable && (
        <div className={styles.toolbar}>
          <Button appearance="primary" onClick={() => setEditing({ kind: "person" })}>
            Add a person
          </Button>
          <Button onClick={() => setEditing({ kind: "ect" })}>Add an ECT</Button>
        </div>
      )}

      {data.editable && school && (
        <>
          <h2 className={styles.h2} id="school-settings-title">
            School settings
          </h2>
          {/* Keyed by version: a reload or a save shows the settings as now stored. */}
          <RosterSchoolForm key={school.version ?? 1} school={school} onReload={() => void roster.refetch()} />
        </>
      )}

      <h2 className={styles.h2} id="ects-title">
        ECTs
      </h2>
      <table className={styles.table} aria-labelledby="ects-title" data-testid="roster-ects">
        <thead>
          <tr>
            {[
              "ECT",
              "Mentor",
              "Induction tutor",
              ...(anyItt ? ["ITT provider signers"] : []),
              "Start date",
              "FTE",
              "Track",
              "Status",
              ...(data.editable ? ["Actions"] : []),
            ].map((h) => (
              <th key={h} className={styles.th} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.ects.map((e) => (
            <tr key={e.id} data-ect={e.id}>
              <td className={styles.td}>{nameOf(e.personId)}</td>
              <td className={styles.td}>{nameOf(e.mentorId)}</td>
              <td className={styles.td}>{nameOf(e.inductionTutorId)}</td>
              {anyItt && (
                <td className={styles.td}>
                  {e.track === "itt"
                    ? ittSignerRoles
                        .filter((r) => e.ittSigners?.[r.role])
                        .map((r) => `${r.label}: ${nameOf(e.ittSigners?.[r.role])}`)
                        .join("; ") || "None named yet"
                    : "—"}
                </td>
              )}
              <td className={styles.td}>{formatDate(e.inductionStartDate)}</td>
              <td className={styles.td}>{e.fte}</td>
              <td className={styles.td}>{e.track === "itt" ? "ITT" : "ECT"}</td>
              <td className={styles.td}>
                {e.endedOn ? `Ended ${formatDate(e.endedOn)}${e.endReason ? ` (${ectEndReasonLabels[e.endReason]})` : ""}` : "Current"}
              </td>
              {data.editable && (
                <td className={styles.td}>
                  <div className={styles.actions}>
                    {e.endedOn ? (
                      <Button
                        size="small"
                        onClick={() => void reinstate("ects", e.id, e.version, nameOf(e.personId))}
                        aria-label={`Reinstate ${nameOf(e.personId)}'s record`}
                      >
                        Reinstate
                      </Button>
                    ) : (
                      <>
                        <Button
                          size="small"
                          onClick={() => setEditing({ kind: "ect", ect: e })}
                          aria-label={`Edit induction details for ${nameOf(e.personId)}`}
                        >
                          Edit
                        </Button>
                        <Button size="small" onClick={() => setEditing({ kind: "endEct", ect: e })} aria-label={`End ${nameOf(e.personId)}'s record`}>
                          End
                        </Button>
                      </>
                    )}
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className={styles.h2} id="alerts-title">
        Alerts to appropriate bodies
      </h2>
      {data.alertRoutes.length === 0 ? (
        <Text block>No school sends alerts for {data.editable ? "your appropriate bodies" : "your appropriate body"} to a channel webhook.</Text>
      ) : (
        <table className={styles.table} aria-labelledby="alerts-title" data-testid="roster-alert-routes">
          <thead>
            <tr>
              {["School", "Appropriate body", "Webhook (fingerprint)"].map((h) => (
                <th key={h} className={styles.th} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.alertRoutes.map((r) => (
              <tr key={`${r.schoolId}:${r.abId}`}>
                <td className={styles.td}>{r.schoolName}</td>
                <td className={styles.td}>{data.appropriateBodies.find((ab) => ab.id === r.abId)?.name ?? r.abId}</td>
                <td className={styles.td}>{r.webhookFingerprint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className={styles.h2} id="people-title">
        People
      </h2>
      <table className={styles.table} aria-labelledby="people-title" data-testid="roster-people">
        <thead>
          <tr>
            {["Name", "Email", "Roles", "Signed in", ...(data.editable ? ["Actions"] : [])].map((h) => (
              <th key={h} className={styles.th} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.people.map((p) => (
            <tr key={p.id}>
              <td className={styles.td}>
                {p.displayName}
                {p.leftOn && ` (left ${formatDate(p.leftOn)})`}
              </td>
              <td className={styles.td}>{p.email}</td>
              <td className={styles.td}>{p.roles.map((r) => roleNames[r]).join(", ")}</td>
              <td className={styles.td}>{signInText(p)}</td>
              {data.editable && (
                <td className={styles.td}>
                  <div className={styles.actions}>
                    <Button size="small" onClick={() => setEditing({ kind: "person", person: p })} aria-label={`Edit ${p.displayName}`}>
                      Edit
                    </Button>
                    {p.leftOn ? (
                      <Button size="small" onClick={() => void reinstate("people", p.id, p.version, p.displayName)} aria-label={`Reinstate ${p.displayName}`}>
                        Reinstate
                      </Button>
                    ) : (
                      <Button size="small" onClick={() => setEditing({ kind: "leave", person: p })} aria-label={`Record leaving: ${p.displayName}`}>
                        Record leaving
                      </Button>
                    )}
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      {editing?.kind === "person" && <RosterPersonForm person={editing.person} onClose={close} onReload={reload} />}
      {editing?.kind === "ect" && (
        <RosterEctForm
          ect={editing.ect}
          name={editing.ect && nameOf(editing.ect.personId)}
          choices={choices}
          defaultAbId={school?.abId ?? ""}
          onClose={close}
          onReload={reload}
        />
      )}
      {editing?.kind === "endEct" && (
        <RosterEctEndForm ectId={editing.ect.id} version={editing.ect.version} name={nameOf(editing.ect.personId)} onClose={close} onReload={reload} />
      )}
      {editing?.kind === "leave" && (
        <RosterLeavingForm personId={editing.person.id} version={editing.person.version} name={editing.person.displayName} onClose={close} onReload={reload} />
      )}
    </article>
  );
}
