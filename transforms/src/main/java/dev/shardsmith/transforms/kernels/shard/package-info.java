/**
 * Shard file kernels: write one image shard, or the {@code splits.parquet} table, as a
 * deterministic Parquet or Arrow IPC file (same rows in, byte-identical file out) and report its
 * row count, size and sha256 for the manifest. Arrow's fixed-shape images use {@link
 * dev.shardsmith.transforms.kernels.shard.FixedShapeTensorType}, the canonical {@code
 * arrow.fixed_shape_tensor} extension. Plain Java, no Beam; the sink transforms call these once per
 * file.
 */
package dev.shardsmith.transforms.kernels.shard;
