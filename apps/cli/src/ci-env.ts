import { RUN_ID_RULE } from '@testpulse/contracts';

export type Env = Record<string, string | undefined>;

/** A value made into a run id: characters outside [A-Za-z0-9._:-] become "-", at most 200 long. */
export function toRunId(raw: string): string | undefined {
  const id = raw
    .replace(/[^A-Za-z0-9._:-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 200);
  return RUN_ID_RULE.test(id) ? id : undefined;
}

function join(prefix: string, ...parts: Array<string | undefined>): string | undefined {
  if (parts.some((p) => !p)) return undefined;
  return toRunId([prefix, ...parts].join('-'));
}

/**
 * A run id that is the same for every retry of one CI job and different for the next job or the next
 * attempt: GitHub Actions (run id, attempt and job), GitLab (pipeline and job), Jenkins (BUILD_TAG),
 * CircleCI, Azure Pipelines, Buildkite, Travis, Bitbucket. Undefined outside CI. Parallel jobs of one
 * matrix share a GitHub job id: give them `--run-id`.
 */
export function ciRunId(env: Env): string | undefined {
  if (env.GITHUB_RUN_ID) {
    const attempt = env.GITHUB_RUN_ATTEMPT || '1';
    return env.GITHUB_JOB
      ? join('gh', env.GITHUB_RUN_ID, attempt, env.GITHUB_JOB)
      : join('gh', env.GITHUB_RUN_ID, attempt);
  }
  return (
    join('gl', env.CI_PIPELINE_ID, env.CI_JOB_ID) ??
    (env.BUILD_TAG ? toRunId(env.BUILD_TAG) : undefined) ??
    join('circle', env.CIRCLE_WORKFLOW_ID, env.CIRCLE_BUILD_NUM) ??
    join('azure', env.BUILD_BUILDID, env.SYSTEM_JOBATTEMPT ?? '1') ??
    join('bk', env.BUILDKITE_BUILD_ID, env.BUILDKITE_JOB_ID) ??
    join('travis', env.TRAVIS_BUILD_ID, env.TRAVIS_JOB_ID) ??
    join('bb', env.BITBUCKET_BUILD_NUMBER, env.BITBUCKET_STEP_UUID)
  );
}

function first(env: Env, names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The branch being built, from the CI's variables (a pull request's source branch on GitHub). */
export function ciBranch(env: Env): string | undefined {
  return first(env, [
    'GITHUB_HEAD_REF',
    'GITHUB_REF_NAME',
    'CI_COMMIT_REF_NAME',
    'BRANCH_NAME',
    'GIT_BRANCH',
    'CIRCLE_BRANCH',
    'BUILD_SOURCEBRANCHNAME',
    'BUILDKITE_BRANCH',
    'TRAVIS_BRANCH',
    'BITBUCKET_BRANCH',
  ]);
}

/** The commit being built, from the CI's variables. */
export function ciCommit(env: Env): string | undefined {
  return first(env, [
    'GITHUB_SHA',
    'CI_COMMIT_SHA',
    'GIT_COMMIT',
    'CIRCLE_SHA1',
    'BUILD_SOURCEVERSION',
    'BUILDKITE_COMMIT',
    'TRAVIS_COMMIT',
    'BITBUCKET_COMMIT',
  ]);
}
