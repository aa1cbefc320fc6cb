// Independent reader for Shardsmith Arrow shards: apache-arrow (JS) reads the IPC file and prints
// what it sees as JSON, for ArrowShardFileTest to compare with what Java wrote.
// Usage: node read-arrow.mjs FILE
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tableFromIPC, compressionRegistry, CompressionType } from 'apache-arrow';
import lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';

// apache-arrow JS decodes compressed IPC buffers only through codecs registered here. Arrow Java
// writes an empty buffer as an 8-byte length prefix of 0 and no body; arrow-js 21 still hands that
// empty body to the codec, which neither lz4js nor fzstd accepts, so empty stays empty. fzstd may
// return a view at an odd offset of a larger buffer, which arrow-js cannot view as int64 values
// (pts_micros): such output is copied to a buffer of its own.
const aligned = (out) => (out.byteOffset % 8 === 0 ? out : out.slice());
const codec = (decode) => ({
  decode: (bytes) => (bytes.length === 0 ? new Uint8Array(0) : aligned(decode(bytes))),
});
compressionRegistry.set(
  CompressionType.LZ4_FRAME,
  codec((bytes) => Uint8Array.from(lz4.decompress(bytes))),
);
compressionRegistry.set(CompressionType.ZSTD, codec((bytes) => zstdDecompress(bytes)));

const table = tableFromIPC(readFileSync(process.argv[2]));
const mapToObject = (m) => Object.fromEntries([...(m ?? new Map()).entries()]);
const imageField = table.schema.fields.find((f) => f.name === 'image');
const plain = (v) => (v === null || v === undefined ? null : [...v]);
const hex = (bytes) => createHash('sha256').update(bytes).digest('hex');

const columns = {};
for (const field of table.schema.fields) {
  if (field.name === 'image') continue;
  const col = table.getChild(field.name);
  const values = [];
  for (let i = 0; i < table.numRows; i++) {
    const v = col.get(i);
    values.push(v !== null && typeof v === 'object' ? plain(v) : v);
  }
  columns[field.name] = values;
}

// A text shard has no image column: its text column is printed with the others.
const image = table.getChild('image');
const images = [];
for (let i = 0; image && i < table.numRows; i++) {
  const v = image.get(i);
  // The value bytes as stored (a tensor of float32 pixels is viewed, not converted, as bytes).
  const values = v instanceof Uint8Array ? v : v.toArray();
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  images.push({ length: bytes.length, sha256: hex(bytes), first: [...bytes.subarray(0, 8)] });
}

// int64 values (pts_micros) arrive as BigInt, which JSON has no form for: a number where exact.
const int64 = (key, v) =>
  typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v;

console.log(
  JSON.stringify({
    arrowVersion: JSON.parse(
      readFileSync(new URL('./node_modules/apache-arrow/package.json', import.meta.url)),
    ).version,
    numRows: table.numRows,
    batches: table.batches.length,
    schemaMetadata: mapToObject(table.schema.metadata),
    image: imageField
      ? {
          typeId: imageField.type.typeId,
          type: String(imageField.type),
          nullable: imageField.nullable,
          metadata: mapToObject(imageField.metadata),
          listSize: imageField.type.listSize ?? null,
          childType: imageField.type.children?.[0] ? String(imageField.type.children[0].type) : null,
          rows: images,
        }
      : null,
    fields: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
    columns,
  }, int64),
);
