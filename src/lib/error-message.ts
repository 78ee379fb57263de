/** The words of anything thrown: an Error's message, else the value as text (ARCHITECTURE §5). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
