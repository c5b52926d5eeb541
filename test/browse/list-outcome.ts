// Runs a listing and returns what came of it as plain JSON (a listing, or the AppError it threw), so a child
// process running as another user can report an error back (test/ingest/unprivileged.ts runs it).
import type { AppError, BrowseRequest, FolderListing } from '../../core/contract/api.js';
import { browseFolder, type BrowseOptions } from '../../core/browse/folder-listing.js';

export type ListOutcome = { ok: true; listing: FolderListing } | { ok: false; error: AppError };

export async function listOutcome(req: BrowseRequest, opts: BrowseOptions): Promise<ListOutcome> {
  try {
    return { ok: true, listing: await browseFolder(req, opts) };
  } catch (err) {
    const error = (err as { appError?: AppError }).appError;
    if (!error) throw err;
    return { ok: false, error };
  }
}
