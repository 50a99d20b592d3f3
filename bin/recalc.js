#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx recalc` works in a checkout after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
