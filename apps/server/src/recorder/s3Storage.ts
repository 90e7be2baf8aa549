import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Settings } from '../config.ts';
import { scratchFiles, type RecordingStorage } from './storage.ts';

/**
 * Recordings in an S3-compatible bucket (the only code importing the AWS SDK). The recorder still
 * writes its scratch file on local disk under `scratchDir`; a finished file is uploaded and taken
 * off the disk. Reads pass an HTTP Range on to the bucket, so a `<video>` seeks without the server
 * holding the file.
 */
export function s3RecordingStorage(settings: S3Settings, scratchDir: string): RecordingStorage {
  const s3 = new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: { ...settings.credentials } }),
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = settings.bucket;

  return {
    scratchFile: scratchFiles(scratchDir),

    async put(key, file) {
      const size = (await fsp.stat(file)).size;
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: fs.createReadStream(file),
          ContentLength: size,
          ContentType: 'video/mp4',
        }),
      );
      await fsp.rm(file, { force: true });
      return size;
    },

    async size(key) {
      try {
        return (await s3.send(new HeadObjectCommand({ Bucket, Key: key }))).ContentLength;
      } catch (e) {
        if (e instanceof NotFound) return undefined;
        throw e;
      }
    },

    async read(key, range) {
      const object = await s3.send(
        new GetObjectCommand({
          Bucket,
          Key: key,
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      // In Node the body is the HTTP response itself, a Readable.
      return object.Body as Readable;
    },

    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
