/**
 * A positive number from the environment (a tuning knob such as `PONTE_POST_SECONDS`), or
 * `fallback` when it is unset or not one.
 *
 * @param name The variable.
 * @param fallback Its default.
 */
export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}
