import { useState } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import { mayExportWholeRecord } from "@shared/recordExportAccess";
import { useApp } from "../AppContext";
import type { Api } from "../lib/api";
import { errorMessage, rawJson } from "./http";
import type { Ect } from "./types";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalL, flexWrap: "wrap", marginTop: tokens.spacingVerticalS },
});

/** The name the server gives the file (Content-Disposition), else the one the tab would. */
function fileNameOf(res: Response, fallback: string): string {
  return /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallback;
}

/** A signed-in download handed to the browser as a file; a refusal comes back as the server's words. */
async function download(api: Api, path: string, fallback: string): Promise<void> {
  const res = await api.raw("GET", path);
  if (!res.ok) await rawJson(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = fileNameOf(res, fallback);
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function DownloadLink({ path, fallback, label, what }: { path: string; fallback: string; label: string; what: string }) {
  const { api, notify } = useApp();
  const [busy, setBusy] = useState(false);
  return (
    <a
      href={path}
      aria-label={`${label}: ${what}`}
      aria-busy={busy}
      onClick={(e) => {
        e.preventDefault();
        if (busy) return;
        setBusy(true);
        download(api, path, fallback)
          .catch((err: unknown) => notify(`Could not download the ${what}: ${errorMessage(err)}`, "error"))
          .finally(() => setBusy(false));
      }}
    >
      {label}
    </a>
  );
}

/** "Download (Word)" and "Download (PDF)" for one review or assessment: the AB's form, with its signatures and certificate. */
export function RecordDownloads({ ectId, recordId, what }: { ectId: string; recordId: string; what: string }) {
  const styles = useStyles();
  const base = `/api/ects/${encodeURIComponent(ectId)}/records/${encodeURIComponent(recordId)}/export`;
  return (
    <div className={styles.row}>
      <DownloadLink path={`${base}.docx`} fallback="induction-record.docx" label="Download (Word)" what={what} />
      <DownloadLink path={`${base}.pdf`} fallback="induction-record.pdf" label="Download (PDF)" what={what} />
    </div>
  );
}

/** The whole record as one PDF, for those the server gives it to (the ECT, the lead, the head, the AB). */
export function WholeRecordDownload({ ect }: { ect: Ect | undefined }) {
  const { me } = useApp();
  const styles = useStyles();
  if (!ect || !mayExportWholeRecord(me.person, ect)) return null;
  return (
    <div className={styles.row}>
      <DownloadLink
        path={`/api/ects/${encodeURIComponent(ect.id)}/record.pdf`}
        fallback="induction-record.pdf"
        label="Download the whole record (PDF)"
        what="whole induction record"
      />
    </div>
  );
}
