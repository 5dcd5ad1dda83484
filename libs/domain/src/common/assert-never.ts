/** Ends every switch over a union (style.md §6): a new member fails to compile until handled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
