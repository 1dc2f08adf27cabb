/**
 * The id of something staff add in the console (an entry, a contact, a facility, a source): file names and
 * references need one, but staff should not have to invent an English slug for it, so it is numbered.
 */
export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let n = 1;
  while (used.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}
