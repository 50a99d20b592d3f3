/** The Bull Board queue dashboard, mounted under a path of the HTTP server. */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/** The dashboard's router for `queues`, served at `basePath` (e.g. `/queues`). */
export function dashboardRouter(queues: readonly Queue[], basePath: string): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express 9.10.1 bundles its own @bull-board/api 9.10.1 next to our 9.10.2: the
    // classes are the same at run time, only their private members make the types differ.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'ion-recalc' } },
  });
  return serverAdapter.getRouter() as Router;
}
