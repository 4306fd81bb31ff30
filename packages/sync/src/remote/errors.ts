/**
 * Why a remote operation failed. Every failure is a {@link RemoteError} with a stable
 * `code` (the CLI and callers branch on codes, never on message text), a one-line
 * message naming the remote, and a `hint` saying what to do.
 */
import { FunesError } from '@funes/core';

/** Base class of every remote failure. */
export class RemoteError extends FunesError {
  declare readonly hint: string;

  constructor(code: string, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, { hint, cause: options?.cause });
  }
}

/** A remote URL, name or configuration file is malformed. */
export class RemoteConfigError extends RemoteError {
  constructor(message: string, hint: string) {
    super('EREMOTECONFIG', message, hint);
  }
}

/** No remote of that name is configured (or none at all). */
export class NoSuchRemoteError extends RemoteError {
  constructor(
    message: string,
    hint = 'add one with `funes remote add <name> s3://bucket/prefix`; `funes remote list` shows those configured',
  ) {
    super('ENOREMOTE', message, hint);
  }
}

/** `funes remote add` with a name already taken. */
export class RemoteExistsError extends RemoteError {
  constructor(name: string) {
    super(
      'EREMOTEEXISTS',
      `a remote named ${JSON.stringify(name)} already exists`,
      `remove it first with \`funes remote remove ${name}\`, or choose another name`,
    );
  }
}

/** The server refused the credentials, or none were found. */
export class RemoteAuthError extends RemoteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(
      'EREMOTEAUTH',
      message,
      'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) to credentials this endpoint accepts; ' +
          'Funes reads them only from the environment or your AWS profile',
      options,
    );
  }
}

/** The endpoint could not be reached: refused, unknown host, timed out. */
export class RemoteUnreachableError extends RemoteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(
      'EREMOTEUNREACHABLE',
      message,
      'check the endpoint URL (`funes remote list`) and that the server is running and reachable from here',
      options,
    );
  }
}

/** The remote's bucket does not exist. */
export class NoSuchBucketError extends RemoteError {
  constructor(bucket: string, options?: { cause?: unknown }) {
    super(
      'ENOBUCKET',
      `bucket ${JSON.stringify(bucket)} does not exist on the remote`,
      "create the bucket with your storage provider's tools, or fix the remote URL",
      options,
    );
  }
}

/**
 * The endpoint answered, but not as an S3 server: a listing without the bucket's name (a web
 * page, another service answering every request with 200).
 */
export class NotS3Error extends RemoteError {
  constructor(endpoint: string, action: string) {
    super(
      'ENOTS3',
      `${endpoint} is not an S3 server: it answered a listing without the bucket it lists (while ${action})`,
      'check the endpoint URL (`funes remote list`): it must be the S3 API of your storage, ' +
          'e.g. http://host:9000 for MinIO, not its web console or another service',
    );
  }
}

/** Any other failure reported by the server. */
export class RemoteRequestError extends RemoteError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EREMOTE', message, 'run the command again; if it keeps failing, check the server\'s logs', options);
  }
}


/** A write to a remote configured read-only. */
export class RemoteReadOnlyError extends RemoteError {
  constructor(remote: string, refused = 'writing') {
    super(
      'EREMOTEREADONLY',
      `${remote} is read-only: ${refused} refused`,
      'use another remote, or add this one again without --read-only where it may be changed ' +
          '(pull and read-through work as they are)',
    );
  }
}

/** An object on a remote is unsigned or wrongly signed while `FUNES_SIGNING_KEY` is set: it is refused, never used. */
export class UnsignedObjectError extends RemoteError {
  constructor(remote: string, key: string, problem: string) {
    super(
      'EUNSIGNED',
      `${remote}: ${key} is refused: ${problem}`,
      'every writer of this remote must set the same FUNES_SIGNING_KEY; ' +
          'remove objects written without it, or unset the key to trust the remote as it is',
    );
  }
}
