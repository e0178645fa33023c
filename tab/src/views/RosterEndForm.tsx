import { useState } from "react";
import { Field, Input, Radio, RadioGroup, Text } from "@fluentui/react-components";
import { Controller, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { RosterEctEndingInput, RosterPersonLeavingInput } from "@shared/model/roster";
import { EctEndReason, ectEndReasonLabels } from "@shared/model/people";
import { useApp } from "../AppContext";
import { todayIso } from "../lib/format";
import { RosterDialog, type SaveProblem } from "./RosterDialog";
import { isStale, problemText, useRosterWrite } from "./RosterQueries";

type EndForm = z.input<typeof RosterEctEndingInput>;

/**
 * Ends an ECT's induction record at the school (the day and why). The ECT leaves the live
 * caseload; their plans and records stay readable. The lead can reinstate the record.
 */
export function RosterEctEndForm({
  ectId,
  version,
  name,
  onClose,
  onReload,
}: {
  ectId: string;
  version: number;
  name: string;
  onClose: () => void;
  onReload: () => void;
}) {
  const { notify } = useApp();
  const write = useRosterWrite();
  const [problem, setProblem] = useState<SaveProblem>();
  const { control, handleSubmit, formState } = useForm<EndForm, unknown, RosterEctEndingInput>({
    resolver: zodResolver(RosterEctEndingInput),
    defaultValues: { endedOn: todayIso(), reason: "completed_induction" },
  });
  const submit = handleSubmit(async (body) => {
    setProblem(undefined);
    try {
      await write.mutateAsync({ kind: "ects", id: ectId, version, action: "end", body });
      notify(`Ended the induction record for ${name}`);
      onClose();
    } catch (e) {
      setProblem({ text: problemText(e), stale: isStale(e) });
    }
  });
  return (
    <RosterDialog
      title={`End the induction record for ${name}`}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={write.isPending}
      problem={problem}
      onReload={onReload}
      submitLabel="End record"
    >
      <Text block>They leave the caseload. Their plans and records are kept and stay readable; you can reinstate the record later.</Text>
      <Controller
        control={control}
        name="endedOn"
        render={({ field }) => (
          <Field label="Ended on" required validationMessage={formState.errors.endedOn && "Enter the date"}>
            <Input type="date" value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
          </Field>
        )}
      />
      <Controller
        control={control}
        name="reason"
        render={({ field }) => (
          <Field label="Why">
            <RadioGroup value={field.value} onChange={(_, d) => field.onChange(d.value)}>
              {EctEndReason.options.map((r) => (
                <Radio key={r} value={r} label={ectEndReasonLabels[r]} />
              ))}
            </RadioGroup>
          </Field>
        )}
      />
    </RosterDialog>
  );
}

type LeaveForm = z.input<typeof RosterPersonLeavingInput>;

/** Records that a person left the school: from that day they hold no role here. The lead can reinstate them. */
export function RosterLeavingForm({
  personId,
  version,
  name,
  onClose,
  onReload,
}: {
  personId: string;
  version: number;
  name: string;
  onClose: () => void;
  onReload: () => void;
}) {
  const { notify } = useApp();
  const write = useRosterWrite();
  const [problem, setProblem] = useState<SaveProblem>();
  const { control, handleSubmit, formState } = useForm<LeaveForm, unknown, RosterPersonLeavingInput>({
    resolver: zodResolver(RosterPersonLeavingInput),
    defaultValues: { leftOn: todayIso() },
  });
  const submit = handleSubmit(async (body) => {
    setProblem(undefined);
    try {
      await write.mutateAsync({ kind: "people", id: personId, version, action: "end", body });
      notify(`Recorded that ${name} left`);
      onClose();
    } catch (e) {
      setProblem({ text: problemText(e), stale: isStale(e) });
    }
  });
  return (
    <RosterDialog
      title={`${name} left the school`}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={write.isPending}
      problem={problem}
      onReload={onReload}
      submitLabel="Record leaving"
    >
      <Text block>From then on they cannot sign in or act on plans. Anyone they support needs someone else first.</Text>
      <Controller
        control={control}
        name="leftOn"
        render={({ field }) => (
          <Field label="Left on" required validationMessage={formState.errors.leftOn && "Enter the date"}>
            <Input type="date" value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
          </Field>
        )}
      />
    </RosterDialog>
  );
}
