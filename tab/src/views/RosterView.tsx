import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useApp } from "../AppContext";
import { ApiError } from "../lib/api";
import { formatDate } from "../lib/format";
import { errorMessage } from "../records/http";
import type { Ect, RosterData, RosterPerson, Role } from "../records/types";
import type { IttSignerRole } from "@shared/model/people";

const useStyles = makeStyles({
  h1: { margin: `0 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase600 },
  h2: { fontSize: tokens.fontSizeBase500, margin: `${tokens.spacingVerticalXL} 0 ${tokens.spacingVerticalS}` },
  table: { borderCollapse: "collapse", width: "100%", backgroundColor: tokens.colorNeutralBackground1 },
  th: { textAlign: "left", padding: tokens.spacingHorizontalS, borderBottom: `2px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: "top" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

const roleNames: Record<Role, string> = {
  ect: "ECT",
  mentor: "Mentor",
  induction_tutor: "Induction tutor",
  induction_lead: "Induction lead",
  head: "Headteacher",
  ab_officer: "Appropriate body officer",
  // The words of shared roleLabels (model/people.ts), which the tab cannot import without bundling zod.
  itt_staff: "ITT provider staff",
};
const schoolRoles: Role[] = ["ect", "mentor", "induction_tutor", "induction_lead", "head", "itt_staff"];

/** Seed 002's ITT signers: people of the ITT provider, named on the trainee's record. */
const ittSignerRoles: { role: IttSignerRole; label: string }[] = [
  { role: "course_tutor", label: "Course tutor" },
  { role: "director", label: "Director" },
  { role: "professional_mentor", label: "Professional mentor" },
  { role: "lead_subject_mentor", label: "Lead subject mentor" },
];

const problemText = (e: unknown) =>
  e instanceof ApiError
    ? [e.message, ...(e.problem.violations ?? []).map((v) => v.message)].filter((x, i, a) => a.indexOf(x) === i).join(" ")
    : errorMessage(e);

/** The school's roster: the lead or head edits it; an AB officer reads the ECTs their AB covers. */
export default function RosterView() {
  const styles = useStyles();
  const { api, notify } = useApp();
  const [data, setData] = useState<RosterData>();
  const [error, setError] = useState<string>();
  const [editPerson, setEditPerson] = useState<RosterPerson>();
  const [editEct, setEditEct] = useState<Ect>();
  const load = useCallback(() => api.get<RosterData>("/api/roster").then(setData, (e: unknown) => setError(errorMessage(e))), [api]);
  useEffect(() => {
    document.title = "Roster";
    void load();
  }, [load]);
  if (error) return <Text role="alert">Could not load the roster: {error}</Text>;
  if (!data) return <Spinner label="Loading the roster…" />;
  const nameOf = (id: string | undefined) => (id ? (data.people.find((p) => p.id === id)?.displayName ?? id) : "—");
  const staff = (role: Role) => data.people.filter((p) => p.roles.includes(role));
  const anyItt = data.ects.some((e) => e.track === "itt");

  return (
    <article aria-labelledby="roster-title">
      <h1 id="roster-title" className={styles.h1}>
        Roster
      </h1>
      <Text block>
        {data.editable
          ? `${data.schools[0]?.name ?? "Your school"}: who holds which role, and who supports each ECT.`
          : "The ECTs your appropriate body covers (read only)."}
      </Text>

      <h2 className={styles.h2} id="ects-title">
        ECTs
      </h2>
      <table className={styles.table} aria-labelledby="ects-title" data-testid="roster-ects">
        <thead>
          <tr>
            {["ECT", "Mentor", "Induction tutor", ...(anyItt ? ["ITT provider signers"] : []), "Start date", "FTE", ...(data.editable ? ["Actions"] : [])].map(
              (h) => (
                <th key={h} className={styles.th} scope="col">
                  {h}
                </th>
              ),
            )}
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
              {data.editable && (
                <td className={styles.td}>
                  <Button size="small" onClick={() => setEditEct(e)} aria-label={`Edit induction details for ${nameOf(e.personId)}`}>
                    Edit
                  </Button>
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
              <td className={styles.td}>{p.displayName}</td>
              <td className={styles.td}>{p.email}</td>
              <td className={styles.td}>{p.roles.map((r) => roleNames[r]).join(", ")}</td>
              <td className={styles.td}>{p.signedIn ? "Yes" : "Not yet"}</td>
              {data.editable && (
                <td className={styles.td}>
                  <Button size="small" onClick={() => setEditPerson(p)} aria-label={`Edit ${p.displayName}`}>
                    Edit
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      {editPerson && (
        <PersonDialog
          person={editPerson}
          onClose={() => setEditPerson(undefined)}
          onSave={async (body) => {
            await api.send("PUT", `/api/roster/people/${encodeURIComponent(editPerson.id)}`, body);
            notify(`Saved ${body.displayName}`);
            setEditPerson(undefined);
            await load();
          }}
        />
      )}
      {editEct && (
        <EctDialog
          ect={editEct}
          name={nameOf(editEct.personId)}
          mentors={staff("mentor")}
          tutors={staff("induction_tutor").concat(staff("head").filter((h) => !h.roles.includes("induction_tutor")))}
          ittStaff={staff("itt_staff")}
          onClose={() => setEditEct(undefined)}
          onSave={async (body) => {
            await api.send("PUT", `/api/roster/ects/${encodeURIComponent(editEct.id)}`, body);
            notify(`Saved ${nameOf(editEct.personId)}`);
            setEditEct(undefined);
            await load();
          }}
        />
      )}
    </article>
  );
}

function EditDialog({ title, onClose, onSubmit, children }: { title: string; onClose: () => void; onSubmit: () => Promise<void>; children: React.ReactNode }) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setErr(undefined);
            onSubmit()
              .catch((x: unknown) => setErr(problemText(x)))
              .finally(() => setBusy(false));
          }}
        >
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.form}>
              {children}
              {err && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{err}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={onClose}>Cancel</Button>
              <Button appearance="primary" type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save"}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function PersonDialog({
  person,
  onClose,
  onSave,
}: {
  person: RosterPerson;
  onClose: () => void;
  onSave: (b: { displayName: string; email: string; roles: Role[] }) => Promise<void>;
}) {
  const [displayName, setName] = useState(person.displayName);
  const [email, setEmail] = useState(person.email);
  const [roles, setRoles] = useState<Role[]>(person.roles.filter((r) => r !== "ab_officer"));
  return (
    <EditDialog title={`Edit ${person.displayName}`} onClose={onClose} onSubmit={() => onSave({ displayName, email, roles })}>
      <Field label="Name" required>
        <Input value={displayName} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label="Work email" required>
        <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
      </Field>
      <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 600, marginBottom: 4 }}>Roles</legend>
        {schoolRoles.map((r) => (
          <Checkbox
            key={r}
            label={roleNames[r]}
            checked={roles.includes(r)}
            onChange={(_, d) => setRoles(d.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
        ))}
      </fieldset>
    </EditDialog>
  );
}

function EctDialog({
  ect,
  name,
  mentors,
  tutors,
  ittStaff,
  onClose,
  onSave,
}: {
  ect: Ect;
  name: string;
  mentors: RosterPerson[];
  tutors: RosterPerson[];
  ittStaff: RosterPerson[];
  onClose: () => void;
  onSave: (b: Record<string, unknown>) => Promise<void>;
}) {
  const [mentorId, setMentor] = useState(ect.mentorId ?? "");
  const [tutorId, setTutor] = useState(ect.inductionTutorId ?? "");
  const [start, setStart] = useState(ect.inductionStartDate);
  const [fte, setFte] = useState(String(ect.fte));
  const [ittSigners, setIttSigners] = useState<Partial<Record<IttSignerRole, string>>>(ect.ittSigners ?? {});
  const itt = ect.track === "itt";
  return (
    <EditDialog
      title={`Induction details for ${name}`}
      onClose={onClose}
      onSubmit={() =>
        onSave({
          personId: ect.personId,
          mentorId: mentorId || null,
          inductionTutorId: tutorId || null,
          inductionStartDate: start,
          fte: Number(fte),
          abId: ect.abId,
          track: ect.track,
          // Only people with the ITT provider staff role can be named; each may then read and sign the trainee's plan.
          ...(itt ? { ittSigners: Object.fromEntries(Object.entries(ittSigners).filter(([, id]) => !!id)) } : {}),
        })
      }
    >
      <Field label="Mentor">
        <Select value={mentorId} onChange={(_, d) => setMentor(d.value)}>
          <option value="">No mentor</option>
          {mentors.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Induction tutor">
        <Select value={tutorId} onChange={(_, d) => setTutor(d.value)}>
          <option value="">No induction tutor</option>
          {tutors.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </Select>
      </Field>
      {itt && (
        <fieldset style={{ border: "none", padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 8 }}>
          <legend style={{ fontWeight: 600, marginBottom: 4 }}>ITT provider signers</legend>
          <Text size={200}>
            {ittStaff.length === 0
              ? "No one on the roster has the ITT provider staff role yet: give it to the provider's people under People first."
              : "The ITT provider's people who sign this trainee's early support plan. Only people with the ITT provider staff role can be named."}
          </Text>
          {ittSignerRoles.map(({ role, label }) => (
            <Field key={role} label={label}>
              <Select value={ittSigners[role] ?? ""} onChange={(_, d) => setIttSigners((x) => ({ ...x, [role]: d.value }))}>
                <option value="">No one named</option>
                {ittStaff.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.displayName}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
        </fieldset>
      )}
      <Field label="Induction start date" required>
        <Input type="date" value={start} onChange={(_, d) => setStart(d.value)} />
      </Field>
      <Field label="FTE (1 = full time)" required hint="Between 0.1 and 1.">
        <Input type="number" min={0.1} max={1} step={0.1} value={fte} onChange={(_, d) => setFte(d.value)} />
      </Field>
    </EditDialog>
  );
}
