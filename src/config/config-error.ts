/** Bad configuration: start-up stops with this one message. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /** @param problems - each problem on its own, in the order found */
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? `invalid configuration: ${problems[0]}` : `invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}
