/**
 * Paths a front end may hand the engine, when the engine does not take any path it is given (the
 * web mode; the desktop app once its dialogs grant). The trusted side — the web server for an
 * upload the page made, the Electron shell for a file the user picked in a native dialog —
 * registers the real path and gives the page an opaque handle instead; the page can only name
 * files that way. A handle is random (144 bits), tied to one scope (one page), and by default
 * good for one use.
 */
import { randomBytes } from 'node:crypto';

export type FileAccess = 'read' | 'write';

/** What every handle starts with, so a refused path can be told from a stale handle. */
export const HANDLE_PREFIX = 'file-handle:';

/**
 * Most handles a scope holds at once; past it the oldest goes. Each grant follows a user's choice or
 * an upload, but a page could ask again and again for a File it keeps (the desktop drop route), and
 * the map must not grow without end for that.
 */
export const MAX_GRANTS = 10_000;

interface Grant {
  path: string;
  access: FileAccess;
  once: boolean;
}

export class FileGrants {
  private readonly grants = new Map<string, Grant>();

  /**
   * Registers a path the user chose (a dialog) or the page uploaded; returns the handle the page
   * passes in place of the path. `once: false` keeps it usable until the scope ends (an upload the
   * page may open again).
   */
  grant(path: string, access: FileAccess, options: { once?: boolean } = {}): string {
    const handle = `${HANDLE_PREFIX}${randomBytes(18).toString('base64url')}`;
    this.grants.set(handle, { path, access, once: options.once ?? true });
    // a Map keeps insertion order: the first key is the oldest grant
    if (this.grants.size > MAX_GRANTS) this.grants.delete(this.grants.keys().next().value as string);
    return handle;
  }

  /** The path behind a handle for this access, or null; a one-time handle is used up. */
  take(handle: string, access: FileAccess): string | null {
    const grant = this.grants.get(handle);
    if (!grant || grant.access !== access) return null;
    if (grant.once) this.grants.delete(handle);
    return grant.path;
  }

  /** The path behind a handle for this access without using it up (to look at a file before opening it), or null. */
  peek(handle: string, access: FileAccess): string | null {
    const grant = this.grants.get(handle);
    return grant && grant.access === access ? grant.path : null;
  }

  revokeAll(): void {
    this.grants.clear();
  }
}
