import { type ReportFormat, parseJsonText } from '@testpulse/result-formats';
import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Env, ciBranch, ciCommit, ciRunId } from './ci-env';
import { CliError, EXIT } from './cli-error';
import { type Request, type SendOptions, send, serverMessage } from './http';
import { inputProblem, parseReportFile } from './report-file';

export interface UploadOptions {
  server?: string;
  token?: string;
  project?: string;
  runId?: string;
  branch?: string;
  commit?: string;
  name?: string;
  environment?: string;
}

/** The run an upload goes to: flags first, then what a native report says, then the CI's variables. */
interface RunMeta {
  project?: string;
  runId: string;
  branch?: string;
  commit?: string;
  name?: string;
  environment?: string;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  junit: 'application/xml',
  ctrf: 'application/json',
  native: 'application/json',
};

function baseUrl(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(
      `--server must be a URL such as https://testpulse.example.com (got "${server}")`,
      EXIT.input,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--server must be an http or https URL (got "${server}")`, EXIT.input);
  }
  // Accept the API root as well as the server root.
  return url.href.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

function query(meta: RunMeta): string {
  const params = new URLSearchParams();
  for (const key of ['project', 'runId', 'branch', 'commit', 'name', 'environment'] as const) {
    const value = meta[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** Every file is read and checked here first, so a bad file fails with its line and column (exit 2). */
async function formatOf(files: string[]): Promise<ReportFormat> {
  const formats = new Set<ReportFormat>();
  for (const file of files) formats.add((await parseReportFile(file)).format);
  if (formats.size > 1) {
    throw new CliError(
      `the files are of different formats (${[...formats].join(', ')}): upload them apart`,
      EXIT.input,
    );
  }
  const [format] = formats;
  if (files.length > 1 && format !== 'junit') {
    throw new CliError(
      `only JUnit XML files can be uploaded together; upload ${format === 'ctrf' ? 'CTRF' : 'testpulse JSON'} files one at a time`,
      EXIT.input,
    );
  }
  return format;
}

async function nativeBody(file: string): Promise<Record<string, unknown>> {
  try {
    return parseJsonText(await readFile(file)) as Record<string, unknown>;
  } catch (error) {
    throw inputProblem(file, error);
  }
}

/**
 * Uploads report files to a testpulse server: JUnit XML to `/api/v1/executions/junit` (one file as the
 * body, several as multipart/form-data parts named `files`), CTRF to `/api/v1/executions/ctrf`, native
 * JSON to `/api/v1/executions` (flags override what the file says). Returns the server's reply text.
 */
export async function upload(
  files: string[],
  options: UploadOptions,
  env: Env,
  send_: Omit<SendOptions, 'log'> & { log: (line: string) => void },
): Promise<string> {
  if (!options.server) {
    throw new CliError('no server: give --server URL or set TESTPULSE_SERVER', EXIT.input);
  }
  if (!options.token) throw new CliError('no token: give --token TOKEN or set TESTPULSE_TOKEN', EXIT.input);
  const server = baseUrl(options.server);
  const format = await formatOf(files);
  const native = format === 'native' ? await nativeBody(files[0]) : undefined;
  const stated = (key: string): string | undefined =>
    typeof native?.[key] === 'string' ? (native[key] as string) : undefined;

  const meta: RunMeta = {
    project: options.project ?? stated('project'),
    runId: options.runId ?? stated('runId') ?? ciRunId(env) ?? randomUUID(),
    branch: options.branch ?? stated('branch') ?? ciBranch(env),
    commit: options.commit ?? stated('commit') ?? ciCommit(env),
    name: options.name ?? stated('name'),
    environment: options.environment ?? stated('environment'),
  };
  if (!meta.project) throw new CliError('no project: give --project KEY', EXIT.input);

  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    'user-agent': 'testpulse-cli',
  };
  let request: Request;
  if (format === 'native') {
    const body = JSON.stringify({
      ...native,
      ...Object.fromEntries(Object.entries(meta).filter(([, v]) => v)),
    });
    request = {
      url: `${server}/api/v1/executions`,
      headers: { ...headers, 'content-type': CONTENT_TYPES.native },
      body: async () => body,
    };
  } else if (files.length === 1) {
    request = {
      url: `${server}/api/v1/executions/${format}?${query(meta)}`,
      headers: { ...headers, 'content-type': CONTENT_TYPES[format] },
      body: () => openAsBlob(files[0]),
    };
  } else {
    request = {
      url: `${server}/api/v1/executions/junit?${query(meta)}`,
      headers,
      body: async () => {
        const form = new FormData();
        for (const file of files) {
          form.append('files', await openAsBlob(file, { type: CONTENT_TYPES.junit }), basename(file));
        }
        return form;
      },
    };
  }

  const reply = await send(request, send_);
  if (reply.status < 200 || reply.status >= 300) {
    throw new CliError(`upload failed: ${serverMessage(reply)}`, EXIT.failed);
  }
  try {
    return JSON.stringify(JSON.parse(reply.text));
  } catch {
    return reply.text.trim();
  }
}
