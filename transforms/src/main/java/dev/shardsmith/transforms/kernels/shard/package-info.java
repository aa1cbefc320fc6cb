/**
 * Shard file kernels: write one image shard, or the {@code splits.parquet} table, as a
 * deterministic Parquet file (same rows in, byte-identical file out) and report its row count, size
 * and sha256 for the manifest. Plain Java, no Beam; the sink transforms call these once per file.
 * {@link dev.shardsmith.transforms.kernels.shard.NpyShardFile} writes a shard as NumPy {@code .npy}
 * arrays ({@code x}, {@code y}, ...) plus a {@code meta.json} with dtypes, shapes and the per-row
 * metadata, and reads them back.
 */
package dev.shardsmith.transforms.kernels.shard;
