/** Jobs in the calling thread (tests, tools). The app uses WorkerPackageJobs. */
import { loadSodium } from '../crypto/sodium.js';
import type { JobHooks, JobResult, PackageJob, PackageJobs, RunningJob } from '../services/package-runner.js';
import { runPackageJob } from './run-package-job.js';

export class InProcessPackageJobs implements PackageJobs {
  run<J extends PackageJob>(job: J, hooks: JobHooks): RunningJob<JobResult<J>> {
    const controller = new AbortController();
    const done = loadSodium().then(() => runPackageJob(job, hooks, controller.signal)) as Promise<JobResult<J>>;
    return { done, cancel: () => controller.abort() };
  }
}
