/**
 * batch/v1 printers (printJob, printCronJob in kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go, Kubernetes 1.32: Job has a STATUS column).
 */
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { column } from './columns.ts';
import * as d from './descriptions.ts';
import { humanDuration, parseTime, translateTimestampSince } from './duration.ts';
import { formatLabelSelector, printBoolPtr } from './format.ts';
import { workloadPrinter } from './workload-table.ts';

/** The first condition of the type decides (hasJobCondition). */
function hasCondition(conditions: readonly JobCondition[], type: string): boolean {
  return conditions.find((c) => c.type === type)?.status === 'True';
}

/** "1/3", or without spec.completions "0/1" / "0/1 of 5" (the parallelism). */
function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Running time so far, or start-to-completion once complete; "" before the job started. */
function jobDuration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions ?? [];
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter = workloadPrinter<Job>({
  columns: [
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', d.jobStatusSucceeded),
    column('Duration', 'string', 'Time required to complete the job.'),
  ],
  cells: (job, now) => [jobStatus(job), completions(job), jobDuration(job, now)],
  containers: (job) => job.spec?.template?.spec?.containers,
  selector: { description: d.jobSpecSelector, cell: (job) => formatLabelSelector(job.spec?.selector) },
});

export const cronJobPrinter = workloadPrinter<CronJob>({
  columns: [
    column('Schedule', 'string', d.cronJobSpecSchedule),
    column('Timezone', 'string', d.cronJobSpecTimeZone),
    column('Suspend', 'boolean', d.cronJobSpecSuspend),
    column('Active', 'integer', d.cronJobStatusActive),
    column('Last Schedule', 'string', d.cronJobStatusLastScheduleTime),
  ],
  cells(cj, now) {
    const last = cj.status?.lastScheduleTime;
    return [
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      // spec.suspend is defaulted to false by the API server; a cell string, although typed boolean.
      printBoolPtr(cj.spec?.suspend ?? false),
      (cj.status?.active ?? []).length,
      last ? translateTimestampSince(last, now) : '<none>',
    ];
  },
  containers: (cj) => cj.spec?.jobTemplate?.spec?.template?.spec?.containers,
  selector: { description: d.jobSpecSelector, cell: (cj) => formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector) },
});
