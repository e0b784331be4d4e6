/** The message of anything thrown, for logs, events and statuses (a non-Error is shown as its string). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
