/**
 * Where the project's shared material lives (`shared/` beside the repository: corpus,
 * conformance). CI clones the repository with `shared/` beside it; `ION_SHARED_DIR` overrides.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = process.env.ION_SHARED_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared');

/** A path inside `shared/`. */
export const sharedPath = (...parts: string[]): string => join(SHARED_DIR, ...parts);
