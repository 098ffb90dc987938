// Module resolve hook: prefer the `source` export condition of workspace packages.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('source')
    ? context.conditions
    : [...context.conditions, 'source'];
  return nextResolve(specifier, { ...context, conditions });
}
