/**
 * A real S3-compatible server for the remote tests: OpenStack Swift with its `s3api`
 * middleware, from Debian's packages (installed by `npm run setup:servers`), as a single
 * node on 127.0.0.1. `npm test` starts one for the whole run (test/setup/with-servers.ts)
 * and hands it to the test files through {@link SHARED_SWIFT}; a test file run alone
 * starts its own. Every server runs in a temp directory on free ports and is stopped by
 * its pid. Credentials are Swift's tempauth test user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  answersHttp,
  ensureInstalled,
  freePort,
  sharedOrStart,
  stopperOf,
  type S3Server,
} from './servers.js';

const PACKAGES = ['swift-proxy', 'swift-object', 'swift-container', 'swift-account'];
const BINARIES = [
  'swift-proxy-server',
  'swift-object-server',
  'swift-container-server',
  'swift-account-server',
  'swift-ring-builder',
];

/** The access key and secret of the tempauth user `test:tester`. */
export const SWIFT_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'test:tester',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
} as const;

export type SwiftServer = S3Server;

/** The environment variable holding the run's shared server (`{ endpoint, env }` as JSON). */
export const SHARED_SWIFT = 'FUNES_TEST_SWIFT';

/** The settings every server shares: one process, 127.0.0.1 only, rings and devices in the temp dir. */
function serverDefaults(dir: string, port: number): string {
  return `[DEFAULT]
devices = ${join(dir, 'srv')}
mount_check = false
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
user = root
swift_dir = ${dir}
log_level = WARNING
`;
}

function storageConf(dir: string, port: number, kind: 'object' | 'container' | 'account'): string {
  return `${serverDefaults(dir, port)}
[pipeline:main]
pipeline = ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}
`;
}

/**
 * The proxy waits for its one storage node as long as a loaded machine needs. By default
 * it gives up on a node after half a second (a 503, which s3api words as "Please reduce
 * your request rate") and, after ten such errors in a minute, stops asking that node at
 * all, failing every request that follows: on a busy 2-core machine one slow moment
 * failed a whole test file.
 */
function proxyConf(dir: string, port: number): string {
  return `${serverDefaults(dir, port)}
[pipeline:main]
pipeline = catch_errors gatekeeper proxy-logging cache s3api tempauth proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
conn_timeout = 30
node_timeout = 120
recoverable_node_timeout = 120
client_timeout = 300
error_suppression_limit = 1000000
error_suppression_interval = 1

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:s3api]
use = egg:swift#s3api
location = us-east-1

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
`;
}

