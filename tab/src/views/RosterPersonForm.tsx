import { useState } from "react";
import { Checkbox, Field, Input, tokens } from "@fluentui/react-components";
import { Controller, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { RosterPersonInput, type RosterPersonView } from "@shared/model/roster";
import type { Role } from "@shared/model/people";
import { useApp } from "../AppContext";
import { RosterDialog, type SaveProblem } from "./RosterDialog";
import { isStale, problemText, useRosterWrite } from "./RosterQueries";

export const roleNames: Record<Role, string> = {
  ect: "ECT",
  mentor: "Mentor",
  induction_tutor: "Induction tutor",
  induction_lead: "Induction lead",
  head: "Headteacher",
  ab_officer: "Appropriate body officer",
  itt_staff: "ITT provider staff",
};
const schoolRoles: Exclude<Role, "ab_officer">[] = ["ect", "mentor", "induction_tutor", "induction_lead", "head", "itt_staff"];

type PersonForm = z.input<typeof RosterPersonInput>;

/** Adds a person to the school's roster (no `person`) or changes one, against the version read. */
export function RosterPersonForm({ person, onClose, onReload }: { person?: RosterPersonView; onClose: () => void; onReload: () => void }) {
  const { notify } = useApp();
  const write = useRosterWrite();
  // A new person's id is made once per dialog, so trying again after a refusal is the same create.
  const [id] = useState(() => person?.id ?? `person-${crypto.randomUUID()}`);
  const [problem, setProblem] = useState<SaveProblem>();
  const { control, handleSubmit, formState } = useForm<PersonForm, unknown, RosterPersonInput>({
    resolver: zodResolver(RosterPersonInput),
    defaultValues: person
      ? { displayName: person.displayName, email: person.email, roles: person.roles.filter((r): r is PersonForm["roles"][number] => r !== "ab_officer") }
      : { displayName: "", email: "", roles: [] },
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (body) => {
    setProblem(undefined);
    try {
      await write.mutateAsync({ kind: "people", id, action: "save", body, ...(person ? { version: person.version } : {}) });
      notify(`Saved ${body.displayName}`);
      onClose();
    } catch (e) {
      setProblem({ text: problemText(e), stale: isStale(e) });
    }
  });

  return (
    <RosterDialog
      title={person ? `Edit ${person.displayName}` : "Add a person"}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={write.isPending}
      problem={problem}
      onReload={onReload}
    >
      <Controller
        control={control}
        name="displayName"
        render={({ field }) => (
          <Field label="Name" required validationMessage={errors.displayName?.message}>
            <Input value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="email"
        render={({ field }) => (
          <Field
            label="Work email"
            required
            hint="How they are matched when they first sign in."
            validationMessage={errors.email && "Enter a work email address"}
          >
            <Input type="email" value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="roles"
        render={({ field }) => (
          <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
            <legend style={{ fontWeight: 600, marginBottom: 4 }}>Roles</legend>
            {schoolRoles.map((r) => (
              <Checkbox
                key={r}
                label={roleNames[r]}
                checked={field.value.includes(r)}
                onChange={(_, d) => field.onChange(d.checked ? [...field.value, r] : field.value.filter((x) => x !== r))}
              />
            ))}
            {errors.roles && (
              <div role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
                Choose at least one role.
              </div>
            )}
          </fieldset>
        )}
      />
    </RosterDialog>
  );
}
