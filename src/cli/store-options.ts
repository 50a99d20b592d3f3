/**
 * Where a command's documents are: an embedded store file (`--db`), MongoDB (`--mongo`,
 * `--mongo-db`), or a data file loaded into an in-memory store (`--data`). One function opens
 * whichever was given and says clearly when the combination is wrong.
 */
import type { Command } from 'commander';
import type { MetaModel } from '../meta/index.ts';
import { importPath, openEmbeddedStore, openMongoStore } from '../store/index.ts';
import type { StorePort } from '../store/port.ts';
import { collectionOfDocument, openEmbeddedOrFail } from './context.ts';
import { CliError } from './io.ts';

export interface StoreOptions {
  readonly db?: string;
  readonly data?: string;
  readonly mongo?: string;
  readonly mongoDb?: string;
}

/** Adds `--db`, `--data`, `--mongo`, `--mongo-db` (defaults from `EMBEDDED_DB`, `MONGODB_URL`, `MONGODB_DB`). */
export function withStoreOptions(command: Command, options: { data: boolean; mongo: boolean }): Command {
  command.option('--db <path>', 'embedded store file (default: $EMBEDDED_DB)', process.env.EMBEDDED_DB);
  if (options.data) command.option('--data <file>', 'documents to load into an in-memory store (Extended JSON or ION data files)');
  if (options.mongo) {
    command
      .option('--mongo <url>', 'MongoDB connection string (default: $MONGODB_URL)', process.env.MONGODB_URL)
      .option('--mongo-db <name>', 'MongoDB database (default: $MONGODB_DB)', process.env.MONGODB_DB);
  }
  return command;
}

export interface OpenedStore {
  readonly store: StorePort;
  readonly kind: 'data' | 'db' | 'mongo';
  readonly description: string;
}

/** Opens the one store the options name; `--data` is imported into a fresh in-memory store. */
export async function openStoreFromOptions(options: StoreOptions, meta: MetaModel): Promise<OpenedStore> {
  const given = [options.data && '--data', options.db && '--db', options.mongo && '--mongo'].filter(Boolean);
  if (given.length !== 1) {
    throw new CliError(
      given.length === 0 ? 'say where the documents are: --data FILE, --db PATH or --mongo URL --mongo-db NAME' : `use only one of ${given.join(', ')}`,
      1,
    );
  }
  if (options.data) {
    const store = openEmbeddedStore({ path: ':memory:' });
    try {
      await importPath(store, options.data, { collectionOf: collectionOfDocument(meta) });
    } catch (error) {
      await store.close();
      throw error instanceof CliError ? error : new CliError(`cannot load ${options.data}: ${(error as Error).message}`, 1);
    }
    return { store, kind: 'data', description: options.data };
  }
  if (options.db) return { store: openEmbeddedOrFail(options.db), kind: 'db', description: options.db };
  if (!options.mongoDb) throw new CliError('--mongo needs --mongo-db NAME (or MONGODB_DB)', 1);
  try {
    const store = await openMongoStore({ url: options.mongo as string, database: options.mongoDb });
    return { store, kind: 'mongo', description: `${options.mongoDb} on MongoDB` };
  } catch (error) {
    throw new CliError(`cannot connect to MongoDB at ${options.mongo}: ${(error as Error).message}`, 1);
  }
}
