import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Start-up check of the data folder (DATA_DIR): it must exist or be creatable, be a folder and
 * be writable. Otherwise the server refuses to start with an error that names the folder and
 * says what to do, instead of a bare EACCES/EROFS from SQLite or the key file.
 */
export function ensureWritableDataDir(dataDir: string): void {
  const dir = resolve(dataDir);
  const fix = "Set DATA_DIR to a folder this server can write to, or make this one writable by the user the server runs as.";
  const fail = (what: string, error?: unknown): never => {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw new Error(`The data folder ${dir} ${what}${code ? ` (${code})` : ""}. ${fix}`);
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    fail("does not exist and could not be created", error);
  }
  if (!statSync(dir).isDirectory()) fail("is not a folder");
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    fail("is read-only", error);
  }
}
