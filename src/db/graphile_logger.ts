// graphile-worker logs through its own Logger interface; route it into pino.
import { Logger as WorkerLogger, type LogFunctionFactory } from 'graphile-worker';
import type { Logger } from '../log.ts';

export function workerLogger(logger: Logger): WorkerLogger {
  const factory: LogFunctionFactory = (scope) => {
    const scoped = logger.child({ component: 'graphile-worker', ...scopeFields(scope) });
    return (level, message, meta) => {
      const fields = meta?.error ? { err: meta.error } : {};
      switch (level) {
        case 'error': scoped.error(fields, message); break;
        case 'warning': scoped.warn(fields, message); break;
        case 'info': scoped.info(fields, message); break;
        default: scoped.debug(fields, message);
      }
    };
  };
  return new WorkerLogger(factory);
}

function scopeFields(scope: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (scope.taskIdentifier) fields.task = scope.taskIdentifier;
  if (scope.jobId) fields.jobId = scope.jobId;
  if (scope.workerId) fields.workerId = scope.workerId;
  return fields;
}
