import 'reflect-metadata';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Env } from './ci-env';
import { CliError, EXIT, oneLine } from './cli-error';
import { parseReportFile, summaryOf } from './report-file';
import { type UploadOptions, upload } from './upload';

const PROGRAM = 'testpulse';

/** The version of the workspace's package.json (the CLI ships with the platform). */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function program(io: Io, env: Env): Command {
  const cli = new Command(PROGRAM)
    .description('Reads test reports (JUnit XML, CTRF JSON, testpulse JSON) and uploads them to testpulse.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) =>
        write(`${PROGRAM}: ${oneLine(text.replace(/^error: /, ''))} (see --help)\n`),
    });

  cli
    .command('parse')
    .description(
      'Read a report offline and print its totals as one JSON object: ' +
        '{format, suites, tests, passed, failed, errored, skipped, flaky, durationMs}. ' +
        'Exit status 2 when the file is malformed or not a report.',
    )
    .argument('<file>', 'JUnit XML, CTRF JSON or testpulse JSON report ("-" reads standard input)')
    .action(async (file: string) => {
      const report = await parseReportFile(file);
      io.out(JSON.stringify(summaryOf(report)));
    });

  cli
    .command('upload')
    .description(
      'Upload reports to a testpulse server and print its reply ({runId, project, status, summary}). ' +
        'Several JUnit XML files go to one run. Failed requests (502/503/504/429, a reset connection) are ' +
        'tried again with the same run id, which makes them safe to repeat. Exit status 1 when the server ' +
        'refuses the upload or cannot be reached, 2 for bad files or options.',
    )
    .argument('<files...>', 'JUnit XML files, or one CTRF or testpulse JSON file')
    .addOption(new Option('--server <url>', 'testpulse server URL').env('TESTPULSE_SERVER'))
    .addOption(new Option('--token <token>', 'ingest or access token').env('TESTPULSE_TOKEN'))
    .option('--project <key>', 'project key (a testpulse JSON file may give it)')
    .option(
      '--run-id <id>',
      'run id, the idempotency key of the upload (default: from the CI variables of GitHub, GitLab, ' +
        'Jenkins, CircleCI, Azure, Buildkite, Travis or Bitbucket, else a new UUID)',
    )
    .option('--branch <branch>', 'branch (default: from the CI variables)')
    .option('--commit <sha>', 'commit (default: from the CI variables)')
    .option('--name <name>', 'name of the run')
    .option('--environment <environment>', 'environment the tests ran against')
    .addOption(
      new Option('--retries <n>', 'tries after a failed request')
        .default(3)
        .argParser(positiveInt('--retries')),
    )
    .addOption(
      new Option('--timeout <seconds>', 'time limit of one request')
        .default(300)
        .argParser(positiveInt('--timeout')),
    )
    .action(async (files: string[], options: UploadOptions & { retries: number; timeout: number }) => {
      const reply = await upload(files, options, env, {
        retries: options.retries,
        timeoutMs: options.timeout * 1000,
        backoffMs: 500,
        log: (line) => io.err(`${PROGRAM}: ${line}`),
      });
      io.out(reply);
    });

  return cli;
}

/** Runs the CLI; resolves to the exit status. */
export async function run(argv: string[], env: Env, io: Io): Promise<number> {
  try {
    await program(io, env).parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; any usage error is bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.input;
    }
    if (error instanceof CliError) {
      io.err(`${PROGRAM}: ${error.message}`);
      return error.exitCode;
    }
    io.err(`${PROGRAM}: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return EXIT.failed;
  }
}

/** The process entry point: runs with the process's arguments and environment, then exits. */
export function main(): void {
  void run(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((status) => {
    // Exit once what was written has gone out (keep-alive sockets must not hold the process).
    process.stdout.write('', () => process.stderr.write('', () => process.exit(status)));
  });
}

if (require.main === module) main();
