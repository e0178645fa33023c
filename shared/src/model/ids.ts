import { z } from "zod";

/** Ids are opaque strings: UUIDs in the embedded store, list item ids in SharePoint. */
/**
 * Every id, everywhere (records, roster, path parameters): letters, digits and . _ : - only,
 * starting with a letter or digit, so an id can never be a path ("../person-head") or carry markup.
 */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: "Ids are letters, digits and . _ : - only" });
export type Id = z.infer<typeof Id>;

/** Calendar dates are ISO dates (YYYY-MM-DD) with no time zone: a school day, not an instant. */
export const IsoDate = z.iso.date({ message: "Use a date in the form YYYY-MM-DD" });
export type IsoDate = z.infer<typeof IsoDate>;

/** Instants are ISO timestamps in UTC. */
export const IsoDateTime = z.iso.datetime({ offset: true, message: "Use an ISO date-time" });
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/**
 * Free text on a form: bounded so one field cannot swamp a list item (SharePoint multi-line text
 * holds 63,999 characters), and free of NUL and the other C0 control characters (tab, newline and
 * carriage return are text): they are invisible, break exports and SharePoint, and no keyboard types them.
 */
// eslint-disable-next-line no-control-regex
export const noControlCharacters = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$/;
export const controlCharacterMessage = "Remove the hidden control characters (such as NUL) from this text: paste it as plain text and try again";
export const FormText = (max = 4000) =>
  z
    .string()
    .max(max, { message: `Keep this under ${max} characters` })
    .regex(noControlCharacters, { message: controlCharacterMessage });
