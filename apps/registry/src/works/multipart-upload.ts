// Reads a multipart registration: one `file` part streamed into the blob store
// (hashed on the way, never buffered), plus metadata as a `metadata` JSON part
// and/or individual fields. Too large an upload is cut off at the limit.
// With `commit: 'later'` the file stays staged until the caller accepts the
// request: a refused registration leaves no file behind (issue 6: every
// refused upload used to stay in the store, up to MAX_UPLOAD_BYTES each).
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { BlobStore, BlobTooLargeError, type StagedBlob } from '#blob-store';
import { AppError, ErrorCode } from '#errors';
import { inputProblem } from '#platform';

export interface MultipartRegistration {
  /** Committed already unless read with `commit: 'later'`; discard() is then a no-op. */
  blob: StagedBlob;
  fileName: string;
  mediaType: string;
  fields: Record<string, unknown>;
}

/** Fields that carry structured values when sent as individual form fields. */
const JSON_FIELDS = new Set(['authors', 'owners', 'publication']);

function parseJsonField(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new AppError(ErrorCode.InvalidJson, `Form field "${name}" must hold JSON.`);
  }
}

export function readMultipartRegistration(
  request: IncomingMessage,
  store: BlobStore,
  maxBytes: number,
  options: { commit: 'now' | 'later' } = { commit: 'now' },
): Promise<MultipartRegistration> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes + 1024 * 1024) {
    return Promise.reject(new AppError(ErrorCode.UploadTooLarge, `Upload is larger than the limit of ${maxBytes} bytes.`, { limitBytes: maxBytes }));
  }

  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30 } });
    } catch {
      reject(new AppError(ErrorCode.UnsupportedMediaType, 'Send multipart/form-data with a boundary, or application/json.'));
      return;
    }
    const fields: Record<string, unknown> = {};
    let upload: Promise<StagedBlob> | undefined;
    let fileName = '';
    let mediaType = 'application/octet-stream';
    let failed = false;
    let fileStream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;

    const fail = (error: unknown, cutOff = false) => {
      if (failed) return;
      failed = true;
      // Stop parsing but let the client finish sending so it can read our answer.
      request.unpipe(parser);
      request.resume();
      // The file of a client that went away is ended here, so its temporary
      // file is removed: the parser, cut off from the request, would never end
      // it (an aborted upload used to leave its temporary file and an open
      // handle for good). Not on other failures: the client goes on sending,
      // and ending a file part that may be complete raced its completion and
      // left the temporary file (the bad-input property test, about one run
      // in five).
      if (cutOff) fileStream?.destroy();
      // The file of a refused form does not stay in the store.
      upload?.then((blob) => blob.discard(), () => undefined);
      reject(error);
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new AppError(ErrorCode.ValidationFailed, `Form field "${name}" is too long.`));
      if (name === 'metadata') {
        let parsed: unknown;
        try {
          parsed = parseJsonField(name, value);
        } catch (error) {
          return fail(error);
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          return fail(new AppError(ErrorCode.ValidationFailed, 'Form field "metadata" must be a JSON object.'));
        }
        // Checked before copying: Object.assign of a parsed "__proto__" key
        // replaced the prototype of `fields`, out of sight of later checks.
        const problem = inputProblem(parsed, 'metadata');
        if (problem) return fail(new AppError(ErrorCode.ValidationFailed, `Invalid request: ${problem.message}.`, { field: problem.field }));
        Object.assign(fields, parsed);
      } else {
        try {
          fields[name] = JSON_FIELDS.has(name) ? parseJsonField(name, value) : value;
        } catch (error) {
          fail(error);
        }
      }
    });
    parser.on('file', (name, stream, info) => {
      // busboy may still emit parts of a chunk it had already read when the form failed: store none of them.
      if (failed) {
        stream.resume();
        return;
      }
      if (name !== 'file' || upload) {
        stream.resume();
        return fail(new AppError(ErrorCode.ValidationFailed, `Unexpected file part "${name}"; send exactly one part named "file".`));
      }
      // Only the base name is kept, as a label: it never becomes a path.
      fileName = (info.filename ?? '').split(/[\\/]/).pop()!.slice(0, 255);
      mediaType = info.mimeType || mediaType;
      fileStream = stream;
      upload = store.stage(stream, maxBytes);
      upload.catch((error) => {
        stream.resume();
        fail(
          error instanceof BlobTooLargeError
            ? new AppError(ErrorCode.UploadTooLarge, `Upload is larger than the limit of ${maxBytes} bytes.`, { limitBytes: maxBytes })
            : error,
        );
      });
    });
    parser.on('partsLimit', () => fail(new AppError(ErrorCode.ValidationFailed, 'Too many form parts.')));
    parser.on('fieldsLimit', () => fail(new AppError(ErrorCode.ValidationFailed, 'Too many form fields.')));
    parser.on('filesLimit', () => fail(new AppError(ErrorCode.ValidationFailed, 'Send exactly one file part named "file".')));
    parser.on('error', () => fail(new AppError(ErrorCode.ValidationFailed, 'Malformed multipart body.')));
    parser.on('close', () => {
      if (failed) return;
      if (!upload) return fail(new AppError(ErrorCode.UploadMissingFile, 'The form has no part named "file".'));
      upload
        .then(async (blob) => {
          if (options.commit === 'now') await blob.commit();
          resolve({ blob, fileName, mediaType, fields });
        })
        .catch(fail);
    });
    request.on('aborted', () => fail(new AppError(ErrorCode.ValidationFailed, 'Upload aborted by the client.'), true));
    request.pipe(parser);
  });
}
