/** `pull_policy`: Compose's canonical spelling, `if_not_present` -> `missing`. */
export function normalisePullPolicy(value: string | undefined): string | undefined {
  return value === 'if_not_present' ? 'missing' : value;
}
