/**
 * Ends every `switch` over a union: a compile error when a case is missing, and a thrown bug
 * at run time if a value outside the union slips in (e.g. an unparsed message).
 */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
