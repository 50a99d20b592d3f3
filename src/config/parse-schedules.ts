/**
 * Refresh schedules from text. Two spellings:
 * - JSON: `[{"name": "nightly", "cron": "0 3 * * *", "classes": ["Office"], "tz": "Europe/Moscow"}]`
 *   (`name` and `tz` optional);
 * - compact, one per flag or `;`-separated in the variable: `0 3 * * * => Office, Letter`.
 * Unnamed schedules are named `s1`, `s2`… in order (the name is the scheduler's id).
 */
import { CronExpressionParser } from 'cron-parser';
import type { RefreshSchedule } from '../queue/recompute-queue.ts';

/** Parses schedule specs; problems are appended to `problems`. */
export function parseSchedules(specs: readonly string[], problems: string[], source: string): RefreshSchedule[] {
  const schedules: RefreshSchedule[] = [];
  for (const spec of specs) {
    const text = spec.trim();
    if (text === '') continue;
    if (text.startsWith('[') || text.startsWith('{')) {
      schedules.push(...parseJson(text, problems, source));
    } else {
      for (const part of text.split(';')) {
        if (part.trim() !== '') schedules.push(...parseCompact(part, problems, source));
      }
    }
  }
  const named = schedules.map((schedule, index) => ({ ...schedule, name: schedule.name || `s${index + 1}` }));
  const seen = new Set<string>();
  for (const schedule of named) {
    if (seen.has(schedule.name)) problems.push(`${source}: two schedules are named ${JSON.stringify(schedule.name)}`);
    seen.add(schedule.name);
    const cronProblem = checkCron(schedule.cron, schedule.tz ?? 'UTC');
    if (cronProblem) problems.push(`${source}: schedule ${JSON.stringify(schedule.name)}: invalid cron ${JSON.stringify(schedule.cron)}: ${cronProblem}`);
    if (schedule.classes.length === 0) problems.push(`${source}: schedule ${JSON.stringify(schedule.name)} names no class`);
  }
  return named;
}

/** The reason a cron pattern is invalid, or `null`. */
export function checkCron(pattern: string, tz = 'UTC'): string | null {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return `expected 5 or 6 fields, got ${fields.length}`;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return `unknown time zone ${JSON.stringify(tz)}`;
  }
  try {
    CronExpressionParser.parse(pattern, { tz, strict: false });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function parseCompact(text: string, problems: string[], source: string): RefreshSchedule[] {
  const arrow = text.indexOf('=>');
  if (arrow < 0) {
    problems.push(`${source}: schedule ${JSON.stringify(text.trim())} is not "<cron> => <Class>, <Class>" nor JSON`);
    return [];
  }
  const classes = text.slice(arrow + 2).split(',').map((c) => c.trim()).filter((c) => c !== '');
  return [{ name: '', cron: text.slice(0, arrow).trim(), classes }];
}

function parseJson(text: string, problems: string[], source: string): RefreshSchedule[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    problems.push(`${source}: schedules are not valid JSON: ${(error as Error).message}`);
    return [];
  }
  const items = Array.isArray(value) ? value : [value];
  const out: RefreshSchedule[] = [];
  items.forEach((item, index) => {
    const where = `${source}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${where}: a schedule is an object {cron, classes, name?, tz?}`);
      return;
    }
    const record = item as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !['name', 'cron', 'classes', 'tz'].includes(key));
    if (unknown.length > 0) problems.push(`${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    const { name, cron, classes, tz } = record;
    if (typeof cron !== 'string') problems.push(`${where}: "cron" must be a string`);
    if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string')) problems.push(`${where}: "classes" must be an array of class names`);
    if (name !== undefined && typeof name !== 'string') problems.push(`${where}: "name" must be a string`);
    if (tz !== undefined && typeof tz !== 'string') problems.push(`${where}: "tz" must be a string`);
    if (typeof cron === 'string' && Array.isArray(classes)) {
      out.push({
        name: typeof name === 'string' ? name : '',
        cron,
        classes: classes.filter((c): c is string => typeof c === 'string'),
        ...(typeof tz === 'string' ? { tz } : {}),
      });
    }
  });
  return out;
}