function ringBuilder(dir: string, args: string[]): void {
  const run = spawnSync('swift-ring-builder', args, { cwd: dir, encoding: 'utf8' });
  // `rebalance` exits 1 with a warning on a one-device ring; the ring file is what matters.
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`swift-ring-builder ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
  }
}

/** How much of the servers' warnings is kept, the latest. */
const LOG_KEPT = 20_000;

/** Checks that a directory takes the 64 KiB extended attributes Swift stores metadata in. */
const XATTR_PROBE = `import os, sys, tempfile
with tempfile.NamedTemporaryFile(dir=sys.argv[1]) as f:
    os.setxattr(f.name, "user.funes", b"x" * 65536)`;

/**
 * Where Swift keeps its rings and data: memory (/dev/shm) when it takes Swift's extended
 * attributes, else the temp dir. On a disk, a slow moment of the account server (its
 * writes queued behind other tests' deletions) can make the proxy take the account for
 * missing, and every request of that moment then fails as NoSuchBucket.
 */
function storageRoot(): string {
  const probe = spawnSync('python3', ['-c', XATTR_PROBE, '/dev/shm'], { stdio: 'ignore' });
  return probe.status === 0 ? '/dev/shm' : tmpdir();
}

/**
 * Starts a one-node Swift with s3api on free 127.0.0.1 ports; resolves once an object can
 * be stored. Throws `ServerUnavailableError` when Swift is not installed.
 */
export async function startSwift(): Promise<SwiftServer> {
  ensureInstalled('OpenStack Swift', PACKAGES, BINARIES);
  const dir = mkdtempSync(join(storageRoot(), 'funes-swift-'));
  mkdirSync(join(dir, 'srv', 'sdb1'), { recursive: true });
  writeFileSync(
    join(dir, 'swift.conf'),
    '[swift-hash]\nswift_hash_path_suffix = funes-test\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n',
  );
  const ports = {
    proxy: await freePort(),
    object: await freePort(),
    container: await freePort(),
    account: await freePort(),
  };
  for (const kind of ['object', 'container', 'account'] as const) {
    ringBuilder(dir, [`${kind}.builder`, 'create', '8', '1', '1']);
    ringBuilder(dir, [`${kind}.builder`, 'add', `r1z1-127.0.0.1:${ports[kind]}/sdb1`, '1']);
    ringBuilder(dir, [`${kind}.builder`, 'rebalance']);
    if (!existsSync(join(dir, `${kind}.ring.gz`))) throw new Error(`swift-ring-builder made no ${kind} ring in ${dir}`);
    writeFileSync(join(dir, `${kind}-server.conf`), storageConf(dir, ports[kind], kind));
  }
  writeFileSync(join(dir, 'proxy-server.conf'), proxyConf(dir, ports.proxy));

  const children: ChildProcess[] = [];
  let output = '';
  for (const kind of ['account', 'container', 'object', 'proxy']) {
    const child = spawn(`swift-${kind}-server`, [join(dir, `${kind}-server.conf`)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-LOG_KEPT));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
  }
  const stop = stopperOf(children, dir, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (!(await answersHttp(ports.proxy))) {
    const dead = children.find((child) => child.exitCode !== null);
    if (dead || Date.now() > deadline) {
      stop();
      const why = dead ? `${dead.spawnfile} exited with ${dead.exitCode}` : 'no answer in 60 s';
      throw new Error(`Swift did not start (${why}): ${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const server = {
    endpoint: `http://127.0.0.1:${ports.proxy}`,
    env: { ...SWIFT_CREDENTIALS },
    stop,
    recentLog: () => output,
  };
  // The proxy answers before the other servers do (503, "SlowDown"): ready means a bucket and an object can be made.
  for (;;) {
    try {
      await createBucket(server, 'funes-ready', 'ready');
      return server;
    } catch (error) {
      if (Date.now() > deadline) {
        stop();
        throw new Error(
          `Swift started but cannot store an object: ${(error as Error).message}: ${output.slice(-2000)}`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

/** Runs `use` with an S3 client signed as the server's test user, closed afterwards. Any S3 server of the tests. */
export async function withTestClient<T>(
  server: Pick<SwiftServer, 'endpoint' | 'env'>,
  use: (client: import('@aws-sdk/client-s3').S3Client) => Promise<T>,
): Promise<T> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: server.env.AWS_ACCESS_KEY_ID, secretAccessKey: server.env.AWS_SECRET_ACCESS_KEY },
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

/**
 * Creates a bucket as the server's test user (Funes never creates buckets: that is the
 * storage owner's choice), optionally with one object in it. Any S3 server of the tests.
 */
export async function createBucket(
  server: Pick<SwiftServer, 'endpoint' | 'env'>,
  bucket: string,
  object?: string,
): Promise<void> {
  const { CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  await withTestClient(server, async (client) => {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // A retry after the bucket was made but its object was not (a server still starting).
      if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
    }
    if (object !== undefined) await client.send(new PutObjectCommand({ Bucket: bucket, Key: object, Body: object }));
  });
}

/**
 * The run's shared Swift ({@link SHARED_SWIFT}), else one started for this test file; when
 * it is not installed outside CI, says so loudly on stderr and returns undefined so the
 * tests skip (in CI, CI=true, they fail).
 */
export function startSwiftOrExplain(): Promise<SwiftServer | undefined> {
  return sharedOrStart(SHARED_SWIFT, 'S3 REMOTE', startSwift);
}
