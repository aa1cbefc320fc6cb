/**
 * Shard file kernels: the plan that cuts a split into equal shards ({@link
 * dev.shardsmith.transforms.kernels.shard.ShardPlan}) and one {@link
 * dev.shardsmith.transforms.kernels.shard.ShardSink} per format, each deterministic (same rows in,
 * byte-identical files out) and reporting each file's rows, size and sha256 for the manifest:
 * Parquet ({@link dev.shardsmith.transforms.kernels.shard.ParquetShardFile}, also {@code
 * splits.parquet}), Arrow IPC ({@link dev.shardsmith.transforms.kernels.shard.ArrowShardFile}, with
 * the canonical {@code arrow.fixed_shape_tensor} extension for fixed-shape images) and NumPy {@code
 * .npy} named arrays plus a {@code meta.json} ({@link
 * dev.shardsmith.transforms.kernels.shard.NpyShardFile}). Each has a reader. Plain Java, no Beam.
 */
package dev.shardsmith.transforms.kernels.shard;
