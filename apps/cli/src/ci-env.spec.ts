import { ciBranch, ciCommit, ciRunId, toRunId } from './ci-env';

describe('CI defaults', () => {
  it('derives run ids that the server accepts', () => {
    expect(ciRunId({ GITHUB_RUN_ID: '8812' })).toBe('gh-8812-1');
    expect(ciRunId({ GITHUB_RUN_ID: '8812', GITHUB_RUN_ATTEMPT: '3', GITHUB_JOB: 'e2e (chrome)' })).toBe(
      'gh-8812-3-e2e-chrome-',
    );
    expect(ciRunId({ CI_PIPELINE_ID: '77', CI_JOB_ID: '1234' })).toBe('gl-77-1234');
    expect(ciRunId({ CI_PIPELINE_ID: '77' })).toBeUndefined();
    expect(ciRunId({ BUILD_TAG: 'jenkins-shop/main-42' })).toBe('jenkins-shop-main-42');
    expect(ciRunId({ CIRCLE_WORKFLOW_ID: 'w1', CIRCLE_BUILD_NUM: '9' })).toBe('circle-w1-9');
    expect(ciRunId({ BUILDKITE_BUILD_ID: 'b', BUILDKITE_JOB_ID: 'j' })).toBe('bk-b-j');
    expect(ciRunId({})).toBeUndefined();
  });

  it('makes any text a valid run id, or nothing', () => {
    expect(toRunId('__weird id!')).toBe('weird-id-');
    expect(toRunId('x'.repeat(300))).toHaveLength(200);
    expect(toRunId('///')).toBeUndefined();
  });

  it('reads branch and commit, preferring a pull request source branch', () => {
    expect(ciBranch({ GITHUB_HEAD_REF: 'feature', GITHUB_REF_NAME: '12/merge' })).toBe('feature');
    expect(ciBranch({ GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main' })).toBe('main');
    expect(ciBranch({ CI_COMMIT_REF_NAME: 'dev' })).toBe('dev');
    expect(ciCommit({ GITHUB_SHA: 'abc' })).toBe('abc');
    expect(ciCommit({ GIT_COMMIT: 'def' })).toBe('def');
    expect(ciCommit({})).toBeUndefined();
  });
});
