/**
 * A formula that throws at run time for one object: the demo meta plus a `probe` class whose
 * cached `matches` is `like($text, $pattern)`, and one probe whose pattern is not a regular
 * expression. That object's job fails with the error recorded (permanent: one attempt), `recalc
 * status` shows it, and every other object — the other probes and the demo data changed at the
 * same time — is updated.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/index.ts';
import {
  applyRandomChanges, cleanQueue, compareWithRebuild, createDemoStore, demoMeta, E2E_SCALE, randomQueueName, recalc, REDIS_URL, ROOT, scratchDir,
  startChild, stopChild, waitFeedStarted,
} from './helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PROBE = {
  namespace: 'demo',
  name: 'probe',
  caption: 'Probe',
  key: ['code'],
  properties: [
    { orderNumber: 10, name: 'code', caption: 'Code', type: 0 },
    { orderNumber: 20, name: 'text', caption: 'Text', type: 0 },
    { orderNumber: 30, name: 'pattern', caption: 'Pattern', type: 0 },
    { orderNumber: 40, name: 'matches', caption: 'Matches', type: 10, formula: { like: ['$text', '$pattern'] }, cached: true },
    { orderNumber: 50, name: 'label', caption: 'Label', type: 0, formula: { concat: ['$code', ':', '$text'] }, cached: true },
  ],
};

describe('a formula that throws for one object', () => {
  it('fails that job with its error recorded; every other object is updated', async () => {
    const { dir, remove } = scratchDir();
    const metaDir = join(dir, 'meta');
    cpSync(join(ROOT, 'meta'), metaDir, { recursive: true });
    writeFileSync(join(metaDir, 'orders', 'probe.class.json'), JSON.stringify(PROBE, null, 2));
    const meta = demoMeta(metaDir);
    const probe = meta.repository.get('probe@demo');
    const db = join(dir, 'store.db');
    const queueName = randomQueueName('formula-error');
    cleanups.push(remove, () => cleanQueue(queueName));
    await createDemoStore(db, E2E_SCALE);
    const probes = ['p1', 'p2', 'bad', 'p4'].map((code) => ({ _class: probe.canonicalName, code, text: 'abc', pattern: code === 'bad' ? '(' : 'b' }));

    const env = { REDIS_URL, RECALC_QUEUE_NAME: queueName, META_DIR: metaDir };
    const worker = startChild(['bin/recalc.js', 'worker', '--db', db, '--http-port', '0', '--log-level', 'warn'], env);
    cleanups.push(async () => void (await stopChild(worker, 2000)));
    await waitFeedStarted(db, env, worker);
    // Random changes of the demo data, then the probes inserted and edited (journaled, as an
    // application writes): the failing object is among hundreds of objects being recomputed.
    await applyRandomChanges(meta, db, 500, 9);
    const writer = openEmbeddedStore({ path: db });
    await writer.insert(probe.storage.collection, probes.map((doc) => ({ id: doc.code, doc })));
    await writer.update(probe.storage.collection, probes.map((p) => ({ id: p.code, match: { code: p.code }, set: { text: 'xyz-b' } })));
    await writer.close();

    const status = await recalc(['status', '--db', db, '--wait-idle', '--timeout', '60', '--json'], env);
    expect(status.code, status.output + worker.output()).toBe(0);
    const report = JSON.parse(status.output.trim().split('\n').at(-1)!);
    const probeFailures = report.failures.filter((f: { ref: { className: string } | null }) => f.ref?.className === probe.canonicalName);
    expect(probeFailures.length).toBeGreaterThan(0);
    for (const failure of probeFailures) {
      expect(failure.ref.id).toBe('bad');
      expect(failure.error).toMatch(/like: invalid regular expression/);
      expect(failure.attempts).toBe(1);
    }
    expect(report.failures.filter((f: { ref: { className: string } | null }) => f.ref?.className !== probe.canonicalName)).toEqual([]);
    const text = await recalc(['status', '--db', db], env);
    expect(text.output).toMatch(/last errors:\n {2}probe@demo bad \(1 attempt\): .*like: invalid regular expression/);
    expect(await stopChild(worker), worker.output()).toBe(0);

    const after = openEmbeddedStore({ path: db });
    const stored = await after.findByField(probe.storage.collection, null, 'code', ['p1', 'p2', 'bad', 'p4']);
    await after.close();
    const byCode = Object.fromEntries(stored.map((d) => [d.code, d]));
    for (const code of ['p1', 'p2', 'p4']) expect([byCode[code]!.matches, byCode[code]!.label]).toEqual([true, `${code}:xyz-b`]);
    // The failing object's other cached value is written too; only `matches` could not be computed.
    expect(byCode.bad!.label).toBe('bad:xyz-b');
    expect(byCode.bad!.matches ?? null).toBeNull();
    const { differences } = await compareWithRebuild(meta, db);
    expect(differences).toEqual([]);
  }, 60_000);
});
