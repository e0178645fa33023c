import { Button, Field, Input, Select, Text, makeStyles, tokens } from "@fluentui/react-components";
import { Controller, useFieldArray, type Control, type FieldErrors } from "react-hook-form";
import type { z } from "zod";
import type { SchoolSettings } from "@shared/model/roster";
import { TermSeason } from "@shared/termCalendar";
import { now } from "../lib/clock";

const useStyles = makeStyles({
  group: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalM, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "end", marginTop: tokens.spacingVerticalS },
  year: { width: "7em" },
});

type SettingsForm = z.input<typeof SchoolSettings>;

/**
 * The school's term start dates: reviews are filed in, and fall due by, the school's own terms
 * (each runs to the day before the next starts). None given: Autumn from 1 September, Spring from
 * 1 January, Summer from 1 April.
 */
export function RosterTermDates({ control, errors }: { control: Control<SettingsForm>; errors: FieldErrors<SettingsForm> }) {
  const styles = useStyles();
  const { fields, append, remove } = useFieldArray({ control, name: "termDates" });
  const listError = errors.termDates?.message ?? errors.termDates?.root?.message;
  const next = (): { season: TermSeason; year: number; start: string } => {
    const last = fields.at(-1);
    // The first row: this school year's autumn term.
    const today = now();
    if (!last) return { season: "Autumn", year: today.getUTCFullYear() - (today.getUTCMonth() < 7 ? 1 : 0), start: "" };
    const order: TermSeason[] = ["Autumn", "Spring", "Summer"];
    const season = order[(order.indexOf(last.season) + 1) % 3]!;
    return { season, year: season === "Spring" ? last.year + 1 : last.year, start: "" };
  };
  return (
    <fieldset className={styles.group} data-testid="term-dates">
      <legend className={styles.legend}>Term start dates</legend>
      <Text block size={200}>
        Progress reviews are filed in, and fall due by, these terms. Each term runs to the day before the next one starts, so a holiday belongs to the term
        before it. Terms not listed start on 1 September, 1 January and 1 April.
      </Text>
      {fields.map((f, i) => {
        const e = errors.termDates?.[i];
        return (
          <div key={f.id} className={styles.row} role="group" aria-label={`Term ${i + 1}`}>
            <Controller
              control={control}
              name={`termDates.${i}.season`}
              render={({ field }) => (
                <Field label="Term" validationMessage={e?.season?.message}>
                  <Select value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur}>
                    {TermSeason.options.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </Select>
                </Field>
              )}
            />
            <Controller
              control={control}
              name={`termDates.${i}.year`}
              render={({ field }) => (
                <Field label="Year" validationMessage={e?.year?.message}>
                  <Input
                    className={styles.year}
                    type="number"
                    value={Number.isNaN(field.value) ? "" : String(field.value)}
                    onChange={(_, d) => field.onChange(d.value === "" ? Number.NaN : Number(d.value))}
                    onBlur={field.onBlur}
                  />
                </Field>
              )}
            />
            <Controller
              control={control}
              name={`termDates.${i}.start`}
              render={({ field }) => (
                <Field label="First day" validationMessage={e?.start?.message}>
                  <Input type="date" value={field.value} onChange={(_, d) => field.onChange(d.value)} onBlur={field.onBlur} />
                </Field>
              )}
            />
            <Button onClick={() => remove(i)} aria-label={`Remove term ${i + 1}`}>
              Remove
            </Button>
          </div>
        );
      })}
      {listError && (
        <Text block role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
          {listError}
        </Text>
      )}
      <Button style={{ marginTop: tokens.spacingVerticalS }} onClick={() => append(next())}>
        Add a term
      </Button>
    </fieldset>
  );
}
