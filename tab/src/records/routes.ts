/** Routes for the induction-records views, matched before the app's own routes (see App.tsx). */
export type RecordsRoute = { name: "ectRecords"; ectId: string } | { name: "abReviews" } | { name: "roster" };

export function matchRecordsRoute(path: string): RecordsRoute | undefined {
  const pathname = path.split("?")[0] ?? "/";
  const records = /^\/ects\/([^/]+)\/records\/?$/.exec(pathname);
  if (records?.[1]) return { name: "ectRecords", ectId: decodeURIComponent(records[1]) };
  if (/^\/ab\/reviews\/?$/.test(pathname)) return { name: "abReviews" };
  if (/^\/roster\/?$/.test(pathname)) return { name: "roster" };
  return undefined;
}
