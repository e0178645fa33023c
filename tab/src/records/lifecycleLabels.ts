import { returnReasonLabels, type RecordSignerRole, type ReturnReason } from "@shared/model/inductionRecords";

export { returnReasonLabels };
export type { RecordSignerRole, ReturnReason };

/** The signers in the order the record lists them (shared/src/recordLifecycle.ts requiredRecordSigners). */
export const signerOrder: RecordSignerRole[] = ["ect", "induction_tutor", "head"];
export const signerLabel: Record<RecordSignerRole, string> = { ect: "The ECT", induction_tutor: "Induction tutor", head: "Headteacher" };
export const returnReasons = Object.keys(returnReasonLabels) as ReturnReason[];
/** "Sign as the ECT", "Sign as induction tutor and headteacher". */
export const signAsLabel: Record<RecordSignerRole, string> = { ect: "the ECT", induction_tutor: "induction tutor", head: "headteacher" };
