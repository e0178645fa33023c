import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { Controller, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { SchoolSettings } from "@shared/model/roster";
import { defaultProbationTerms } from "@shared/model/people";
import { useApp } from "../AppContext";
import { callApi } from "../lib/api";
import { isStale, problemText, rosterKeys } from "./RosterQueries";
import { RosterTermDates } from "./RosterTermDates";

const useStyles = makeStyles({
  form: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))", gap: tokens.spacingHorizontalL, alignItems: "start" },
  actions: { marginTop: tokens.spacingVerticalM, display: "flex", gap: tokens.spacingHorizontalS },
  problem: { marginTop: tokens.spacingVerticalS },
});

/** The school as the roster shows it: its settings and their version (absent on a school from before versions: 1). */
export interface SchoolSettingsSource {
  ittProviderName?: string | undefined;
  probationTerms?: number | undefined;
  termDates?: SchoolSettings["termDates"] | undefined;
  version?: number | undefined;
}

type SettingsForm = z.input<typeof SchoolSettings>;

/**
 * The school's settings, for its induction lead or head: the ITT provider its early support
 * paperwork names, its probation length in terms and its term dates. Saved against the version read; when someone
 * else saved first, what was typed stays and their change can be loaded instead.
 */
export function RosterSchoolForm({ school, onReload }: { school: SchoolSettingsSource; onReload: () => void }) {
  const styles = useStyles();
  const { api, me, notify } = useApp();
  const client = useQueryClient();
  const [problem, setProblem] = useState<{ text: string; stale: boolean }>();
  const { control, handleSubmit, formState, reset } = useForm<SettingsForm, unknown, SchoolSettings>({
    resolver: zodResolver(SchoolSettings),
    defaultValues: {
      ittProviderName: school.ittProviderName ?? "",
      probationTerms: school.probationTerms ?? defaultProbationTerms,
      termDates: school.termDates ?? [],
    },
  });
  const save = useMutation({
    mutationFn: (body: SchoolSettings) => callApi(api, "PUT /api/roster/school", { body, headers: { "if-match": `"v${school.version ?? 1}"` } }),
    // The probation length changes each ECT's HR table: their pages are read again.
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: rosterKeys.all(me.person.id) }), client.invalidateQueries({ queryKey: [me.person.id, "ects"] })]),
  });
  const errors = formState.errors;
  const submit = handleSubmit(async (body) => {
    setProblem(undefined);
    try {
      const saved = await save.mutateAsync(body);
      reset({
        ittProviderName: saved.settings.ittProviderName ?? "",
        probationTerms: saved.settings.probationTerms,
        termDates: saved.settings.termDates ?? [],
      });
      notify("Saved the school's settings");
    } catch (e) {
      setProblem({ text: problemText(e), stale: isStale(e) });
    }
  });

  return (
    <form
      noValidate
      aria-labelledby="school-settings-title"
      data-testid="school-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={styles.form}>
        <Controller
          control={control}
          name="ittProviderName"
          render={({ field }) => (
            <Field
              label="ITT provider name"
              hint="Printed at the head of the ITT early support plan. Leave empty to name none."
              validationMessage={errors.ittProviderName?.message}
            >
              <Input value={field.value ?? ""} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} maxLength={200} />
            </Field>
          )}
        />
        <Controller
          control={control}
          name="probationTerms"
          render={({ field }) => (
            <Field
              label="Probation length (terms)"
              hint="Under the school's HR policy: 0 to 6 terms of the ECT's induction."
              validationMessage={errors.probationTerms?.message}
            >
              <Input
                type="number"
                min={0}
                max={6}
                step={1}
                value={Number.isNaN(field.value) ? "" : String(field.value)}
                onChange={(_, d) => field.onChange(d.value === "" ? Number.NaN : Number(d.value))}
                onBlur={field.onBlur}
              />
            </Field>
          )}
        />
      </div>
      <RosterTermDates control={control} errors={errors} />
      {problem && (
        <MessageBar intent={problem.stale ? "warning" : "error"} role="alert" layout="multiline" className={styles.problem}>
          <MessageBarBody>
            {problem.text}
            {problem.stale && " What you typed is still here; nothing of it was saved."}
          </MessageBarBody>
          {problem.stale && (
            <MessageBarActions>
              <Button onClick={onReload}>Reload their change</Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}
