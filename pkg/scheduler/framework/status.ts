/**
 * Plugin results, after kubernetes pkg/scheduler/framework/interface.go (Code, Status). `null`
 * stands for Success so the hot filter loop allocates nothing for a node that fits.
 */

/** The codes a plugin may return, spelled as upstream's Code.String(). */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export interface Status {
  readonly code: Code;
  /** Human-readable reasons; a node's reasons are counted into the FailedScheduling message. */
  readonly reasons: readonly string[];
  /** The plugin that returned it (set by the framework runner). */
  plugin?: string;
}

/** Success is null; everything else is an object. */
export type PluginStatus = Status | null;

export function newStatus(code: Code, ...reasons: string[]): Status {
  return { code, reasons };
}

export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export const skip: Status = Object.freeze({ code: 'Skip', reasons: [] }) as Status;

export function isRejection(s: PluginStatus): boolean {
  return s !== null && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable');
}

/** Status.Message(): the reasons joined by ", ". */
export function statusMessage(s: PluginStatus): string {
  return s === null ? '' : s.reasons.join(', ');
}
