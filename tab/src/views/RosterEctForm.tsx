import { useState } from "react";
import { Field, Input, Select, Text } from "@fluentui/react-components";
import { Controller, useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { RosterEctInput, type RosterEctView, type RosterPersonView } from "@shared/model/roster";
import type { IttSignerRole } from "@shared/model/people";
import { useApp } from "../AppContext";
import { RosterDialog, type SaveProblem } from "./RosterDialog";
import { isStale, problemText, useRosterWrite } from "./RosterQueries";

/** Seed 002's ITT signers: people of the ITT provider, named on the trainee's record. */
export const ittSignerRoles: { role: IttSignerRole; label: string }[] = [
  { role: "course_tutor", label: "Course tutor" },
  { role: "director", label: "Director" },
  { role: "professional_mentor", label: "Professional mentor" },
  { role: "lead_subject_mentor", label: "Lead subject mentor" },
];

type EctForm = z.input<typeof RosterEctInput>;

export interface EctChoices {
  /** People with the ECT role and no induction record yet (for a new record). */
  newEcts: RosterPersonView[];
  mentors: RosterPersonView[];
  tutors: RosterPersonView[];
  ittStaff: RosterPersonView[];
  /** The appropriate bodies the school works with (its own and those linked in its set-up). */
  abs: { id: string; name: string }[];
}

const PersonSelect = ({ value, onChange, none, people }: { value: string; onChange: (v: string) => void; none: string; people: RosterPersonView[] }) => (
  <Select value={value} onChange={(_, d) => onChange(d.value)}>
    <option value="">{none}</option>
    {people.map((p) => (
      <option key={p.id} value={p.id}>
        {p.displayName}
      </option>
    ))}
  </Select>
);

/** Adds an ECT's induction record (no `ect`) or changes one, against the version read. */
export function RosterEctForm({
  ect,
  name,
  choices,
  defaultAbId,
  onClose,
  onReload,
}: {
  ect?: RosterEctView;
  name?: string;
  choices: EctChoices;
  defaultAbId: string;
  onClose: () => void;
  onReload: () => void;
}) {
  const { notify } = useApp();
  const write = useRosterWrite();
  const [id] = useState(() => ect?.id ?? `ect-${crypto.randomUUID()}`);
  const [problem, setProblem] = useState<SaveProblem>();
  const [ittSigners, setIttSigners] = useState<Partial<Record<IttSignerRole, string>>>(ect?.ittSigners ?? {});
  const { control, handleSubmit, formState } = useForm<EctForm, unknown, RosterEctInput>({
    resolver: zodResolver(RosterEctInput),
    defaultValues: {
      personId: ect?.personId ?? "",
      mentorId: ect?.mentorId ?? null,
      inductionTutorId: ect?.inductionTutorId ?? null,
      abId: ect?.abId ?? defaultAbId,
      inductionStartDate: ect?.inductionStartDate ?? "",
      fte: ect?.fte ?? 1,
      track: ect?.track ?? "ect",
    },
  });
  const errors = formState.errors;
  const itt = useWatch({ control, name: "track" }) === "itt";
  const submit = handleSubmit(async (input) => {
    setProblem(undefined);
    // Only a trainee has ITT signers; only people with the ITT provider staff role can be named.
    const body = { ...input, ...(itt ? { ittSigners: Object.fromEntries(Object.entries(ittSigners).filter(([, v]) => !!v)) } : {}) };
    try {
      await write.mutateAsync({ kind: "ects", id, action: "save", body, ...(ect ? { version: ect.version } : {}) });
      notify(`Saved ${name ?? choices.newEcts.find((p) => p.id === input.personId)?.displayName ?? "the induction record"}`);
      onClose();
    } catch (e) {
      setProblem({ text: problemText(e), stale: isStale(e) });
    }
  });

  return (
    <RosterDialog
      title={ect ? `Induction details for ${name}` : "Add an ECT"}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={write.isPending}
      problem={problem}
      onReload={onReload}
    >
      {!ect && (
        <Controller
          control={control}
          name="personId"
          render={({ field }) => (
            <Field
              label="ECT"
              required
              hint={
                choices.newEcts.length === 0 ? "Add the person with the ECT role under People first." : "People with the ECT role and no induction record yet."
              }
              validationMessage={errors.personId && "Choose the ECT"}
            >
              <PersonSelect value={field.value} onChange={field.onChange} none="Choose…" people={choices.newEcts} />
            </Field>
          )}
        />
      )}
      <Controller
        control={control}
        name="inductionStartDate"
        render={({ field }) => (
          <Field label="Induction start date" required validationMessage={errors.inductionStartDate && "Enter the date the appropriate body set"}>
            <Input type="date" value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="fte"
        render={({ field }) => (
          <Field label="FTE (1 = full time)" required hint="Between 0.1 and 1." validationMessage={errors.fte && "Enter a figure between 0.1 and 1"}>
            <Input
              type="number"
              min={0.1}
              max={1}
              step={0.1}
              value={Number.isNaN(field.value) ? "" : String(field.value)}
              onChange={(_, d) => field.onChange(d.value === "" ? Number.NaN : Number(d.value))}
              onBlur={field.onBlur}
            />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="track"
        render={({ field }) => (
          <Field label="Track">
            <Select value={field.value ?? "ect"} onChange={(_, d) => field.onChange(d.value)}>
              <option value="ect">ECT induction</option>
              <option value="itt">ITT trainee (early support plan)</option>
            </Select>
          </Field>
        )}
      />
      <Controller
        control={control}
        name="mentorId"
        render={({ field }) => (
          <Field label="Mentor">
            <PersonSelect value={field.value ?? ""} onChange={(v) => field.onChange(v || null)} none="No mentor" people={choices.mentors} />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="inductionTutorId"
        render={({ field }) => (
          <Field label="Induction tutor">
            <PersonSelect value={field.value ?? ""} onChange={(v) => field.onChange(v || null)} none="No induction tutor" people={choices.tutors} />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="abId"
        render={({ field }) => (
          <Field label="Appropriate body" hint="The appropriate bodies your school works with.">
            <Select value={field.value ?? defaultAbId} onChange={(_, d) => field.onChange(d.value)}>
              {choices.abs.map((ab) => (
                <option key={ab.id} value={ab.id}>
                  {ab.name}
                </option>
              ))}
            </Select>
          </Field>
        )}
      />
      {itt && (
        <fieldset style={{ border: "none", padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 8 }}>
          <legend style={{ fontWeight: 600, marginBottom: 4 }}>ITT provider signers</legend>
          <Text size={200}>
            {choices.ittStaff.length === 0
              ? "No one on the roster has the ITT provider staff role yet: give it to the provider's people under People first."
              : "The ITT provider's people who sign this trainee's early support plan. Only people with the ITT provider staff role can be named."}
          </Text>
          {ittSignerRoles.map(({ role, label }) => (
            <Field key={role} label={label}>
              <PersonSelect
                value={ittSigners[role] ?? ""}
                onChange={(v) => setIttSigners((x) => ({ ...x, [role]: v }))}
                none="No one named"
                people={choices.ittStaff}
              />
            </Field>
          ))}
        </fieldset>
      )}
    </RosterDialog>
  );
}
